import pytest
from django.core.exceptions import ValidationError

from organisations.validators import french_vat_number, validate_vat_number


@pytest.mark.parametrize("vat", ["FR40303265045", "FR 40 303 265 045", "fr40303265045", "FR23334175221", "DE123456789",
                                 "BE0123456749"])
def test_valid_vat_numbers_pass(vat):
    validate_vat_number(vat)


@pytest.mark.parametrize(("vat", "code"), [
    ("FR41303265045", "vat_checksum"),  # the key of another SIREN
    ("FR40303265046", "vat_siren"),  # the SIREN inside fails its own check digit
    ("FR4030326504", "vat_format"),
    ("FR40A03265045", "vat_format"),
    ("US40303265045", "vat_country"),
    ("40303265045", "vat_country"),
    ("DE1", "vat_format"),
])
def test_invalid_vat_numbers_are_refused_with_a_reason(vat, code):
    with pytest.raises(ValidationError) as error:
        validate_vat_number(vat)
    assert error.value.code == code


def test_the_french_key_is_computed_from_the_siren():
    assert french_vat_number("303265045") == "FR40303265045"
    assert french_vat_number("334175221") == "FR23334175221"


def test_a_wrong_key_says_which_number_the_siren_has():
    with pytest.raises(ValidationError) as error:
        validate_vat_number("FR00303265045")
    assert "FR40303265045" in error.value.messages[0]
