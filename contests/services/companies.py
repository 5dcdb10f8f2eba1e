"""Writes of companies and of the people acting for them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contests import rules
from contests.models import (
    Company,
    CompanyMember,
)
from contests.validators import compact


def company_create(*, user, legal_name: str, siret: str, region, headcount: int, turnover_eur: int | None,
                   balance_sheet_eur: int | None, created_on, independence_declared: bool, is_demo: bool = False) -> Company:
    """Create a company and make the person its leader. A SIRET is registered once on the portal
    (the unique index decides between two people registering it at the same moment)."""
    number = compact(siret)
    taken = ValidationError(
        {"siret": _("A company with this SIRET is already registered: ask one of its members to add you to it.")}
    )
    if Company.objects.filter(siret=number).exists():
        raise taken
    try:
        with transaction.atomic():
            return _company_insert(
                user=user, legal_name=legal_name, siret=number, region=region, headcount=headcount,
                turnover_eur=turnover_eur, balance_sheet_eur=balance_sheet_eur, created_on=created_on,
                independence_declared=independence_declared, is_demo=is_demo,
            )
    except IntegrityError:
        raise taken from None


def _company_insert(*, user, legal_name, siret, region, headcount, turnover_eur, balance_sheet_eur, created_on,
                    independence_declared, is_demo) -> Company:
    company = Company(
        legal_name=legal_name.strip(), siret=siret, region=region, headcount=headcount, turnover_eur=turnover_eur,
        balance_sheet_eur=balance_sheet_eur, created_on=created_on, independence_declared=independence_declared,
        is_demo=is_demo,
    )
    company.full_clean(validate_unique=False)
    company.save()
    CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.LEADER)
    return company


@transaction.atomic
def company_update(*, company: Company, user, **fields: Any) -> Company:
    """Only a member of the company may change it; the SIRET is checked again."""
    if not rules.is_company_member(user, company.pk):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(company, name, compact(value) if name == "siret" else value)
    company.full_clean()
    company.save()
    return company
