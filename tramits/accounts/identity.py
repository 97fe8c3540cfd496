"""Spanish identity documents (DNI, NIE) and passports: normalisation and check letters."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_DNI = re.compile(r"^(\d{8})([A-Z])$")
_NIE = re.compile(r"^([XYZ])(\d{7})([A-Z])$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    NIE = "nie", _("NIE")
    PASSPORT = "passport", _("Passaport")


def normalise(number: str) -> str:
    """Upper case without spaces, dots or hyphens, as people write them in many ways."""
    return re.sub(r"[\s.\-]", "", number or "").upper()


def check_letter(digits: str) -> str:
    return CHECK_LETTERS[int(digits) % 23]


def guess_type(number: str) -> str:
    number = normalise(number)
    if _DNI.match(number):
        return DocumentType.DNI
    if _NIE.match(number):
        return DocumentType.NIE
    return DocumentType.PASSPORT


def validate_document(number: str, doc_type: str | None = None) -> str:
    """Return the normalised number, or raise ValidationError with a message for the citizen."""
    number = normalise(number)
    doc_type = doc_type or guess_type(number)
    if doc_type == DocumentType.DNI:
        match = _DNI.match(number)
        if not match:
            raise ValidationError(_("Un DNI té 8 xifres i una lletra, per exemple 12345678Z."), code="dni_format")
        if check_letter(match[1]) != match[2]:
            raise ValidationError(_("La lletra del DNI no correspon al número. Reviseu-lo."), code="dni_letter")
    elif doc_type == DocumentType.NIE:
        match = _NIE.match(number)
        if not match:
            raise ValidationError(
                _("Un NIE comença per X, Y o Z, té 7 xifres i acaba en una lletra, per exemple X1234567L."),
                code="nie_format",
            )
        digits = str("XYZ".index(match[1])) + match[2]
        if check_letter(digits) != match[3]:
            raise ValidationError(_("La lletra del NIE no correspon al número. Reviseu-lo."), code="nie_letter")
    elif doc_type == DocumentType.PASSPORT:
        if not _PASSPORT.match(number):
            raise ValidationError(
                _("El número de passaport ha de tenir entre 5 i 20 lletres o xifres."), code="passport_format"
            )
    else:
        raise ValidationError(_("Tipus de document desconegut."), code="doc_type")
    return number


def identification_method_of(*, user) -> str:
    """How the account proved who it is: the identity broker (VÀLid) when it came from it, else its password.

    Values of `tramits.registre.models.IdentificationMethod`.
    """
    accounts = getattr(user, "socialaccount_set", None)
    if accounts is not None and accounts.exists():
        return "oidc_valid"
    return "password"
