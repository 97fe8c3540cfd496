"""Back-office actions that combine the domain's services: each runs in one transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from tramits.backoffice.rendering import note_pdf, resolution_pdf
from tramits.documents.codes import csv_new
from tramits.documents.models import DocumentType, IssuedDocument, Origin
from tramits.documents.services import issued_document_create
from tramits.expedients import services as expedients
from tramits.expedients.models import Expedient, ExpedientDocument, ExpedientDocumentType
from tramits.registre.models import IdentificationMethod
from tramits.registre.services import Party


def _author(actor) -> str:
    return actor.get_full_name() or actor.email


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
