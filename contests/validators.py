"""SIREN/SIRET validity as INSEE defines it, and the European SME eligibility rules.

INSEE: a SIREN has 9 digits and a SIRET 14 (SIREN + 5-digit NIC); both carry a Luhn check
digit. Documented exception: La Poste (SIREN 356 000 000) numbers its establishments so that
the *sum of the 14 digits* is a multiple of 5 instead of passing Luhn; its head office
(356 000 000 00048) passes Luhn. Existence is not checked: there is no registry access.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"
_SPACES = re.compile(r"[\s.\-\u00a0\u202f]")


def compact(value: str) -> str:
    """Remove the spaces, dots and dashes people type in the middle of a number."""
    return _SPACES.sub("", value or "")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Passes Luhn like any run of zeros, but INSEE never gives it to a company.
NULL_SIREN = "000000000"


def is_valid_siren(value: str) -> bool:
    number = compact(value)
    return len(number) == 9 and number.isascii() and number.isdigit() and number != NULL_SIREN and luhn_ok(number)


def is_valid_siret(value: str) -> bool:
    number = compact(value)
    if len(number) != 14 or not (number.isascii() and number.isdigit()):
        return False
    if number.startswith(LA_POSTE_SIREN) and number != LA_POSTE_HEAD_OFFICE_SIRET:
        return sum(int(c) for c in number) % 5 == 0
    return luhn_ok(number) and is_valid_siren(number[:9])


def validate_siret(value: str) -> None:
    number = compact(value)
    if not (number.isascii() and number.isdigit()) or len(number) != 14:
        raise ValidationError(_("A SIRET number has exactly 14 digits."), code="siret_format")
    if number.startswith(NULL_SIREN):
        raise ValidationError(_("This SIRET number does not exist: no company has the SIREN 000 000 000."), code="siret_null")
    if not is_valid_siret(number):
        raise ValidationError(
            _("This SIRET number is not valid: its check digit does not match. Please check it against your Kbis or INSEE notice."),
            code="siret_checksum",
        )
