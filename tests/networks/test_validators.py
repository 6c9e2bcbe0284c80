import pytest
from django.core.exceptions import ValidationError

from networks.validators import format_kbo, normalise_kbo, validate_kbo


@pytest.mark.parametrize(
    "value", ["0123456749", "0123.456.749", "BE 0123.456.749", "be0123456749", "123456749"]
)
def test_valid_kbo_numbers_in_the_forms_people_type(value):
    validate_kbo(value)
    assert normalise_kbo(value) == "0123456749"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0123456748", "kbo_checksum"),  # last digit off by one
        ("0123456794", "kbo_checksum"),  # check digits swapped
        ("2123456749", "kbo_format"),  # must start with 0 or 1
        ("01234", "kbo_format"),
        ("abcdefghij", "kbo_format"),
        ("0123 456 749 1", "kbo_format"),
    ],
)
def test_invalid_kbo_numbers_are_rejected_with_a_dutch_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_kbo(value)
    assert excinfo.value.code == code
    assert "KBO-nummer" in str(excinfo.value.messages[0])


def test_format_kbo():
    assert format_kbo("0123456749") == "0123.456.749"
