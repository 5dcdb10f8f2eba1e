"""Seeds of the diagnostic: the reference questionnaire (published version 1), its bands and
its recommendation rules; demo experts and demo results that never reach the barometer.

The questionnaire is created once: if one exists with the slug, it belongs to staff (new
versions, edited rules and thresholds are never touched). Rules are created only with the
questionnaire, pointing at the MOOC's modules by their position in the seeded course.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from diagnostic import seed_content as content
from diagnostic.models import (
    Band,
    Dimension,
    Expert,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RecommendationKind,
    RecommendationRule,
    Response,
    VersionStatus,
)
from portal.seeding import Log


def _create_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now(),
        estimated_minutes=12, notes="Version de référence (manage.py seed).",
    )
    for d_index, spec in enumerate(content.DIMENSIONS, start=1):
        dimension = Dimension.objects.create(
            version=version, code=spec["code"], position=d_index, title_fr=spec["title_fr"], title_en=spec["title_en"],
            description_fr=spec["description_fr"], description_en=spec["description_en"],
        )
        for q_index, (code, kind, text_fr, text_en, hint_fr, hint_en, options) in enumerate(spec["questions"], start=1):
            question = Question.objects.create(
                dimension=dimension, code=code, kind=kind, position=q_index, text_fr=text_fr, text_en=text_en,
                hint_fr=hint_fr, hint_en=hint_en,
            )
            Option.objects.bulk_create(
                Option(question=question, code=o_code, label_fr=fr, label_en=en, points=points, exclusive=exclusive, position=o_index)
                for o_index, (o_code, fr, en, points, exclusive) in enumerate(options, start=1)
            )
    for code, min_score, meaning_fr, meaning_en in content.BANDS:
        Band.objects.create(version=version, code=code, min_score=min_score, meaning_fr=meaning_fr, meaning_en=meaning_en)
    return version


def _module_ids() -> dict[str, str]:
    """MOOC module position → id, through the MOOC's own selector."""
    from mooc.selectors import module_refs_published

    return {str(position): str(pk) for pk, position, _title in module_refs_published(course_slug=content.MOOC_COURSE)}


def _create_rules(log: Log) -> None:
    modules = _module_ids()
    rules = []
    position = 0
    for (dimension, band), (text_fr, text_en) in content.ADVICE.items():
        rules.append(RecommendationRule(dimension=dimension, band=band, kind=RecommendationKind.ADVICE, text_fr=text_fr,
                                        text_en=text_en, position=position))
        position += 1
    skipped = 0
    for dimension, band, kind, key, text_fr, text_en in content.CONTENT_RULES:
        if kind == RecommendationKind.MOOC_MODULE:
            if key not in modules:
                skipped += 1
                continue
            key = modules[key]
        rules.append(RecommendationRule(dimension=dimension, band=band, kind=kind, key=key, text_fr=text_fr,
                                        text_en=text_en, position=position))
        position += 1
    for dimension, band, kind, key, text_fr, text_en, when in content.GLOBAL_RULES:
        rules.append(RecommendationRule(dimension=dimension, band=band, kind=kind, key=key, text_fr=text_fr,
                                        text_en=text_en, when_answer=when, position=position))
        position += 1
    RecommendationRule.objects.bulk_create(rules)
    log(f"diagnostic: {len(rules)} recommendation rules created ({skipped} skipped: MOOC course missing)")


def seed_reference(log: Log) -> None:
    if Questionnaire.objects.filter(slug=content.QUESTIONNAIRE["slug"]).exists():
        log("diagnostic: questionnaire 'maturite-numerique' already exists — left as staff keep it")
        return
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(**content.QUESTIONNAIRE)
        version = _create_version(questionnaire)
        questions = Question.objects.filter(dimension__version=version).count()
        log(f"diagnostic: questionnaire created, version 1 published ({len(content.DIMENSIONS)} dimensions, {questions} questions)")
        if not RecommendationRule.objects.exists():
            _create_rules(log)


# --- Demo -----------------------------------------------------------------------------------------

DEMO_EXPERTS = [
    ("Camille Démo", "Chambre de commerce (démo)", ["ile-de-france", "hauts-de-france"], "Stratégie et cybersécurité",
     "Strategy and cybersecurity"),
    ("Yann Démo", "Agence régionale de l’innovation (démo)", ["bretagne", "pays-de-la-loire", "normandie"],
     "Industrie du futur et objets connectés", "Industry of the future and connected objects"),
    ("Inès Démo", "Cabinet de conseil (démo)", ["auvergne-rhone-alpes", "provence-alpes-cote-d-azur", "occitanie"],
     "Commerce en ligne", "E-commerce"),
]


def seed_demo(log: Log) -> None:
    """Demo experts and two demo results of one demo account: labelled, and ``is_demo`` keeps
    them out of the public barometer."""
    from diagnostic import selectors, services
    from portal.models import Region, User

    created = 0
    for name, organisation, regions, speciality_fr, speciality_en in DEMO_EXPERTS:
        if Expert.objects.filter(name=name).exists():
            continue
        expert = Expert.objects.create(
            name=name, organisation=organisation, email=f"{name.split()[0].lower()}.expert@demo.portal.localhost",
            speciality_fr=speciality_fr, speciality_en=speciality_en,
        )
        expert.regions.set(Region.objects.filter(code__in=regions))
        created += 1
    log(f"diagnostic: {created} demo experts created")

    version = selectors.version_published()
    if version is None:
        log("diagnostic: no published questionnaire for demo results")
        return
    user, new = User.objects.get_or_create(
        email="demo.diagnostic@demo.portal.localhost", defaults={"first_name": "Démo", "last_name": "Diagnostic (démo)"}
    )
    if new:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if Response.objects.filter(user=user).exists():
        log("diagnostic: demo results already there")
        return
    spec = selectors.version_spec(version)
    region = Region.objects.filter(code="bretagne").first() or Region.objects.first()
    for answer_index, days_ago in ((1, 120), (2, 10)):
        response = services.response_start(user=user, version=version)
        Response.objects.filter(pk=response.pk).update(is_demo=True, started_at=timezone.now() - timedelta(days=days_ago))
        services.response_save_context(response_id=response.pk, user=user, sector="C", size_band="small", region=region)
        for number, dimension in enumerate(spec.dimensions, start=1):
            answers = {}
            for question in dimension.questions:
                ranked = sorted(question.options, key=lambda o: o.points)
                level = min(len(ranked) - 1, answer_index + (number % 2))
                answers[question.id] = {ranked[level].id} if question.kind != "multi" else {o.id for o in ranked[:level] if not o.exclusive}
            services.response_save_answers(response_id=response.pk, user=user, answers=answers, step=number)
        services.response_complete(response_id=response.pk, user=user)
        Response.objects.filter(pk=response.pk).update(completed_at=timezone.now() - timedelta(days=days_ago))
    log("diagnostic: 2 demo results created (demo account, never in the barometer)")
