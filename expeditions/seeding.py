"""Reference data: the destinations seed 000 names for the learning expeditions."""

from portal.seeding import Log, create_missing

# Seed 000: « Parmi les destinations envisagées : Israël, la Finlande, les Etats-Unis,
# l'Estonie, la Suède, le Japon, la Corée du Sud, l'Afrique du Sud. » The CES delegation
# to Las Vegas is an expedition under États-Unis.
DESTINATIONS = [
    ("israel", "IL", "Israël", "Israel"),
    ("finlande", "FI", "Finlande", "Finland"),
    ("etats-unis", "US", "États-Unis", "United States"),
    ("estonie", "EE", "Estonie", "Estonia"),
    ("suede", "SE", "Suède", "Sweden"),
    ("japon", "JP", "Japon", "Japan"),
    ("coree-du-sud", "KR", "Corée du Sud", "South Korea"),
    ("afrique-du-sud", "ZA", "Afrique du Sud", "South Africa"),
]


def seed_reference(log: Log) -> None:
    from expeditions.models import Destination

    n = create_missing(
        Destination,
        "slug",
        (
            {"slug": slug, "country_code": code, "country_fr": fr, "country_en": en, "position": i}
            for i, (slug, code, fr, en) in enumerate(DESTINATIONS)
        ),
    )
    log(f"destinations: {n} created, {len(DESTINATIONS)} expected")


def seed_demo(log: Log) -> None:
    log("expeditions: no demo content yet")
