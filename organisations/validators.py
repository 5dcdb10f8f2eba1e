"""SIREN/SIRET validity as INSEE defines it, and VAT numbers with the French key.

INSEE: a SIREN has 9 digits and a SIRET 14 (SIREN + 5-digit NIC); both carry a Luhn check
digit. Documented exception: La Poste (SIREN 356 000 000) numbers its establishments so that
the *sum of the 14 digits* is a multiple of 5 instead of passing Luhn; its head office
(356 000 000 00048) passes Luhn. Existence is not checked: there is no registry access.

A French VAT number is ``FR`` + a two-character key + the SIREN. The numeric key is
``(12 + 3 × (SIREN mod 97)) mod 97`` (CGI art. 286 ter; the formula the DGFiP publishes); it is
checked, and the SIREN inside must pass its own check. The rarer alphanumeric keys are accepted
on their format only (their algorithm is not published). Another EU country's number is checked
on its format (country code, then 2 to 13 letters or digits); VIES is not queried.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"
_SPACES = re.compile(r"[\s.\-\u00a0\u202f]")
EU_VAT_PREFIXES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
}
_FOREIGN_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{2,13}$")
_FR_ALPHA_KEY = re.compile(r"^[0-9A-HJ-NP-Z]{2}$")


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


def french_vat_key(siren: str) -> str:
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def french_vat_number(siren: str) -> str:
    """The intra-community VAT number of a French SIREN (numeric key)."""
    return f"FR{french_vat_key(siren)}{siren}"


def normalise_vat(value: str) -> str:
    return compact(value).upper()


def validate_vat_number(value: str) -> None:
    number = normalise_vat(value)
    prefix = number[:2]
    if prefix not in EU_VAT_PREFIXES:
        raise ValidationError(
            _("An intra-community VAT number starts with the country code, e.g. FR 12 345678901."), code="vat_country"
        )
    if prefix != "FR":
        if not _FOREIGN_VAT.fullmatch(number):
            raise ValidationError(_("This VAT number does not have the format of its country."), code="vat_format")
        return
    key, siren = number[2:4], number[4:]
    if len(number) != 13 or not (siren.isascii() and siren.isdigit()) or not _FR_ALPHA_KEY.fullmatch(key):
        raise ValidationError(
            _("A French VAT number is FR, a two-character key and the 9-digit SIREN (13 characters)."), code="vat_format"
        )
    if not is_valid_siren(siren):
        raise ValidationError(_("The SIREN inside this VAT number is not valid."), code="vat_siren")
    if key.isdigit() and key != french_vat_key(siren):
        raise ValidationError(
            _("This VAT number is not valid: its key does not match the SIREN (for this SIREN it is %(vat)s).")
            % {"vat": french_vat_number(siren)},
            code="vat_checksum",
        )
