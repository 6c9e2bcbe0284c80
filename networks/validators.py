import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_kbo(value: str) -> str:
    """'BE 0123.456.749' → '0123456749'. Leaves anything unparseable for the validator to reject."""
    cleaned = re.sub(r"[\s.\-/]", "", (value or "").upper())
    if cleaned.startswith("BE"):
        cleaned = cleaned[2:]
    # Old numbers were 9 digits; the KBO prefixes them with 0.
    if re.fullmatch(r"\d{9}", cleaned):
        cleaned = "0" + cleaned
    return cleaned


def validate_kbo(value: str) -> None:
    """A Belgian enterprise number: 10 digits, starts with 0 or 1, last two = 97 − (first eight mod 97)."""
    digits = normalise_kbo(value)
    if not re.fullmatch(r"[01]\d{9}", digits):
        raise ValidationError(
            _("Een KBO-nummer bestaat uit 10 cijfers en begint met 0 of 1, bijvoorbeeld 0123.456.749."),
            code="kbo_format",
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(
            _("Dit KBO-nummer bestaat niet: de controlecijfers kloppen niet. Kijk het nummer na."),
            code="kbo_checksum",
        )


def format_kbo(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits


postcode_validator_message = _("Een Belgische postcode heeft 4 cijfers (1000–9999).")


def validate_postcode(value: str) -> None:
    if not re.fullmatch(r"[1-9]\d{3}", value or ""):
        raise ValidationError(postcode_validator_message, code="postcode")
