"""The benchmark's data at scale, written with bulk_create (registrations by COPY, as before).

At BENCH_SCALE=1 (the issue's figures): 10,000 people, 1,000 expeditions and 200,000
registrations, 10,000 contest submissions in two editions with two reviews each (jurors and
scores), 30 MOOC courses and 50,000 enrollments with progress, 100,000 measure supports over
10,000 people. A smaller BENCH_SCALE (e.g. 0.1) divides every count for quick runs.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta


def fill(scale: float) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from portal.models import Audience, Profile, Region, User

    def n(count: int, least: int = 1) -> int:
        return max(least, int(count * scale))

    call_command("migrate", verbosity=0)
    call_command("seed", demo=True, stdout=io.StringIO())
    rng = random.Random(42)
    audience, region = Audience.objects.first(), Region.objects.first()
    password = make_password("bench-password-not-used")
    people = n(10_000, 400)
    users = User.objects.bulk_create(
        (User(email=f"bench{i}@bench.example", first_name="Bench", last_name=f"User{i}", password=password)
         for i in range(people)), batch_size=5000,
    )
    Profile.objects.bulk_create(
        (Profile(user=u, organisation="PME", job_title="Dirigeant", audience=audience, region=region) for u in users),
        batch_size=5000,
    )
    staff = User.objects.create_superuser(email="bench-admin@bench.example", password=None)
    out = {"people": people, "me": users[0], "staff": staff}
    out |= _expeditions(users, n(1_000, 20), n(200_000, 4_000), rng, connection, timezone)
    out |= _contests(users, n(10_000, 100), rng, timezone)
    out |= _mooc(users, n(50_000, 500), rng, timezone)
    out |= _measures(users, n(100_000, 1_000), rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps in production
    return out


def _expeditions(users, count, registrations, rng, connection, timezone) -> dict:
    from expeditions.models import Destination, Expedition, ProgrammeItem, Registration

    now = timezone.now()
    today = timezone.localdate()
    destinations = list(Destination.objects.all())
    expeditions = []
    for i in range(count):
        past = i % 10 == 0
        start = today + timedelta(days=(-rng.randint(30, 700) if past else rng.randint(15, 700)))
        expeditions.append(Expedition(
            destination=destinations[i % len(destinations)], slug=f"bench-{i}", city=f"Ville {i}",
            time_zone="America/Los_Angeles", title=f"Expédition de référence {i}", title_fr=f"Expédition de référence {i}",
            summary_fr="Une expédition de mesure. " * 8, starts_on=start, ends_on=start + timedelta(days=4),
            registration_opens_at=now - timedelta(days=800), registration_closes_at=now + timedelta(days=800)
            if not past else now - timedelta(days=1),
            capacity=rng.choice([100, 150, 200, 250]), price_cents=rng.choice([0, 190000, 390000]),
            status=Expedition.Status.PAST if past else Expedition.Status.PUBLISHED,
        ))
    expeditions = Expedition.objects.bulk_create(expeditions)
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(expedition=e, day=e.starts_on + timedelta(days=d), start_time=f"{9 + 3 * d}:00", title_fr=f"Visite {d}",
                      title=f"Visite {d}", host_organisation="Hôte")
        for e in expeditions for d in range(4)
    )
    per_expedition = registrations // count
    buffer = io.StringIO()
    for i, e in enumerate(expeditions):
        for k in range(per_expedition):
            stamp = (now - timedelta(seconds=registrations - i * per_expedition - k)).isoformat()  # in order of arrival
            user = users[(i * 37 + k) % len(users)]
            waiting = k >= e.capacity
            status = "waitlisted" if waiting else "confirmed"
            position = str(k - e.capacity + 1) if waiting else r"\N"
            buffer.write(f"{e.pk}\t{user.pk}\t{status}\t{position}\tBENCH {k}\t\tf\t\tt\t\t\t\t\tnot_due\t{stamp}\t{stamp}\t\t\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Registration._meta.db_table} (expedition_id, user_id, status, waitlist_position, passport_name, "
            "dietary_needs, dietary_consent, remarks, share_consent, billing_organisation, billing_address, "
            "billing_tax_id, billing_po_reference, payment, created_at, status_changed_at, invited_name, invited_email) FROM STDIN",
            buffer,
        )
    # rows bulk-loaded: the counters on each expedition row are set from them (under the lock)
    from expeditions.services import expeditions_resync_counters

    expeditions_resync_counters()
    return {"expeditions": len(expeditions), "registrations": Registration.objects.count(),
            "detail_slugs": [e.slug for e in expeditions if e.status == Expedition.Status.PUBLISHED][:200]}


def _contests(users, submissions, rng, timezone) -> dict:
    """Two editions: one in review (80 % of the projects, jurors with reviews) and one whose
    laureates are published (20 %, reviewed too)."""
    from contests.models import (
        Assignment,
        Company,
        Criterion,
        Edition,
        EditionTheme,
        Juror,
        Review,
        Score,
        Submission,
        SubmissionState,
        Theme,
    )
    from portal.models import Region

    now = timezone.now()
    themes = list(Theme.objects.order_by("position"))
    region = Region.objects.first()
    review = Edition.objects.create(
        slug="bench-review", title="Concours de mesure (en jury)", title_fr="Concours de mesure (en jury)",
        summary_fr="Une édition de mesure. " * 6, rules_fr="## Règlement\n\n" + "1. Un article du règlement, *en Markdown*.\n" * 12,
        opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=5), review_deadline=now + timedelta(days=25),
        results_on=timezone.localdate() + timedelta(days=40), jurors_per_submission=2,
    )
    published = Edition.objects.create(
        slug="bench-published", title="Concours de mesure 2025", title_fr="Concours de mesure 2025",
        summary_fr="Une édition publiée. " * 6, rules_fr="## Règlement\n\n" + "1. Un article du règlement.\n" * 12,
        opens_at=now - timedelta(days=500), closes_at=now - timedelta(days=400), review_deadline=now - timedelta(days=380),
        results_on=timezone.localdate() - timedelta(days=360), published_at=now - timedelta(days=360),
        deliberation_started_at=now - timedelta(days=370), jurors_per_submission=2,
    )
    criteria = {}
    for edition in (review, published):
        EditionTheme.objects.bulk_create(
            EditionTheme(edition=edition, theme=t, position=i, prize="Un accompagnement", prize_fr="Un accompagnement")
            for i, t in enumerate(themes))
        criteria[edition.pk] = Criterion.objects.bulk_create(
            Criterion(edition=edition, name=f"Critère {i}", name_fr=f"Critère {i}", weight=i + 1, position=i) for i in range(5))
    companies = Company.objects.bulk_create(
        (Company(legal_name=f"PME de mesure {i}", siret=f"{90000000000000 + i}", region=region, headcount=12,
                 created_on=date(2015, 1, 1), independence_declared=True)
         for i in range(max(20, submissions // 5))), batch_size=5000)
    in_review = submissions * 4 // 5
    rows = []
    for i in range(submissions):
        edition = review if i < in_review else published
        theme = themes[i % len(themes)]
        if edition is review:
            state, rank = SubmissionState.SUBMITTED, None
        else:
            k = (i - in_review) // len(themes)  # position within its theme
            state, rank = (SubmissionState.LAUREATE, k + 1) if k < 3 else (SubmissionState.NOT_RETAINED, None)
        rows.append(Submission(
            edition=edition, company=companies[i % len(companies)], theme=theme, created_by=users[i % len(users)],
            title=f"Objet connecté n° {i}", pitch="Un capteur qui mesure. " * 4, description="Une description. " * 30,
            state=state, rank=rank, prize="Un accompagnement" if rank else "", submitted_at=edition.closes_at - timedelta(days=3),
        ))
    subs = Submission.objects.bulk_create(rows, batch_size=5000)
    # jurors: bench users (users[0] is the logged-in juror of the benchmark), about 50 projects each
    jurors = {}
    for edition in (review, published):
        count = max(4, sum(1 for s in subs if s.edition_id == edition.pk) * 2 // 50)
        jurors[edition.pk] = Juror.objects.bulk_create(
            Juror(edition=edition, email=users[j].email, name=f"Juré {j}", user=users[j], invited_at=now - timedelta(days=60),
                  accepted_at=now - timedelta(days=59), conflicts_declared_at=now - timedelta(days=58))
            for j in range(count))
    assignments = []
    for i, s in enumerate(subs):
        pool = jurors[s.edition_id]
        for k in range(2):
            assignments.append(Assignment(juror=pool[(i + k * 7) % len(pool)], submission=s))
    assignments = Assignment.objects.bulk_create(assignments, batch_size=5000)
    reviews = Review.objects.bulk_create(
        (Review(assignment=a, comment="Un avis argumenté.", submitted_at=now - timedelta(days=2))
         for a in assignments), batch_size=5000)
    by_submission = {s.pk: s.edition_id for s in subs}
    Score.objects.bulk_create(
        (Score(review=r, criterion=c, value=rng.randint(0, 10))
         for r, a in zip(reviews, assignments, strict=True) for c in criteria[by_submission[a.submission_id]]),
        batch_size=10000)
    return {"submissions": len(subs), "reviews": len(reviews), "review_slug": review.slug, "published_slug": published.slug}


def _mooc(users, enrollments, rng, timezone) -> dict:
    """The seeded course plus 29 bench courses; 5 open runs of the seeded course share the
    enrollments, each with some lessons completed."""
    from mooc.models import Course, CourseRun, Enrollment, Lesson, LessonCompletion, Module

    now = timezone.now()
    courses = Course.objects.bulk_create(
        Course(slug=f"bench-course-{i}", title=f"Cours de mesure {i}", title_fr=f"Cours de mesure {i}",
               summary_fr="Un cours pour mesurer. " * 6, teachers="Une enseignante, Un enseignant", effort_hours=6,
               is_published=True)
        for i in range(29))
    for course in courses:
        module = Module.objects.create(course=course, position=0, title="Module 1", title_fr="Module 1")
        Lesson.objects.bulk_create(
            Lesson(module=module, position=k, title=f"Leçon {k}", title_fr=f"Leçon {k}",
                   body_fr="## Une leçon\n\nDu **texte** en Markdown.\n\n- un point\n- un autre\n" * 5) for k in range(3))
        CourseRun.objects.create(course=course, label="Session ouverte", label_fr="Session ouverte",
                                 enrollment_start=now - timedelta(days=10), start=now - timedelta(days=5))
    course = Course.objects.get(slug="universite-du-numerique")
    lessons = list(Lesson.objects.filter(module__course=course).order_by("module__position", "position"))
    runs = CourseRun.objects.bulk_create(
        CourseRun(course=course, label=f"Session de mesure {r}", label_fr=f"Session de mesure {r}",
                  enrollment_start=now - timedelta(days=30), start=now - timedelta(days=20), end=now + timedelta(days=200))
        for r in range(5))
    per_run = -(-enrollments // len(runs))
    rows = []
    for run in runs:
        for u in range(min(per_run, len(users), enrollments - len(rows))):
            rows.append(Enrollment(user=users[u], run=run, last_lesson=lessons[rng.randrange(len(lessons))]))
    rows = Enrollment.objects.bulk_create(rows, batch_size=5000)
    LessonCompletion.objects.bulk_create(
        (LessonCompletion(enrollment=e, lesson=lesson) for e in rows for lesson in lessons[: rng.randint(0, 6)]),
        batch_size=10000)
    return {"enrollments": len(rows), "course_slug": course.slug, "run_id": runs[0].pk,
            "lesson_id": lessons[min(2, len(lessons) - 1)].pk, "completions": LessonCompletion.objects.count()}


def _measures(users, supports, rng) -> dict:
    from measures.models import Follow, Measure, MeasureUpdate, Support

    measures = list(Measure.objects.order_by("number"))
    rows = []
    per_user = min(len(measures), -(-supports // len(users)))
    for u, user in enumerate(users):
        for k in range(per_user):
            if len(rows) == supports:
                break
            rows.append(Support(measure=measures[(u + k) % len(measures)], user=user))
    Support.objects.bulk_create(rows, batch_size=10000)
    Follow.objects.bulk_create(
        (Follow(measure=measures[(u * 3) % len(measures)], user=user) for u, user in enumerate(users)), batch_size=10000)
    MeasureUpdate.objects.bulk_create(
        MeasureUpdate(measure=m, title=f"Étape {k}", title_fr=f"Étape {k}", text_fr="Où en est la mesure. " * 10,
                      published_on=date(2024, 1, 1) + timedelta(days=40 * k))
        for m in measures for k in range(8))
    return {"supports": len(rows), "supporters": len({s.user_id for s in rows})}


def existing() -> dict:
    """What :func:`fill` returns, read back from a database it filled before (BENCH_REUSE=1)."""
    from django.core.management import call_command

    from contests.models import Review, Submission
    from expeditions.models import Expedition, Registration
    from measures.models import Support
    from mooc.models import CourseRun, Enrollment, Lesson, LessonCompletion
    from portal.models import User

    call_command("migrate", verbosity=0)
    course = "universite-du-numerique"
    run = CourseRun.objects.filter(course__slug=course, label_fr__startswith="Session de mesure").order_by("pk").first()
    lessons = list(Lesson.objects.filter(module__course__slug=course).order_by("module__position", "position"))
    return {
        "people": User.objects.filter(email__startswith="bench", email__endswith="@bench.example").count(),
        "me": User.objects.get(email="bench0@bench.example"),
        "staff": User.objects.get(email="bench-admin@bench.example"),
        "expeditions": Expedition.objects.filter(slug__startswith="bench-").count(),
        "registrations": Registration.objects.count(),
        "detail_slugs": list(Expedition.objects.filter(slug__regex=r"^bench-[0-9]+$", status=Expedition.Status.PUBLISHED)
                             .order_by("pk").values_list("slug", flat=True)[:200]),
        "submissions": Submission.objects.count(), "reviews": Review.objects.count(),
        "review_slug": "bench-review", "published_slug": "bench-published",
        "enrollments": Enrollment.objects.count(), "completions": LessonCompletion.objects.count(),
        "course_slug": course, "run_id": run.pk, "lesson_id": lessons[min(2, len(lessons) - 1)].pk,
        "supports": Support.objects.count(), "supporters": Support.objects.values("user").distinct().count(),
    }
