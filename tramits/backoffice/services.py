"""Back-office actions that combine the domain's services: each runs in one transaction."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tramits.backoffice.rendering import note_pdf, resolution_pdf
from tramits.catalogue.models import Department
from tramits.documents.codes import csv_new
from tramits.documents.models import DocumentType, IssuedDocument, Origin
from tramits.documents.services import issued_document_create
from tramits.expedients import services as expedients
from tramits.expedients.models import Expedient, ExpedientDocument, ExpedientDocumentType
from tramits.registre.models import Channel, IdentificationMethod, Register, RegisterEntry
from tramits.registre.services import AttachmentUpload, Party, register_entry_create

logger = logging.getLogger(__name__)


def _author(actor) -> str:
    return actor.get_full_name() or actor.email


@dataclass(frozen=True)
class DeskFiling:
    """What the desk typed and scanned, already validated by the form."""

    applicant: Party
    representative: Party | None
    procedure_code: str
    subject: str
    department: Department
    attachments: list[AttachmentUpload]
    idempotency_key: str


def desk_filing_register(*, filing: DeskFiling, actor) -> tuple[RegisterEntry, Expedient]:
    """Register a paper filing and open its expedient in one transaction; the same key returns the same pair."""
    with transaction.atomic():
        entry = register_entry_create(
            register=Register.INCOMING,
            channel=Channel.IN_PERSON,
            applicant=filing.applicant,
            representative=filing.representative,
            subject=filing.subject,
            procedure_code=filing.procedure_code,
            unit_dir3=filing.department.dir3,
            attachments=filing.attachments,
            submitted_by=actor,
            idempotency_key=filing.idempotency_key,
        )
        expedient = expedients.expedient_open(
            entry=entry,
            department=filing.department,
            procedure_code=filing.procedure_code,
            subject=filing.subject,
            actor=actor,
        )
    logger.info("backoffice.desk_filing entry=%s expedient=%s", entry.reference, expedient.reference)
    return entry, expedient


def note_add(*, expedient: Expedient, actor, text: str) -> ExpedientDocument:
    """A staff note joins the expedient as a PDF document, so it is dated, hashed and listed in the index."""
    text = (text or "").strip()
    if not text:
        raise expedients.ExpedientInvalid({"text": [_("Cal escriure la nota.")]})
    content = note_pdf(expedient=expedient, text=text, author=_author(actor))
    return expedients.document_add(
        expedient=expedient,
        actor=actor,
        title=_("Nota interna"),
        document_type=ExpedientDocumentType.OTHER,
        upload=expedients.DocumentUpload("nota.pdf", content, "application/pdf"),
    )


def resolution_issue(*, expedient: Expedient, actor, title: str, text: str) -> Expedient:
    """Resolve with a document written from `text`: issued with a CSV code, then registered on the way out.

    The issued document and the resolution share one transaction, so a refused resolution
    (for example a pending correction request) leaves no document behind.
    """
    text = (text or "").strip()
    if not text:
        raise expedients.ExpedientInvalid({"text": [_("Cal el text de la resolució.")]})
    title = (title or "").strip() or _("Resolució")
    csv = csv_new()
    content = resolution_pdf(expedient=expedient, title=title, text=text, author=_author(actor), csv=csv)
    issued: IssuedDocument | None = None
    try:
        with transaction.atomic():
            issued = issued_document_create(
                title=f"{title} — {expedient.reference}",
                document_type=DocumentType.RESOLUTION,
                content=content,
                file_name=f"resolucio-{expedient.reference}.pdf",
                content_type="application/pdf",
                organ=expedient.department.dir3,
                origin=Origin.ADMINISTRATION,
                csv=csv,
            )
            expedients.expedient_resolve(
                expedient=expedient, actor=actor, title=title, issued_document=issued, summary=text[:500]
            )
    except BaseException:
        if issued is not None and issued.file.name:
            issued.file.storage.delete(issued.file.name)
        raise
    return expedient


def identified_party(*, name: str, document_type: str, document_number: str, identified_by: str) -> Party:
    return Party(
        name=name,
        document_type=document_type,
        document_number=document_number,
        identified_by=identified_by or IdentificationMethod.IN_PERSON_ID,
    )
