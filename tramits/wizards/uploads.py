"""Uploads of the wizards: PDF, JPEG or PNG by their content, within the size limits, scanned when configured.

The browser's file name is only shown back to the citizen; the file is stored under a generated
name in private storage (settings.PRIVATE_MEDIA_ROOT), never under MEDIA_URL.
"""

import hashlib
import logging
import unicodedata
import uuid

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tramits.documents.storage import private_storage
from tramits.wizards import conf
from tramits.wizards.antivirus import ScanFailed, scan_upload

logger = logging.getLogger(__name__)

ACCEPTED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_NAME_CHARS = 150
UPLOAD_FOLDER = "tramits/uploads"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def sniff(upload) -> str | None:
    """The accepted MIME type the content really has, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        return None
    return kind.mime


def display_name(raw: str, mime: str) -> str:
    """The name shown back to the citizen: no folders, no control or direction characters, the real extension."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    stem, dot, extension = name.rpartition(".")
    expected = ACCEPTED_TYPES[mime]
    if not dot or extension.lower() not in {expected, "jpeg" if expected == "jpg" else expected}:
        stem = name
    stem = stem or "document"
    return f"{stem[: MAX_NAME_CHARS - 5]}.{expected}"


def _has_hostile_characters(name: str) -> bool:
    return any(unicodedata.category(char)[0] == "C" for char in name) or "/" in name or "\\" in name


class UploadField(forms.FileField):
    """One document: checked by content and size, scanned when a scanner is configured.

    Files kept in a draft come back as already checked (`seu_checked`), so going back and forth
    does not scan them again.
    """

    default_error_messages = {
        "empty": _("El fitxer que heu adjuntat és buit. Adjunteu el document complet."),
        "type": _("El fitxer ha de ser un PDF, un JPG o un PNG. Si és una altra mena de fitxer, deseu-lo com a PDF."),
        "size": _("El fitxer fa més de %(limit)s MB. Adjunteu-ne un de més petit."),
        "name": _(
            "El nom del fitxer té caràcters no permesos. Canvieu-li el nom (només lletres, xifres, guions i punts) "
            "i torneu-lo a adjuntar."
        ),
        "name_length": _(
            "El nom del fitxer és massa llarg (com a màxim %(limit)s caràcters). Escurceu-lo i torneu-lo a adjuntar."
        ),
        "infected": _("El fitxer no ha superat la revisió antivirus i no s'ha acceptat."),
        "scanner": _(
            "Ara mateix no podem revisar el fitxer amb l'antivirus. Torneu-lo a adjuntar d'aquí a uns minuts."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or getattr(upload, "seu_checked", False):
            return upload
        if upload.size == 0:
            raise ValidationError(self.error_messages["empty"], code="empty")
        limit = conf.max_file_bytes()
        if upload.size > limit:
            raise ValidationError(self.error_messages["size"], code="size", params={"limit": megabytes(limit)})
        raw_name = upload.name or ""
        if _has_hostile_characters(raw_name):
            raise ValidationError(self.error_messages["name"], code="name")
        if len(raw_name) > MAX_NAME_CHARS:
            raise ValidationError(
                self.error_messages["name_length"], code="name_length", params={"limit": MAX_NAME_CHARS}
            )
        mime = sniff(upload)
        if mime is None:
            raise ValidationError(self.error_messages["type"], code="type")
        try:
            result = scan_upload(upload)
        except ScanFailed as error:
            logger.warning("wizards.upload_scan_failed reason=%s", error)
            raise ValidationError(self.error_messages["scanner"], code="scanner") from error
        if result is not None and not result.clean:
            raise ValidationError(self.error_messages["infected"], code="infected")
        upload.content_type = mime
        upload.name = display_name(raw_name, mime)
        upload.seu_checked = True
        return upload


def upload_store(upload) -> tuple[str, str]:
    """Store a checked upload under a generated name; returns the private-storage name and the SHA-256.

    The hash taken here is the one the register records: the file is not read again to file it.
    """
    extension = ACCEPTED_TYPES.get(upload.content_type, "bin")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return private_storage().save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{extension}", upload), digest.hexdigest()


def upload_delete(name: str) -> None:
    if name:
        private_storage().delete(name)
