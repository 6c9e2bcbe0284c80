import pytest
from django.core.exceptions import ValidationError

from instruments.postcodes import format_ranges, parse_postcode, parse_postcode_ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("9100", [(9100, 9100)]),
        ("9100, 9150-9190", [(9100, 9100), (9150, 9190)]),
        ("9150 - 9190; 9100", [(9100, 9100), (9150, 9190)]),
        ("9150–9190\n2000 tot 2180", [(2000, 2180), (9150, 9190)]),
        ("9100 9120", [(9100, 9100), (9120, 9120)]),
        # overlapping and adjacent ranges are merged, duplicates dropped
        ("9100-9150, 9140-9190, 9191, 9100", [(9100, 9191)]),
        ("1000, 9999", [(1000, 1000), (9999, 9999)]),
    ],
)
def test_parses_what_people_type(text, expected):
    assert parse_postcode_ranges(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12", "„12” is geen Belgische postcode"),
        ("0999", "tussen 1000 en 9999"),
        ("10000", "4 cijfers"),
        ("abcd", "„abcd”"),
        ("9190-9150", "de tweede postcode vóór de eerste"),
        ("9100-", "„9100-”"),
        ("9100-9200-9300", "„9100-9200-9300”"),
        ("²²²²", "„²²²²”"),  # a "digit" for isdigit(), not for int()
        ("٩١٠٠", "„٩١٠٠”"),  # Arabic-Indic digits: no Belgian postcode
    ],
)
def test_bad_parts_get_a_dutch_message_naming_them(text, fragment):
    with pytest.raises(ValidationError) as error:
        parse_postcode_ranges(text)
    assert any(fragment in message for message in error.value.messages)


def test_every_bad_part_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        parse_postcode_ranges("9100, 12, 9300-9200, abc")
    assert len(error.value.messages) == 3


def test_formats_back_to_the_typed_form():
    assert format_ranges(parse_postcode_ranges("9150-9190, 9100")) == "9100, 9150-9190"


def test_single_postcode_for_the_directory():
    assert parse_postcode(" 9100 ") == 9100
    with pytest.raises(ValidationError):
        parse_postcode("91")
