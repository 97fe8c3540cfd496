"""The one check of every document that comes in: from the wizards, the back-office desk and the internal API.

A document is accepted when it is not empty, within the size limit, has a name without control
characters or folders and not too long, its content is of an accepted format, and the antivirus,
when one is configured, finds it clean. The content decides the type and the extension of the
name. A program (the API) states the type it sends, and that statement must then match the
content (a generic type takes the one the content shows); a browser only guesses the type from
the file's name, so in the forms a renamed photo is filed as the image it is.

Citizens may send PDF, JPEG and PNG (`CITIZEN_FORMATS`); staff and internal systems also the usual
office formats (`STAFF_FORMATS`). The documents of one filing together stay within one limit,
whoever files it (`filing_size_check`).
"""

import logging
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tramits.documents import conf
from tramits.documents.antivirus import ScanFailed, scan_upload
from tramits.documents.multipart import LOST_PARTS_KEY, is_lost

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192
MAX_NAME_CHARS = 150
GENERIC_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# What some systems still declare for the same formats.
CONTENT_TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
    "image/tif": "image/tiff",
}

MESSAGES: dict[str, Promise] = {
    "empty": _("El fitxer que heu adjuntat és buit. Adjunteu el document complet."),
    "size": _("El fitxer fa més de %(limit)s MB. Adjunteu-ne un de més petit."),
    "name": _(
        "El nom del fitxer té caràcters no permesos. Canvieu-li el nom (només lletres, xifres, guions i punts) "
        "i torneu-lo a adjuntar."
    ),
    "name_length": _(
        "El nom del fitxer és massa llarg (com a màxim %(limit)s caràcters). Escurceu-lo i torneu-lo a adjuntar."
    ),
    "mismatch": _("El contingut del document %(name)s no correspon al tipus declarat (%(type)s)."),
    "infected": _("El fitxer no ha superat la revisió antivirus i no s'ha acceptat."),
    "scanner": _("Ara mateix no podem revisar el fitxer amb l'antivirus. Torneu-lo a adjuntar d'aquí a uns minuts."),
    "lost": _(
        "Un dels fitxers no s'ha pogut llegir i no s'ha rebut. Canvieu-li el nom (només lletres, xifres, guions "
        "i punts) i torneu-lo a adjuntar."
    ),
    "submission_size": _("Els documents de la sol·licitud sumen més de %(limit)s MB. Adjunteu-ne de més petits."),
}


@dataclass(frozen=True)
class FormatSet:
    """The formats a kind of sender may use: content type → file extension, and the message when it is none."""

    extensions: Mapping[str, str]
    names: tuple[str, ...]
    type_message: Promise

    @property
    def suffixes(self) -> set[str]:
        """The extensions a name may have, the usual variants included."""
        suffixes = set(self.extensions.values())
        return suffixes | {SUFFIX_VARIANTS[suffix] for suffix in suffixes if suffix in SUFFIX_VARIANTS}

    @property
    def accept(self) -> str:
        """The `accept` attribute of a file input."""
        return ",".join([*sorted(f".{suffix}" for suffix in self.suffixes), *self.extensions])


SUFFIX_VARIANTS = {"jpg": "jpeg", "tif": "tiff"}
CITIZEN_FORMATS = FormatSet(
    extensions={"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"},
    type_message=_("El fitxer ha de ser un PDF, un JPG o un PNG. Si és una altra mena de fitxer, deseu-lo com a PDF."),
    names=("PDF", "JPEG", "PNG"),
)
# The ENI's usual document and image formats, for staff and internal systems.
STAFF_FORMATS = FormatSet(
    extensions={
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/tiff": "tif",
        "application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.oasis.opendocument.spreadsheet": "ods",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    },
    type_message=_("El document %(name)s no és d'un format admès (%(formats)s)."),
    names=("DOCX", "JPEG", "ODS", "ODT", "PDF", "PNG", "TIFF", "XLSX"),
)


@dataclass(frozen=True)
class CheckedUpload:
    """What the check found: the name to keep (cleaned, with the real extension) and the content's type."""

    name: str
    content_type: str


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def sniffed_content_type(upload) -> str | None:
    """The MIME type the first bytes reveal, or None."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return filetype.guess_mime(head) if head else None


def declared_content_type(upload) -> str:
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    return CONTENT_TYPE_ALIASES.get(declared, declared)


def has_hostile_characters(name: str) -> bool:
    return any(unicodedata.category(char)[0] == "C" for char in name) or "/" in name or "\\" in name


def display_name(raw: str, content_type: str, *, formats: FormatSet = STAFF_FORMATS) -> str:
    """The name shown and filed: no folders, no control or direction characters, the real extension."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    stem, dot, extension = name.rpartition(".")
    expected = formats.extensions[content_type]
    if not dot or extension.lower() not in {expected, SUFFIX_VARIANTS.get(expected, expected)}:
        stem = name
    stem = stem or "document"
    return f"{stem[: MAX_NAME_CHARS - len(expected) - 1]}.{expected}"


def upload_check(upload, *, formats: FormatSet, max_bytes: int, check_declared_type: bool = False) -> CheckedUpload:
    """Check one uploaded file; raise ValidationError with the reason, in the active language, or say what it is.

    `check_declared_type`: the declared content type is the sender's statement (an API call), not a browser's guess.
    """
    if is_lost(upload):
        raise ValidationError(MESSAGES["lost"], code="lost")
    if upload.size == 0:
        raise ValidationError(MESSAGES["empty"], code="empty")
    if upload.size > max_bytes:
        raise ValidationError(MESSAGES["size"], code="size", params={"limit": megabytes(max_bytes)})
    raw_name = upload.name or ""
    if has_hostile_characters(raw_name):
        raise ValidationError(MESSAGES["name"], code="name")
    if len(raw_name) > MAX_NAME_CHARS:
        raise ValidationError(MESSAGES["name_length"], code="name_length", params={"limit": MAX_NAME_CHARS})
    sniffed = sniffed_content_type(upload)
    if sniffed not in formats.extensions:
        raise ValidationError(
            formats.type_message, code="type", params={"name": raw_name, "formats": ", ".join(formats.names)}
        )
    declared = declared_content_type(upload)
    if check_declared_type and declared not in GENERIC_CONTENT_TYPES and declared != sniffed:
        raise ValidationError(MESSAGES["mismatch"], code="mismatch", params={"name": raw_name, "type": declared})
    try:
        result = scan_upload(upload)
    except ScanFailed as error:
        logger.warning("documents.upload_scan_failed reason=%s", error)
        raise ValidationError(MESSAGES["scanner"], code="scanner") from error
    if result is not None and not result.clean:
        raise ValidationError(MESSAGES["infected"], code="infected")
    return CheckedUpload(name=display_name(raw_name, sniffed, formats=formats), content_type=sniffed)


def filing_size_check(sizes: Iterable[int]) -> None:
    """All the documents of one filing together within the limit, on every way in."""
    limit = conf.max_submission_bytes()
    if sum(sizes) > limit:
        raise ValidationError(MESSAGES["submission_size"], code="submission_size", params={"limit": megabytes(limit)})


# Form widgets -----------------------------------------------------------------------------------


class DocumentInput(forms.ClearableFileInput):
    """A file input that hands a lost part (see tramits.documents.multipart) to its field instead of nothing."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is None and files is not None and files.get(LOST_PARTS_KEY):
            return files.get(LOST_PARTS_KEY)
        return value


class MultipleDocumentInput(DocumentInput):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if files is not None and files.get(LOST_PARTS_KEY) and not any(is_lost(item) for item in value or []):
            value = [*(value or []), files.get(LOST_PARTS_KEY)]
        return value
