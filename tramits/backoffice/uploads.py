"""Files staff upload at the desk and on an expedient, checked by `tramits.documents.uploads` with the staff formats."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from tramits.documents import conf
from tramits.documents.multipart import is_lost
from tramits.documents.uploads import (
    MESSAGES,
    STAFF_FORMATS,
    DocumentInput,
    MultipleDocumentInput,
    filing_size_check,
    megabytes,
    upload_check,
)


def validate_upload(upload: UploadedFile) -> str:
    """Check a staff upload; returns the content type its bytes show, and gives it the name to file it under."""
    checked = upload_check(upload, formats=STAFF_FORMATS, max_bytes=conf.staff_max_file_bytes())
    upload.name = checked.name
    upload.content_type = checked.content_type
    return checked.content_type


def _help_text(several: bool) -> str:
    params = {"formats": ", ".join(STAFF_FORMATS.names), "limit": megabytes(conf.staff_max_file_bytes())}
    if several:
        return _("%(formats)s, de com a molt %(limit)s MB cadascun. Podeu triar-ne diversos.") % params
    return _("%(formats)s, de com a molt %(limit)s MB.") % params


# In the language of the request that shows the form, with the limit of the moment.
staff_help_text = lazy(_help_text, str)


class DocumentFileField(forms.FileField):
    """One document; `cleaned_data` holds (file, sniffed content type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DocumentInput(attrs={"accept": STAFF_FORMATS.accept}))
        kwargs.setdefault("help_text", staff_help_text(False))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        if is_lost(data):
            raise ValidationError(MESSAGES["lost"], code="lost")
        upload = super().clean(data, initial)
        if not upload:
            return None
        return upload, validate_upload(upload)


class MultipleDocumentFileField(forms.FileField):
    """Several documents of one filing; `cleaned_data` holds a list of (file, sniffed content type).

    Each file's message starts with its name, so staff know which one to scan again.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleDocumentInput(attrs={"accept": STAFF_FORMATS.accept}))
        kwargs.setdefault("help_text", staff_help_text(True))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for upload in uploads:
            name = upload.name
            try:
                if is_lost(upload):
                    raise ValidationError(MESSAGES["lost"], code="lost")
                upload = super().clean(upload, initial)
                cleaned.append((upload, validate_upload(upload)))
            except ValidationError as error:
                errors.extend(
                    ValidationError(f"{name}: {message}" if name and name not in message else message, code=item.code)
                    for item in error.error_list
                    for message in item.messages
                )
        if not errors:
            try:
                filing_size_check(upload.size for upload, _content_type in cleaned)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned
