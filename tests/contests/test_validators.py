import pytest
from django.core.exceptions import ValidationError

from contests.eligibility import sme_eligibility
from contests.validators import is_valid_siren, is_valid_siret, validate_siret


@pytest.mark.parametrize("siren", ["732829320", "552100554", "784283145", "356000000", "542065479"])
def test_known_valid_sirens_pass(siren):
    assert is_valid_siren(siren) is True


@pytest.mark.parametrize("siren", ["732829321", "123456789", "00000000", "7328293200", "73282932A", "", "７３２８２９３２０"])
def test_invalid_sirens_fail(siren):
    assert is_valid_siren(siren) is False


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a Luhn-valid establishment
        "55210055400013",
        "732 829 320 00074",  # typed with spaces
        "35600000000048",  # La Poste head office: passes Luhn
        "35600000049837",  # La Poste establishment: fails Luhn, digit sum 45 is a multiple of 5
    ],
)
def test_known_valid_sirets_pass(siret):
    assert is_valid_siret(siret) is True


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000075",  # wrong check digit
        "54206547900020",  # fails Luhn and is not La Poste
        "35600000000049",  # La Poste number whose digit sum (27) is not a multiple of 5
        "39812346700034",  # digit sum multiple of 5 but not La Poste: the exception does not apply
        "7328293200007",  # 13 digits
        "732829320000740",  # 15 digits
        "7328293200007A",
        "",
    ],
)
def test_invalid_sirets_fail(siret):
    assert is_valid_siret(siret) is False


def test_siret_error_messages_say_what_is_wrong():
    with pytest.raises(ValidationError) as length:
        validate_siret("1234")
    assert length.value.messages == ["Un numéro SIRET compte exactement 14 chiffres."]
    with pytest.raises(ValidationError) as checksum:
        validate_siret("73282932000075")
    assert checksum.value.code == "siret_checksum"


def _e(headcount, turnover=None, balance=None, independent=True):
    return sme_eligibility(headcount=headcount, turnover_eur=turnover, balance_sheet_eur=balance, independent=independent)


def test_249_people_with_50m_turnover_is_an_sme():
    result = _e(249, turnover=50_000_000)
    assert (result.eligible, result.category) == (True, "sme")


def test_250_people_is_not_an_sme():
    result = _e(250, turnover=1_000_000)
    assert result.eligible is False
    assert len(result.reasons) == 1
    assert "250" in result.reasons[0]


def test_turnover_above_ceiling_is_saved_by_a_small_balance_sheet():
    assert _e(100, turnover=60_000_000, balance=43_000_000).eligible is True


def test_both_amounts_above_ceilings_is_not_an_sme():
    result = _e(100, turnover=50_000_001, balance=43_000_001)
    assert result.eligible is False


def test_a_single_amount_above_its_ceiling_asks_for_the_other_one_instead_of_claiming_it_is_too_high():
    assert _e(100, turnover=60_000_000).reasons == [
        "Votre chiffre d’affaires dépasse 50 millions d’euros : une PME peut tout de même participer si le total de "
        "son bilan ne dépasse pas 43 millions d’euros. Indiquez le total de votre bilan."
    ]
    assert _e(100, balance=50_000_000).reasons == [
        "Le total de votre bilan dépasse 43 millions d’euros : une PME peut tout de même participer si son chiffre "
        "d’affaires ne dépasse pas 50 millions d’euros. Indiquez votre chiffre d’affaires annuel."
    ]
    assert len(_e(100, turnover=50_000_001, balance=43_000_001).reasons) == 1


def test_no_amount_at_all_is_explained():
    result = _e(5)
    assert result.eligible is False
    assert result.reasons == [
        "Indiquez votre chiffre d’affaires annuel ou le total de votre bilan : l’un des deux est nécessaire pour vérifier "
        "les plafonds des PME."
    ]


def test_micro_enterprise_edges():
    assert _e(9, turnover=2_000_000).category == "micro"
    assert _e(10, turnover=2_000_000).category == "sme"
    assert _e(9, turnover=2_000_001).category == "sme"
    assert _e(9, turnover=3_000_000, balance=1_000_000).category == "micro"


def test_undeclared_independence_is_ineligible_with_every_reason_listed():
    result = _e(300, turnover=90_000_000, balance=90_000_000, independent=False)
    assert result.eligible is False
    assert len(result.reasons) == 3
