"""Reference data of the shared kernel, and the runner that seeds every app.

Rules for every app's ``<app>/seeding.py`` (``seed_reference(log)`` and ``seed_demo(log)``):
- idempotent: running twice gives the same rows;
- faithful: reference data comes from the seeds in shared/seeds (press articles);
- staff edits win: an existing row is never overwritten (``create_missing``);
- demo content is labelled as demo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from portal.models import Audience, Partner, Region

Log = Callable[[str], None]

SEEDED_APPS = ["portal", "expeditions", "contests", "mooc", "measures", "diagnostic"]
CURATORS_GROUP = "Programme curators"


def create_missing(model, key: str, rows: Iterable[dict[str, Any]]) -> int:
    """Create each row whose ``key`` value does not exist yet; never touch existing rows."""
    created = 0
    for row in rows:
        values = dict(row)
        lookup = {key: values.pop(key)}
        _, was_created = model.objects.get_or_create(**lookup, defaults=values)
        created += int(was_created)
    return created


# Seed 000: "chefs d'entreprise, bien sûr, mais aussi élus, agents publics, partenaires
# sociaux, journalistes, présidents de fédérations professionnelles et responsables de
# l'écosystème d'innovation français".
AUDIENCES = [
    ("business-leader", "Chef d'entreprise", "Business leader"),
    ("elected-official", "Élu", "Elected official"),
    ("public-servant", "Agent public", "Public servant"),
    ("social-partner", "Partenaire social", "Social partner"),
    ("journalist", "Journaliste", "Journalist"),
    ("federation-president", "Président de fédération professionnelle", "President of a professional federation"),
    ("innovation-ecosystem", "Responsable de l'écosystème d'innovation", "Innovation-ecosystem leader"),
    ("other", "Autre", "Other"),
]

# The 18 regions of France (13 in metropolitan France, 5 overseas), then "outside France".
REGIONS = [
    ("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ("bourgogne-franche-comte", "Bourgogne-Franche-Comté", "Bourgogne-Franche-Comté"),
    ("bretagne", "Bretagne", "Brittany"),
    ("centre-val-de-loire", "Centre-Val de Loire", "Centre-Val de Loire"),
    ("corse", "Corse", "Corsica"),
    ("grand-est", "Grand Est", "Grand Est"),
    ("hauts-de-france", "Hauts-de-France", "Hauts-de-France"),
    ("ile-de-france", "Île-de-France", "Île-de-France"),
    ("normandie", "Normandie", "Normandy"),
    ("nouvelle-aquitaine", "Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
    ("occitanie", "Occitanie", "Occitania"),
    ("pays-de-la-loire", "Pays de la Loire", "Pays de la Loire"),
    ("provence-alpes-cote-d-azur", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    ("guadeloupe", "Guadeloupe", "Guadeloupe"),
    ("martinique", "Martinique", "Martinique"),
    ("guyane", "Guyane", "French Guiana"),
    ("la-reunion", "La Réunion", "Réunion"),
    ("mayotte", "Mayotte", "Mayotte"),
    ("outside-france", "Hors de France", "Outside France"),
]

# Partners named in the seeds (000, 001, 002).
PARTNERS = [
    ("medef", "Medef", "Medef", "Mouvement des entreprises de France, qui porte le programme.",
     "Mouvement des entreprises de France, which runs the programme.", "https://www.medef.com/"),
    ("cnam", "CNAM", "CNAM", "Conservatoire national des arts et métiers, partenaire du MOOC de l'Université du numérique.",
     "Conservatoire national des arts et métiers, partner of the Université du numérique MOOC.", "https://www.cnam.fr/"),
    ("cite-objet-connecte", "Cité de l'Objet Connecté (Angers)", "Cité de l'Objet Connecté (Angers)",
     "Créée à Angers pour accompagner les projets d'objets connectés, notamment dans l'industrialisation des processus.",
     "Set up in Angers to support connected-object projects, above all in industrialising them.", ""),
    ("fiducial", "Fiducial", "Fiducial", "Partenaire du concours objets connectés.", "Partner of the connected-object contest.", ""),
    ("la-poste", "La Poste", "La Poste", "Partenaire du concours objets connectés.", "Partner of the connected-object contest.", ""),
    ("renaissance-numerique", "Renaissance numérique", "Renaissance numérique",
     "Think tank qui a animé la journée des 19 mesures à l'Assemblée nationale.",
     "Think tank that ran the day of the 19 measures at the Assemblée nationale.", ""),
    ("alliance-industrie-du-futur", "Alliance Industrie du Futur", "Alliance Industrie du Futur",
     "Alliance avec laquelle le Medef s'est engagé pour l'industrie du futur.",
     "Alliance the Medef joined for the industry of the future.", ""),
    ("gfi", "Groupe des Fédérations Industrielles (GFI)", "Groupe des Fédérations Industrielles (GFI)",
     "Réunit 119 fédérations nationales du secteur de l'industrie.",
     "Brings together 119 national federations of industry.", ""),
]


def site_name_sync(log: Log) -> None:
    """Name the Django site (allauth's e-mails use it) unless staff already renamed it."""
    from urllib.parse import urlparse

    from django.conf import settings
    from django.contrib.sites.models import Site

    site, _ = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": "example.com", "name": "example.com"})
    if site.domain == "example.com":
        site.domain = urlparse(settings.PORTAL_BASE_URL).netloc or "127.0.0.1:8000"
        site.name = "Medef numérique"
        site.save()
    log(f"site: {site.name} ({site.domain})")


def seed_reference(log: Log) -> None:
    site_name_sync(log)
    n = create_missing(
        Audience, "code",
        ({"code": c, "name_fr": fr, "name_en": en, "position": i} for i, (c, fr, en) in enumerate(AUDIENCES)),
    )
    log(f"audiences: {n} created, {len(AUDIENCES)} expected")
    n = create_missing(
        Region, "code",
        ({"code": c, "name_fr": fr, "name_en": en, "position": i} for i, (c, fr, en) in enumerate(REGIONS)),
    )
    log(f"regions: {n} created, {len(REGIONS)} expected")
    n = create_missing(
        Partner, "slug",
        (
            {"slug": s, "name_fr": fr, "name_en": en, "description_fr": dfr, "description_en": den, "website": url}
            for s, fr, en, dfr, den, url in PARTNERS
        ),
    )
    log(f"partners: {n} created, {len(PARTNERS)} expected")


def seed_demo(log: Log) -> None:
    log("portal: no demo content of its own")


# Records people write themselves, and logs: curators read them, never edit them by hand (a
# juror's scores, a learner's attempts, a supporter's click, a project's versions).
CURATORS_READ_ONLY = {
    ("contests", "review"), ("contests", "score"), ("contests", "submissionversion"),
    ("contests", "submissionstatechange"), ("mooc", "quizattempt"), ("mooc", "lessoncompletion"),
    ("measures", "support"), ("measures", "follow"),
}
# Not for curators at all: secret feed tokens; deleting a certificate (it is revoked instead).
CURATORS_NEVER = {("expeditions", "calendarfeed", None), ("mooc", "certificate", "delete")}


def curation_permissions():
    """Exactly what curation needs: every permission on the programmes' content and on the
    portal's reference data and notifications (read, retry), minus what is listed above and the
    history tables (read through each object's own history page)."""
    # Organisations (the contest's companies, the groups' payers) are curated like the programmes.
    app_labels = [label for label in SEEDED_APPS if label != "portal"] + ["organisations"]
    perms = Permission.objects.filter(content_type__app_label__in=app_labels) | Permission.objects.filter(
        content_type__app_label="portal",
        content_type__model__in=["audience", "region", "partner", "notification"],
    )
    perms = perms.exclude(content_type__model__startswith="historical")
    perms = perms.exclude(content_type__model="notification", codename__startswith="delete_").exclude(
        content_type__model="notification", codename__startswith="add_"
    )
    for app_label, model in CURATORS_READ_ONLY:
        perms = perms.exclude(Q(content_type__app_label=app_label, content_type__model=model) & ~Q(codename__startswith="view_"))
    for app_label, model, action in CURATORS_NEVER:
        never = Q(content_type__app_label=app_label, content_type__model=model)
        perms = perms.exclude(never & Q(codename__startswith=f"{action}_") if action else never)
    return perms


def curators_group_sync(log: Log) -> Group:
    """The staff group curators work in, with exactly :func:`curation_permissions` (set again on
    every seed: a permission given by hand to the group is taken back). User accounts stay with
    superusers."""
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    group.permissions.set(curation_permissions())
    log(f"group {CURATORS_GROUP!r}: {group.permissions.count()} permissions")
    return group


def seed_all(*, demo: bool, log: Log) -> None:
    with transaction.atomic():
        for label in SEEDED_APPS:
            if not apps.is_installed(label) or not find_spec(f"{label}.seeding"):
                continue
            module = import_module(f"{label}.seeding")
            module.seed_reference(log)
            if demo:
                module.seed_demo(log)
        curators_group_sync(log)
