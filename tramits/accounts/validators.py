"""Checks for what citizens type into account forms: names, phones and free text."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls, zero-width and bidirectional overrides: invisible, and used to disguise text.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAME_PUNCTUATION = set(" '’-.·ºª")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_SPANISH_PHONE = re.compile(r"^[6789]\d{8}$")
_INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")


def validate_one_line_text(value: str) -> None:
    """Refuse control characters and markup in a single-line field."""
    if _CONTROL_ONE_LINE.search(value):
        raise ValidationError(_("Aquest camp conté caràcters de control no permesos."), code="control_characters")
    _refuse_markup(value)


def validate_multi_line_text(value: str) -> None:
    """Refuse control characters (other than line breaks and tabs) and markup in a text area."""
    if _CONTROL_MULTI_LINE.search(value):
        raise ValidationError(_("Aquest camp conté caràcters de control no permesos."), code="control_characters")
    _refuse_markup(value)


def _refuse_markup(value: str) -> None:
    if "<" in value or ">" in value:
        raise ValidationError(_("No s'hi poden fer servir els caràcters < i >."), code="markup")


def validate_person_name(value: str) -> None:
    """A name is made of letters, spaces, apostrophes, hyphens, dots and the Catalan middle dot."""
    validate_one_line_text(value)
    if not all(char.isalpha() or char in _NAME_PUNCTUATION for char in value):
        raise ValidationError(
            _("Escriviu-hi només lletres, espais, apòstrofs, guionets o punts."), code="name_characters"
        )


def normalise_phone(value: str) -> str:
    """Return the phone in international form (+34 for Spanish numbers), or raise ValidationError."""
    number = _PHONE_SEPARATORS.sub("", value or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if _SPANISH_PHONE.match(number):
        number = "+34" + number
    spanish = number.startswith("+34")
    if (spanish and not _SPANISH_PHONE.match(number[3:])) or not _INTERNATIONAL_PHONE.match(number):
        raise ValidationError(
            _(
                "Escriviu un telèfon de 9 xifres, per exemple 973 700 300, "
                "o un d'internacional amb el prefix del país, per exemple +33 1 23 45 67 89."
            ),
            code="phone",
        )
    return number
