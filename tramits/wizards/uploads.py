"""Uploads of the wizards: the citizen's documents, checked by `tramits.documents.uploads`, stored privately.

The browser's file name is only shown back to the citizen; the file is stored under a generated
name in private storage (settings.PRIVATE_MEDIA_ROOT), never under MEDIA_URL.
"""

import hashlib
import uuid

from django import forms
from django.core.exceptions import ValidationError

from tramits.documents import conf
from tramits.documents.multipart import is_lost
from tramits.documents.storage import private_storage
from tramits.documents.uploads import CITIZEN_FORMATS, MESSAGES, DocumentInput, megabytes, upload_check

ACCEPTED_TYPES = dict(CITIZEN_FORMATS.extensions)
UPLOAD_FOLDER = "tramits/uploads"

__all__ = ["UPLOAD_FOLDER", "UncheckedUpload", "UploadField", "megabytes", "upload_delete", "upload_store"]


class UncheckedUpload(Exception):
    """Only a file that went through `UploadField` is stored."""


class UploadField(forms.FileField):
    """One document: checked by content, size and name, scanned when a scanner is configured.

    Files kept in a draft come back as already checked (`seu_checked`), so going back and forth
    does not scan them again.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DocumentInput(attrs={"accept": CITIZEN_FORMATS.accept}))
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        if is_lost(data):
            raise ValidationError(MESSAGES["lost"], code="lost")
        upload = super().clean(data, initial)
        if not upload or getattr(upload, "seu_checked", False):
            return upload
        checked = upload_check(upload, formats=CITIZEN_FORMATS, max_bytes=conf.max_file_bytes())
        upload.content_type = checked.content_type
        upload.name = checked.name
        upload.seu_checked = True
        return upload


def upload_store(upload) -> tuple[str, str]:
    """Store a checked upload under a generated name; returns the private-storage name and the SHA-256.

    The hash taken here is the one the register records: the file is not read again to file it.
    """
    if not getattr(upload, "seu_checked", False):
        raise UncheckedUpload(upload.name)
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
