"""Writes of issued documents: each one stored privately with its hash and a fresh CSV code."""

import datetime as dt
import hashlib
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tramits.documents.codes import csv_new
from tramits.documents.models import DocumentType, IssuedDocument, Origin, ProductionState

logger = logging.getLogger(__name__)

_CSV_ATTEMPTS = 3


def issued_document_create(
    *,
    title: str,
    document_type: DocumentType | str,
    content: bytes,
    file_name: str,
    content_type: str,
    organ: str,
    origin: Origin | str = Origin.ADMINISTRATION,
    state: ProductionState | str = ProductionState.ORIGINAL,
    register_entry=None,
    csv: str | None = None,
    language: str = "ca",
    captured_at: dt.datetime | None = None,
) -> IssuedDocument:
    """Store a document and its metadata; pass `csv` when the code is already printed in the content."""
    now = timezone.now()
    document = IssuedDocument(
        csv=csv or csv_new(),
        title=title,
        document_type=document_type,
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type=content_type,
        language=language,
        created_at=now,
        register_entry=register_entry,
        nti_identifier=f"ES_{organ}_{timezone.localtime(now):%Y}_{secrets.token_hex(10).upper()}",
        organ=organ,
        captured_at=captured_at or now,
        origin=origin,
        state=state,
        file_format=(file_name.rsplit(".", 1)[-1] if "." in file_name else content_type.split("/")[-1]).upper(),
    )
    document.file.save(file_name, ContentFile(content), save=False)
    attempts = 1 if csv else _CSV_ATTEMPTS
    try:
        for attempt in range(1, attempts + 1):
            try:
                with transaction.atomic():
                    document.save()
                break
            except IntegrityError:
                # A CSV collision has odds of 2^-100; a given code or a second receipt is the real cause.
                if attempt == attempts or IssuedDocument.objects.filter(csv=document.csv).count() == 0:
                    raise
                document.csv = csv_new()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    logger.info("documents.issued id=%s type=%s size=%s", document.pk, document.document_type, document.size)
    return document
