"""European SME definition (Commission Recommendation 2003/361/EC), told in plain words.

An SME employs fewer than 250 people and has an annual turnover of at most €50 million
*or* a balance-sheet total of at most €43 million, and is independent (no large company
holds 25% or more of it). A micro-enterprise (TPE) employs fewer than 10 people with a
turnover or balance sheet of at most €2 million.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SME_MAX_STAFF = 250  # exclusive
SME_MAX_TURNOVER = 50_000_000
SME_MAX_BALANCE_SHEET = 43_000_000
MICRO_MAX_STAFF = 10  # exclusive
MICRO_MAX_AMOUNT = 2_000_000


@dataclass
class Eligibility:
    eligible: bool
    category: str  # "micro", "sme" or "" when not eligible
    reasons: list[str] = field(default_factory=list)


def sme_eligibility(*, headcount: int | None, turnover_eur: int | None, balance_sheet_eur: int | None, independent: bool) -> Eligibility:
    """Whether a company may enter the contest, and why not in plain words."""
    reasons: list[str] = []
    if headcount is None:
        reasons.append(_("Give your headcount: the contest is for SMEs, which employ fewer than 250 people."))
    elif headcount >= SME_MAX_STAFF:
        reasons.append(
            _("Your company employs %(n)s people: the contest is for SMEs, which employ fewer than 250 people.") % {"n": headcount}
        )
    if turnover_eur is None and balance_sheet_eur is None:
        reasons.append(_("Give your annual turnover or your balance-sheet total: one of them is needed to check the SME ceilings."))
    else:
        turnover_ok = turnover_eur is not None and turnover_eur <= SME_MAX_TURNOVER
        balance_ok = balance_sheet_eur is not None and balance_sheet_eur <= SME_MAX_BALANCE_SHEET
        if not (turnover_ok or balance_ok):
            if balance_sheet_eur is None:
                # Only one amount was given: say which one is missing instead of guessing it is too high.
                reasons.append(
                    _(
                        "Your turnover is above €50 million: an SME may still enter if its balance-sheet total is at "
                        "most €43 million. Give your balance-sheet total."
                    )
                )
            elif turnover_eur is None:
                reasons.append(
                    _(
                        "Your balance-sheet total is above €43 million: an SME may still enter if its turnover is at "
                        "most €50 million. Give your annual turnover."
                    )
                )
            else:
                reasons.append(
                    _(
                        "Your turnover is above €50 million and your balance-sheet total above €43 million: an SME must "
                        "stay under at least one of these two ceilings."
                    )
                )
    if not independent:
        reasons.append(
            _(
                "You have not declared your company independent: an SME must not be 25% or more owned by one or more "
                "large companies."
            )
        )
    if reasons:
        return Eligibility(eligible=False, category="", reasons=reasons)
    amounts = [a for a in (turnover_eur, balance_sheet_eur) if a is not None]
    micro = headcount is not None and headcount < MICRO_MAX_STAFF and any(a <= MICRO_MAX_AMOUNT for a in amounts)
    return Eligibility(eligible=True, category="micro" if micro else "sme")


def company_eligibility(company) -> Eligibility:
    return sme_eligibility(
        headcount=company.headcount,
        turnover_eur=company.turnover_eur,
        balance_sheet_eur=company.balance_sheet_eur,
        independent=company.independence_declared,
    )
