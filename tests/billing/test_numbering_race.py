"""Two staff (or 32 confirmations) issuing at once: no duplicate number, no gap.

First proves the race happens with the counter's lock switched off (``race_test``: every
issuer reads the same last number, and the unique constraint refuses the duplicates — failed
issues), then that with the lock on 32 issuers get 1..32 and nobody fails.
"""

import pytest
from django.db import IntegrityError, connection

from billing import services
from billing.models import Document
from portal.locking import race_test
from tests.concurrency import rendezvous, run_together

from .factories import paid_trip

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 32
BUYER = services.Buyer(name="ETI", address="1 rue A\n69001 Lyon")


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (SQLite serialises writers).")


def _issue_all(expedition_id: int, count: int):
    return run_together(
        lambda: services.quote_issue(expedition_id=expedition_id, user=None, places=1, buyer=BUYER),
        [() for _ in range(count)], workers=count,
    )


def test_without_the_counter_lock_concurrent_issues_collide():
    expedition = paid_trip()
    with race_test(locking=False, pause=rendezvous(4), at="billing.number_read"):
        outcome = _issue_all(expedition.pk, 4)
    assert outcome.errors and all(isinstance(e, IntegrityError) for e in outcome.errors)
    assert Document.objects.count() < 4


def test_32_concurrent_issues_get_32_consecutive_numbers():
    expedition = paid_trip()
    outcome = _issue_all(expedition.pk, WORKERS)
    assert outcome.errors == []
    sequences = sorted(Document.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, WORKERS + 1))
