"""Files staff upload: PDF, JPEG or PNG, recognised by their first bytes rather than by name or browser."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# A browser's content type and a file's extension are whatever the sender says; the signature is not.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def sniffed_content_type(upload: UploadedFile) -> str | None:
    """The content type the file's first bytes reveal, or None when it is none of the accepted ones."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def validate_upload(upload: UploadedFile) -> str:
    """Return the sniffed content type, or raise a message that names the file."""
    if upload.size == 0:
        raise ValidationError(_("El fitxer %(name)s és buit."), params={"name": upload.name}, code="empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("El fitxer %(name)s fa més de 50 MB."), params={"name": upload.name}, code="too_large")
    content_type = sniffed_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("El fitxer %(name)s no és un PDF, un JPEG ni un PNG."), params={"name": upload.name}, code="file_type"
        )
    return content_type


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentFileField(forms.FileField):
    """One PDF, JPEG or PNG file; `cleaned_data` holds (file, sniffed content type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", _("PDF, JPEG o PNG, de com a molt 50 MB."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return upload, validate_upload(upload)


class MultipleDocumentFileField(forms.FileField):
    """Several PDF, JPEG or PNG files; `cleaned_data` holds a list of (file, sniffed content type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", _("PDF, JPEG o PNG, de com a molt 50 MB cadascun. Podeu triar-ne diversos."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                upload = super().clean(upload, initial)
                cleaned.append((upload, validate_upload(upload)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned
