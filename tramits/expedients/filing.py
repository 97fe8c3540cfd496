"""A filing: the register entry and its expedient written together, idempotent on the filing's key.

The one way into the incoming register, for the wizards (through the registration backend), the
desk and the internal API (`POST /api/v1/registre/entrades/`): one transaction holds the entry and
the opening of its expedient (or, for GEN-APORTACIO, the documents added to an existing
expedient), so a filing is never half registered. The entry reserves its receipt's CSV code; the
receipt PDF is rendered after the commit, so nobody waits for it.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from contextlib import ExitStack
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tramits.catalogue.models import Department
from tramits.catalogue.procedures import get_procedure
from tramits.catalogue.selectors import department_for_procedure
from tramits.documents.models import Origin
from tramits.expedients.models import CorrectionState, Expedient, ExpedientDocument, ExpedientDocumentType
from tramits.expedients.selectors import expedient_is_citizens
from tramits.expedients.services import (
    CorrectionNotPending,
    DocumentUpload,
    correction_answer,
    document_add,
    expedient_open,
)
from tramits.registre.models import Register, RegisterEntry
from tramits.registre.services import (
    Attachment,
    Party,
    RegisterEntryInvalid,
    attachments_store,
    files_delete,
    register_entry_create,
)

logger = logging.getLogger(__name__)

# Documents for an expedient that is already open: no new expedient, the documents join the existing one.
CONTRIBUTION_PROCEDURE = "GEN-APORTACIO"


def _owner_department(*, procedure_code: str, department: Department | None) -> Department:
    if department is not None:
        return department
    procedure = get_procedure(procedure_code)
    if procedure is None:
        raise RegisterEntryInvalid({"procedure_code": [_("El codi de tràmit no existeix al catàleg.")]})
    found = department_for_procedure(procedure_code=procedure.code)
    if found is None:
        raise RegisterEntryInvalid(
            {"procedure_code": [_("El departament responsable d'aquest tràmit no està donat d'alta.")]}
        )
    return found


def _contribution_target(*, expedient_number: str, citizen) -> Expedient:
    """The expedient a GEN-APORTACIO filing adds to; a citizen may only add to their own."""
    reference = (expedient_number or "").strip().upper()
    expedient = (
        Expedient.objects.select_related("department").filter(reference=reference).first() if reference else None
    )
    if expedient is None or (citizen is not None and not expedient_is_citizens(user=citizen, expedient=expedient)):
        # Same message whether it does not exist or is someone else's: the number reveals nothing.
        raise RegisterEntryInvalid(
            {"expedient_number": [_("No hi ha cap expedient amb aquest número al qual pugueu aportar documents.")]}
        )
    return expedient


def _contribute(*, entry: RegisterEntry, expedient: Expedient, citizen=None) -> None:
    """Add the entry's attachments to the expedient once; a replayed filing finds them there already.

    When the expedient has a pending correction request, the contribution is the answer to it
    (the carpeta's "Respon" button leads here): the request is answered with these documents and
    the term runs again, as when staff record an answer that came on paper.
    """
    if ExpedientDocument.objects.filter(expedient=expedient, register_entry=entry).exists():
        return
    attachments = list(entry.attachments.order_by("position"))
    correction = expedient.correction_requests.filter(state=CorrectionState.PENDING).order_by("pk").first()
    if correction is not None:
        try:
            with ExitStack() as stack:
                uploads = [
                    DocumentUpload(item.name, File(stack.enter_context(item.file.open("rb"))), item.content_type)
                    for item in attachments
                ]
                correction_answer(correction=correction, actor=citizen, documents=uploads, entry=entry)
            return
        except CorrectionNotPending:
            pass  # answered or expired meanwhile: the documents still join the expedient
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            document_add(
                expedient=expedient,
                actor=None,  # the register adds them on the filing's behalf; the entry says who filed
                title=attachment.name,
                document_type=ExpedientDocumentType.OTHER,
                upload=DocumentUpload(attachment.name, File(handle), attachment.content_type),
                origin=Origin.CITIZEN,
                captured_at=entry.registered_at,
                register_entry=entry,
            )


def _lock_timeout_set() -> None:
    """On PostgreSQL, give up waiting for the register's counter after REGISTRE_LOCK_TIMEOUT_SECONDS.

    A filing that cannot get the lock fails with an OperationalError, which the registration
    backend turns into "deferred": the submission stays queued and is retried, instead of a
    request that hangs. SQLite waits on its own write lock (its `timeout` option).
    """
    if connection.vendor != "postgresql":
        return
    milliseconds = int(float(getattr(settings, "REGISTRE_LOCK_TIMEOUT_SECONDS", 10)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])


def filing_register(
    *,
    register: Register | str = Register.INCOMING,
    channel: str,
    applicant: Party,
    representative: Party | None = None,
    subject: str,
    procedure_code: str,
    attachments: Sequence[Attachment | tuple[str, bytes | IO[bytes] | File, str]],
    idempotency_key: str,
    citizen=None,
    department: Department | None = None,
    actor=None,
    expedient_number: str = "",
    language: str = "ca",
    received_at: dt.datetime | None = None,
) -> tuple[RegisterEntry, Expedient]:
    """Register a filing and open its expedient in one transaction; the same key returns the same pair.

    The owner department is the procedure's catalogue department unless `department` is given.
    GEN-APORTACIO adds the documents to the expedient `expedient_number` instead of opening one.
    Files not yet stored are stored (and hashed) once, before the transaction; if it rolls back,
    or the key was filed before, those copies are deleted, so no file is left behind. The
    transaction is durable: it refuses to run inside another one, where a remote call could join
    it. Concurrent calls with one key wait on the register's counter lock and get the first
    call's entry and expedient. Raises RegisterEntryInvalid, ExpedientInvalid,
    IdempotencyKeyConflict and the expedients' errors; nothing is written when they are raised.
    """
    if register != Register.INCOMING:
        raise RegisterEntryInvalid({"register": [_("Una sol·licitud es presenta al registre d'entrada.")]})
    if not idempotency_key:
        raise RegisterEntryInvalid({"idempotency_key": [_("Cal una clau d'idempotència.")]})
    code = (procedure_code or "").strip().upper()
    contributing = code == CONTRIBUTION_PROCEDURE
    target = None
    if contributing:
        target = _contribution_target(expedient_number=expedient_number, citizen=citizen)
        if not attachments:
            raise RegisterEntryInvalid({"attachments": [_("Cal adjuntar almenys un document per aportar-lo.")]})
        owner = department or target.department
    else:
        if expedient_number:
            raise RegisterEntryInvalid(
                {"expedient_number": [_("Només una aportació de documents (GEN-APORTACIO) indica un expedient.")]}
            )
        owner = _owner_department(procedure_code=code, department=department)

    stored, copies = attachments_store(attachments)
    try:
        with transaction.atomic(durable=True):
            _lock_timeout_set()
            entry = register_entry_create(
                register=Register.INCOMING,
                channel=channel,
                applicant=applicant,
                representative=representative,
                subject=subject,
                procedure_code=code,
                unit_dir3=owner.dir3,
                attachments=stored,
                submitted_by=actor or citizen,
                idempotency_key=idempotency_key,
                language=language,
                received_at=received_at,
            )
            if contributing:
                _contribute(entry=entry, expedient=target, citizen=citizen)
                expedient = target
            else:
                expedient = expedient_open(
                    entry=entry, department=owner, procedure_code=code, subject=subject, citizen=citizen, actor=actor
                )
    except BaseException:
        files_delete(copies)
        raise
    if copies:
        kept = set(entry.attachments.values_list("file", flat=True))
        files_delete([name for name in copies if name not in kept])  # a repeated filing keeps the first files
    logger.info("expedients.filing_registered entry=%s expedient=%s", entry.reference, expedient.reference)
    return entry, expedient


def filing_expedient_of(*, entry: RegisterEntry) -> Expedient | None:
    """The expedient a filing opened or contributed to."""
    opened = Expedient.objects.select_related("department").filter(opening_entry=entry).first()
    if opened is not None:
        return opened
    return Expedient.objects.select_related("department").filter(documents__register_entry=entry).distinct().first()
