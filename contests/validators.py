"""The contest's numbers are the organisations' (``organisations.validators``): SIRET as INSEE
defines it, La Poste's rule included. Kept as a name for the contest's modules and tests."""

from organisations.validators import (  # noqa: F401
    LA_POSTE_HEAD_OFFICE_SIRET,
    LA_POSTE_SIREN,
    NULL_SIREN,
    compact,
    is_valid_siren,
    is_valid_siret,
    luhn_ok,
    validate_siret,
)
