"""Reference data: the destinations seed 000 names; demo expeditions, labelled as demo."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

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


# Tags staff give trips. Editorial vocabulary (not from the seeds): the diagnostic's
# recommendation rules look trips up by these slugs.
TAGS = [
    ("e-commerce", "Commerce en ligne", "E-commerce"),
    ("cybersecurite", "Cybersécurité", "Cybersecurity"),
    ("intelligence-artificielle", "Intelligence artificielle et robotique", "Artificial intelligence and robotics"),
    ("numerique-responsable", "Numérique responsable", "Green digital"),
    ("objets-connectes", "Objets connectés", "Connected objects"),
    ("etat-numerique", "Services publics numériques", "Digital public services"),
]
# Demo trips and their tags.
DEMO_TAGS = {
    "demo-ces-las-vegas": ["objets-connectes", "intelligence-artificielle"],
    "demo-tel-aviv-cyber": ["cybersecurite"],
    "demo-helsinki-slush": ["numerique-responsable"],
    "demo-tallinn-e-estonia": ["etat-numerique", "cybersecurite"],
    "demo-stockholm-fintech": ["e-commerce"],
    "demo-tokyo-industrie": ["intelligence-artificielle"],
    "demo-seoul-5g": ["objets-connectes", "e-commerce"],
}


def seed_reference(log: Log) -> None:
    from expeditions.models import Destination, Tag

    n = create_missing(Tag, "slug", ({"slug": slug, "name_fr": fr, "name_en": en} for slug, fr, en in TAGS))
    log(f"expedition tags: {n} created, {len(TAGS)} expected")

    n = create_missing(
        Destination,
        "slug",
        (
            {"slug": slug, "country_code": code, "country_fr": fr, "country_en": en, "position": i}
            for i, (slug, code, fr, en) in enumerate(DESTINATIONS)
        ),
    )
    log(f"destinations: {n} created, {len(DESTINATIONS)} expected")


# (slug, destination, city, time zone, title fr, title en, days from today, length, capacity,
#  registrants, price in cents, approval)
DEMO_EXPEDITIONS = [
    ("demo-ces-las-vegas", "etats-unis", "Las Vegas", "America/Los_Angeles",
     "Délégation française au CES de Las Vegas", "French delegation to CES Las Vegas", 45, 5, 12, 16, 390000, False),
    ("demo-tel-aviv-cyber", "israel", "Tel Aviv", "Asia/Jerusalem",
     "Tel Aviv, start-up nation et cybersécurité", "Tel Aviv, start-up nation and cybersecurity", 80, 4, 15, 6, 280000, True),
    ("demo-helsinki-slush", "finlande", "Helsinki", "Europe/Helsinki",
     "Helsinki et Slush : l'écosystème finlandais", "Helsinki and Slush: the Finnish ecosystem", 120, 3, 20, 20, 190000, False),
    ("demo-tallinn-e-estonia", "estonie", "Tallinn", "Europe/Tallinn",
     "e-Estonia : l'État numérique à Tallinn", "e-Estonia: the digital state in Tallinn", 60, 3, 25, 8, 0, False),
    ("demo-stockholm-fintech", "suede", "Stockholm", "Europe/Stockholm",
     "Stockholm, capitale des licornes", "Stockholm, capital of unicorns", 150, 4, 18, 3, 210000, False),
    ("demo-tokyo-industrie", "japon", "Tokyo", "Asia/Tokyo",
     "Tokyo : robotique et industrie du futur", "Tokyo: robotics and the industry of the future", 200, 6, 16, 0, 420000, False),
    ("demo-seoul-5g", "coree-du-sud", "Séoul", "Asia/Seoul",
     "Séoul, la ville la plus connectée du monde", "Seoul, the world's most connected city", 95, 5, 10, 13, 350000, False),
    ("demo-cape-town", "afrique-du-sud", "Le Cap", "Africa/Johannesburg",
     "Le Cap et Johannesburg : l'innovation africaine", "Cape Town and Johannesburg: African innovation", 170, 5, 14, 2, 260000, False),
    # past trips, for the archive
    ("demo-ces-las-vegas-precedent", "etats-unis", "Las Vegas", "America/Los_Angeles",
     "Délégation française au CES de Las Vegas (édition précédente)", "French delegation to CES Las Vegas (previous edition)",
     -320, 5, 12, 12, 390000, False),
    ("demo-tallinn-precedent", "estonie", "Tallinn", "Europe/Tallinn",
     "Première mission e-Estonia", "First e-Estonia mission", -200, 3, 20, 9, 0, False),
]

PROGRAMME = [
    (0, time(9, 0), time(11, 0), "Accueil de la délégation et briefing de l'ambassade", "Welcome and embassy briefing",
     "Ambassade de France", "French Embassy"),
    (0, time(14, 0), time(17, 0), "Visite d'un accélérateur de start-up", "Visit of a start-up accelerator",
     "Accélérateur local", "Local accelerator"),
    (1, time(9, 30), time(12, 0), "Rencontre avec la diaspora entrepreneuriale française", "Meeting the French entrepreneurial diaspora",
     "French Tech", "French Tech"),
    (1, time(15, 0), time(17, 30), "Table ronde : la transformation numérique des PME", "Round table: SMEs' digital transformation",
     "Fédération locale", "Local federation"),
]

# Cities whose English name differs (the others are the same in both languages).
CITY_EN = {"Séoul": "Seoul", "Le Cap": "Cape Town"}


def seed_demo(log: Log) -> None:
    from expeditions import services
    from expeditions.models import Destination, Expedition, ProgrammeItem, Registration, Tag
    from portal.models import Audience, Partner, Profile, Region, User

    today = timezone.localdate()
    now = timezone.now()
    medef = Partner.objects.filter(slug="medef").first()
    audiences = list(Audience.objects.filter(code__in=["business-leader", "federation-president", "innovation-ecosystem",
                                                          "elected-official", "public-servant"]))
    regions = list(Region.objects.order_by("position")[:13])
    people = []
    for i in range(1, 31):
        user, created = User.objects.get_or_create(
            email=f"demo.participant{i}@demo.portal.localhost",
            defaults={"first_name": f"Démo{i}", "last_name": "Participant (démo)"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Profile.objects.update_or_create(user=user, defaults={
                "organisation": f"PME de démonstration n° {i}", "job_title": "Dirigeant(e)",
                "audience": audiences[i % len(audiences)] if audiences else None,
                "region": regions[i % len(regions)] if regions else None, "company_size": "small"})
        people.append(user)
    created_count = 0
    for (slug, dest, city, tz, title_fr, title_en, offset, length, capacity, registrants, price, approval) in DEMO_EXPEDITIONS:
        if Expedition.objects.filter(slug=slug).exists():
            continue
        starts = today + timedelta(days=offset)
        past = offset < 0
        expedition = Expedition.objects.create(
            slug=slug, destination=Destination.objects.get(slug=dest), city_fr=city, city_en=CITY_EN.get(city, city),
            time_zone=tz,
            title_fr=title_fr, title_en=title_en,  # is_demo shows a "Demo" label beside the title
            summary_fr=f"Contenu de démonstration. Une délégation de chefs d'entreprise, d'élus et de responsables de l'écosystème d'innovation découvre l'écosystème numérique de {city}.",
            summary_en=f"Demo content. A delegation of business leaders, elected officials and innovation-ecosystem leaders discovers the digital ecosystem of {CITY_EN.get(city, city)}.",
            price_includes_fr="Vols, hôtel, transferts et programme de visites" if price else "",
            price_includes_en="Flights, hotel, transfers and visit programme" if price else "",
            starts_on=starts, ends_on=starts + timedelta(days=length - 1),
            registration_opens_at=now - timedelta(days=30 if not past else 400),
            registration_closes_at=datetime.combine(starts - timedelta(days=10), time(23, 59), tzinfo=timezone.get_current_timezone()),
            cancellation_cutoff=datetime.combine(starts - timedelta(days=21), time(23, 59), tzinfo=timezone.get_current_timezone()),
            price_cents=price, capacity=capacity, requires_approval=approval,
            organiser_name="Mission ambassadeur du numérique (démo)", organiser_email="expeditions@demo.portal.localhost",
            status=Expedition.Status.PAST if past else Expedition.Status.PUBLISHED, is_demo=True,
        )
        if medef:
            expedition.partners.add(medef)
        for day, start, end, item_fr, item_en, host_fr, host_en in PROGRAMME:
            ProgrammeItem.objects.create(expedition=expedition, day=starts + timedelta(days=day), start_time=start,
                                         end_time=end, title_fr=item_fr, title_en=item_en,
                                         host_organisation_fr=host_fr, host_organisation_en=host_en)
        rows = []
        for n, user in enumerate(people[:registrants]):
            holding = n < capacity
            if past:
                status = Registration.Status.CONFIRMED if holding else Registration.Status.CANCELLED
            elif holding:
                status = Registration.Status.PENDING if approval and n % 3 == 0 else Registration.Status.CONFIRMED
            else:
                status = Registration.Status.WAITLISTED
            rows.append(Registration(
                expedition=expedition, user=user, status=status,
                waitlist_position=(n - capacity + 1) if status == Registration.Status.WAITLISTED else None,
                passport_name="" if past else f"{user.last_name.upper()} {user.first_name}",
                share_consent=n % 2 == 0, created_at=now - timedelta(hours=registrants - n),
                payment=Registration.Payment.DUE if price else Registration.Payment.NOT_DUE,
                billing_organisation=f"PME de démonstration n° {n + 1}" if price else "",
                billing_address="1 rue de la Démonstration, 75000 Paris" if price else "",
                sensitive_data_purged_at=now if past else None,
            ))
        Registration.objects.bulk_create(rows)
        services.expeditions_resync_counters(expedition_ids=[expedition.pk])
        expedition.tags.add(*Tag.objects.filter(slug__in=DEMO_TAGS.get(slug, [])))
        created_count += 1
    log(f"expeditions: {created_count} demo expeditions created, {len(DEMO_EXPEDITIONS)} expected")
