"""Reference data: the four themes of the connected-object contest (seed 000); demo editions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.seeding import Log, create_missing

# Seed 000: « quatre thématiques retenus : « smart home », « smart city »,
# « quantified-self » et « usine connectée ». »
THEMES = [
    ("smart-home", "Smart home", "Smart home",
     "Objets connectés pour la maison : confort, énergie, sécurité, autonomie.",
     "Connected objects for the home: comfort, energy, security, independent living."),
    ("smart-city", "Smart city", "Smart city",
     "Objets connectés pour la ville : mobilité, services urbains, environnement.",
     "Connected objects for the city: mobility, urban services, environment."),
    ("quantified-self", "Quantified-self", "Quantified self",
     "Objets connectés qui mesurent l'activité, la santé et le bien-être de la personne.",
     "Connected objects that measure a person's activity, health and well-being."),
    ("usine-connectee", "Usine connectée", "Connected factory",
     "Objets connectés pour l'industrie : production, maintenance, logistique.",
     "Connected objects for industry: production, maintenance, logistics."),
]

# The rubric the issue suggests; staff change it per edition.
CRITERIA = [
    ("Innovation", "Innovation", 3),
    ("Potentiel de marché", "Market potential", 2),
    ("Faisabilité", "Feasibility", 2),
    ("Impact sur l'activité", "Business impact", 2),
    ("Équipe", "Team", 1),
]
# Seed 000: the contest is run « en association avec la Cité de l'Objet Connecté à Angers, Fiducial et La Poste ».
PARTNER_SLUGS = ["medef", "cite-objet-connecte", "fiducial", "la-poste"]
PARIS = ZoneInfo("Europe/Paris")


def seed_reference(log: Log) -> None:
    from contests.models import Theme

    n = create_missing(
        Theme,
        "slug",
        (
            {"slug": slug, "name_fr": fr, "name_en": en, "description_fr": dfr, "description_en": den, "position": i}
            for i, (slug, fr, en, dfr, den) in enumerate(THEMES)
        ),
    )
    log(f"contest themes: {n} created, {len(THEMES)} expected")


def siret_with_check_digit(first13: str) -> str:
    """A Luhn-valid SIRET from 13 digits (demo companies only: these numbers are invented)."""
    from contests.validators import luhn_ok

    return next(first13 + d for d in "0123456789" if luhn_ok(first13 + d))


def _demo_siren(i: int) -> str:
    from contests.validators import luhn_ok

    base = f"90{i:06d}"
    for d in "0123456789":
        if luhn_ok(base + d):
            return base + d
    raise ValueError(base)


DEMO_COMPANIES = [
    ("Domotik Loire SAS (démo)", "pays-de-la-loire", 8, 900_000),
    ("CityPulse SARL (démo)", "auvergne-rhone-alpes", 35, 4_500_000),
    ("Pas à Pas Santé SAS (démo)", "occitanie", 12, 1_800_000),
    ("Atelier Capteur SAS (démo)", "grand-est", 60, 9_000_000),
    ("Ruche Connectée SARL (démo)", "bretagne", 4, 250_000),
    ("Angers Smart Lab (démo)", "pays-de-la-loire", 18, 2_600_000),
]
DEMO_PROJECTS = [
    ("smart-home", "Thermostat qui apprend les habitudes", "Un thermostat LoRa qui réduit de 15 % la facture de chauffage.", "market"),
    ("smart-city", "Capteur de places de stationnement", "Un capteur Sigfox posé au sol qui signale les places libres.", "pilot"),
    ("quantified-self", "Semelle qui mesure la marche", "Une semelle Bluetooth qui suit la rééducation des patients.", "prototype"),
    ("usine-connectee", "Boîtier de maintenance prédictive", "Un boîtier vibratoire qui prévient les pannes des machines.", "market"),
    ("smart-home", "Détecteur de chute pour seniors", "Un capteur discret qui alerte les proches en cas de chute.", "prototype"),
    ("smart-city", "Station de mesure de l'air", "Une station 4G qui publie la qualité de l'air de chaque rue.", "idea"),
]


def seed_demo(log: Log) -> None:
    """An open edition with submissions (and a juror) and a past edition with laureates, labelled demo."""
    from contests.models import (
        Company,
        Criterion,
        Edition,
        EditionTheme,
        Submission,
        SubmissionState,
        Theme,
    )
    from organisations.models import Membership
    from portal.models import Partner, Region, User

    themes = {t.slug: t for t in Theme.objects.all()}
    if len(themes) < 4:
        log("contests demo: themes missing, run the reference seed first")
        return
    now = timezone.now()
    editions = {
        "demo-2016": {
            "title_fr": "Concours objets connectés 2016 (démo)", "title_en": "Connected-object contest 2016 (demo)",
            "opens_at": datetime(2016, 5, 2, 9, 0, tzinfo=PARIS), "closes_at": datetime(2016, 9, 30, 23, 59, 59, tzinfo=PARIS),
            "results_on": date(2016, 11, 15), "published_at": datetime(2016, 11, 15, 18, 0, tzinfo=PARIS),
        },
        "demo-open": {
            "title_fr": "Concours objets connectés — édition en cours (démo)",
            "title_en": "Connected-object contest — current edition (demo)",
            "opens_at": now - timedelta(days=30), "closes_at": (now + timedelta(days=20)).replace(microsecond=0),
            "results_on": (now + timedelta(days=60)).date(), "published_at": None,
        },
    }
    partners = list(Partner.objects.filter(slug__in=PARTNER_SLUGS))
    created_editions = {}
    for slug, values in editions.items():
        edition, created = Edition.objects.get_or_create(
            slug=slug,
            defaults={
                **values, "is_demo": True,
                "summary_fr": "Édition de démonstration : les projets et les entreprises sont fictifs.",
                "summary_en": "Demo edition: the projects and companies are invented.",
                "rules_fr": "Règlement de démonstration.\n\n1. Le concours est ouvert aux TPE et PME au sens européen.\n"
                            "2. Un projet par thème et par titre.\n3. Le jury note chaque projet sur cinq critères pondérés.",
                "rules_en": "Demo rules.\n\n1. The contest is open to European-sense SMEs.\n"
                            "2. One project per theme and title.\n3. The jury scores each project on five weighted criteria.",
                "review_deadline": values["closes_at"] + timedelta(days=30),
            },
        )
        created_editions[slug] = edition
        if created:
            edition.partners.set(partners)
            for i, theme in enumerate(themes.values()):
                EditionTheme.objects.create(
                    edition=edition, theme=theme, position=i,
                    prize_fr="Accompagnement à l'industrialisation par la Cité de l'Objet Connecté (démo)",
                    prize_en="Industrialisation support by the Cité de l'Objet Connecté (demo)",
                )
            for i, (fr, en, weight) in enumerate(CRITERIA):
                Criterion.objects.create(edition=edition, name_fr=fr, name_en=en, weight=weight, position=i)
    leader, _ = User.objects.get_or_create(
        email="demo-pme@portal.localhost", defaults={"first_name": "Camille", "last_name": "Démo (démo)"}
    )
    if leader.has_usable_password():  # a demo account nobody can log in to
        leader.set_unusable_password()
        leader.save(update_fields=["password"])
    n_subs = 0
    for i, (name, region_code, headcount, turnover) in enumerate(DEMO_COMPANIES):
        region = Region.objects.filter(code=region_code).first() or Region.objects.first()
        siren = _demo_siren(i + 1)
        siret = siret_with_check_digit(siren + "0001")
        company, created = Company.objects.get_or_create(
            siret=siret,
            defaults={"legal_name": name, "region": region, "headcount": headcount, "turnover_eur": turnover,
                      "created_on": date(2012 + i, 3, 1), "independence_declared": True, "is_demo": True},
        )
        Membership.objects.get_or_create(organisation=company, user=leader)
        theme_slug, title, pitch, stage = DEMO_PROJECTS[i]
        past = created_editions["demo-2016"]
        state = SubmissionState.LAUREATE if i < 4 else SubmissionState.NOT_RETAINED
        _, made = Submission.objects.get_or_create(
            edition=past, company=company, title=title,
            defaults={"theme": themes[theme_slug], "pitch": pitch, "description": pitch, "stage": stage, "state": state,
                      "rank": 1 if state == SubmissionState.LAUREATE else None,
                      "prize": "Accompagnement à l'industrialisation (démo)" if state == SubmissionState.LAUREATE else "",
                      "submitted_at": past.closes_at - timedelta(days=3), "is_demo": True, "created_by": leader,
                      "object_function": pitch, "connectivity": "LoRa", "target_market": "PME", "business_model": "Vente"},
        )
        n_subs += int(made)
        current = created_editions["demo-open"]
        _, made = Submission.objects.get_or_create(
            edition=current, company=company, title=f"{title} — v2",
            defaults={"theme": themes[theme_slug], "pitch": pitch, "description": pitch, "stage": stage,
                      "state": SubmissionState.SUBMITTED if i % 2 == 0 else SubmissionState.DRAFT,
                      "submitted_at": now if i % 2 == 0 else None, "is_demo": True, "created_by": leader,
                      "object_function": pitch, "connectivity": "Bluetooth LE", "target_market": "Particuliers",
                      "business_model": "Abonnement"},
        )
        n_subs += int(made)
    log(f"contests demo: 2 editions, {len(DEMO_COMPANIES)} companies, {n_subs} projects created (all labelled demo)")
