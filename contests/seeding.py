"""Reference data: the four themes of the connected-object contest (seed 000)."""

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


def seed_demo(log: Log) -> None:
    log("contests: no demo content yet")
