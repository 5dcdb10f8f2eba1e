"""Smoke test of the ``rules`` package on Django 5.2 (its 5.2 support is merged upstream but not
released): predicates compose, named rules answer, the object permission backend and the
template tags work — and the superuser shortcut of ``has_perm`` never answers "may this happen
now?" (the portal asks those questions with ``test_rule`` or the predicate itself)."""

import django
import pytest
import rules
from django.template import Context, Template

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@rules.predicate
def _is_even(_user, number) -> bool:
    return number % 2 == 0


@rules.predicate
def _is_positive(_user, number) -> bool:
    return number > 0


def test_rules_runs_on_django_5_2():
    assert django.VERSION[:2] == (5, 2)
    assert rules.VERSION[:2] == (3, 5)


def test_predicates_compose_and_named_rules_answer():
    combined = _is_even & ~_is_positive
    assert combined(None, -2) is True
    assert combined(None, 2) is False
    rules.add_rule("tests.even_and_positive", _is_even & _is_positive)
    try:
        assert rules.test_rule("tests.even_and_positive", None, 4) is True
        assert rules.test_rule("tests.even_and_positive", None, 3) is False
        html = Template("{% load rules %}{% test_rule 'tests.even_and_positive' user 4 as ok %}{{ ok }}").render(
            Context({"user": None}))
        assert html == "True"
    finally:
        rules.remove_rule("tests.even_and_positive")


def test_object_permissions_go_through_the_backend_but_superusers_bypass_them():
    rules.add_perm("tests.change_even", _is_even)
    try:
        person, superuser = UserFactory(), UserFactory(is_superuser=True)
        assert person.has_perm("tests.change_even", 2) is True
        assert person.has_perm("tests.change_even", 3) is False
        assert superuser.has_perm("tests.change_even", 3) is True  # why phase checks are rules, not perms
        html = Template("{% load rules %}{% has_perm 'tests.change_even' user 2 as ok %}{{ ok }}").render(
            Context({"user": person}))
        assert html == "True"
    finally:
        rules.remove_perm("tests.change_even")


def test_the_portal_registers_its_rules_at_start_up():
    for name in ("contests.edit_project", "contests.withdraw_project", "contests.prepare_results",
                 "expeditions.cancel_registration", "expeditions.decline_offer"):
        assert rules.rule_exists(name), name
