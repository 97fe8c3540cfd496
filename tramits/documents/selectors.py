"""Reads of issued documents."""

from tramits.documents.models import IssuedDocument


def issued_document_get_by_csv(*, csv: str) -> IssuedDocument | None:
    """The document with exactly this normalised code, or None."""
    return IssuedDocument.objects.select_related("register_entry").filter(csv=csv).first()
