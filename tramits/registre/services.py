"""Writes of the register: one entry per filing, numbered in time order, chained, idempotent."""

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tramits.accounts.identity import DocumentType, guess_type, validate_document
from tramits.background import task_start
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import get_procedure
from tramits.documents.codes import csv_new
from tramits.documents.models import DocumentType as IssuedDocumentType
from tramits.documents.models import IssuedDocument, Origin
from tramits.documents.services import issued_document_create
from tramits.documents.storage import content_chunks, private_storage
from tramits.registre.chain import canonical_content, entry_hash, genesis_hash
from tramits.registre.models import (
    AttachmentKind,
    Channel,
    IdentificationMethod,
    Register,
    RegisterAttachment,
    RegisterCounter,
    RegisterEntry,
)
from tramits.registre.receipts import receipt_pdf, receipt_title
from tramits.registre.selectors import register_entries_without_receipt
from tramits.terminis.calendar import BusinessCalendar, filing_effective_at, official_date

logger = logging.getLogger(__name__)

SPOOL_BYTES = 4 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
LANGUAGES = {"ca", "es", "en"}
# The unit whose register issues the receipts (Registre General).
REGISTER_OFFICE_DIR3 = getattr(settings, "REGISTRE_OFFICE_DIR3", "LA0019780")


class RegisterError(Exception):
    """Base of the register's domain errors."""


class RegisterEntryInvalid(ValidationError, RegisterError):
    """The filing's data are not valid; the messages say why, per field, in the active language."""


class IdempotencyKeyConflict(RegisterError):
    """The idempotency key was already used for a different filing."""


class RegisterChainBroken(RegisterError):
    """The previous entry of the chain is missing: run `verify_register` before registering more."""


@dataclass(frozen=True)
class Party:
    """A person in a filing: the applicant (interessat) or their representative."""

    name: str
    document_number: str
    identified_by: str
    document_type: str = ""


class AttachmentUpload(NamedTuple):
    """A file to store with the entry: it is copied to private storage and hashed on the way."""

    name: str
    content: bytes | IO[bytes] | File
    content_type: str
    kind: str = AttachmentKind.DOCUMENT


@dataclass(frozen=True)
class StoredAttachment:
    """A file already in private storage, checked and hashed when it was received: the entry takes it as it is."""

    name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str
    kind: str = AttachmentKind.DOCUMENT


Attachment = AttachmentUpload | StoredAttachment


def _validated_party(party: Party, prefix: str, errors: dict[str, list[str]]) -> dict[str, str]:
    name = " ".join((party.name or "").split())
    if not name:
        errors.setdefault(f"{prefix}_name", []).append(_("Cal indicar el nom i els cognoms."))
    elif len(name) > 200:
        errors.setdefault(f"{prefix}_name", []).append(_("El nom no pot tenir més de 200 caràcters."))
    document_type = party.document_type or guess_type(party.document_number)
    if document_type not in DocumentType.values:
        errors.setdefault(f"{prefix}_document_type", []).append(_("Tipus de document desconegut."))
    number = ""
    try:
        number = validate_document(party.document_number, document_type)
    except ValidationError as error:
        errors.setdefault(f"{prefix}_document_number", []).extend(error.messages)
    if party.identified_by not in IdentificationMethod.values:
        errors.setdefault(f"{prefix}_identified_by", []).append(_("Manca la manera com s'ha identificat."))
    return {
        f"{prefix}_name": name,
        f"{prefix}_document_type": document_type,
        f"{prefix}_document_number": number,
        f"{prefix}_identified_by": party.identified_by,
    }


def _validated_fields(
    *,
    register: str,
    channel: str,
    applicant: Party,
    representative: Party | None,
    subject: str,
    procedure_code: str,
    unit_dir3: str,
    attachments: Sequence[Attachment],
    idempotency_key: str | None,
    language: str,
) -> dict:
    errors: dict[str, list[str]] = {}
    if register not in Register.values:
        errors["register"] = [_("Registre desconegut.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Canal de presentació desconegut.")]
    fields: dict = {"register": register, "channel": channel}
    fields.update(_validated_party(applicant, "applicant", errors))
    if representative is not None:
        fields.update(_validated_party(representative, "representative", errors))
    elif applicant.identified_by == IdentificationMethod.REPRESENTED:
        errors["representative_name"] = [_("Cal indicar qui representa l'interessat.")]
    subject = " ".join((subject or "").split())
    if not subject:
        errors["subject"] = [_("Cal indicar l'assumpte.")]
    elif len(subject) > 500:
        errors["subject"] = [_("L'assumpte no pot tenir més de 500 caràcters.")]
    fields["subject"] = subject
    procedure = get_procedure(procedure_code) if procedure_code else None
    if procedure_code and procedure is None:
        errors["procedure_code"] = [_("El codi de tràmit no existeix al catàleg.")]
    fields["procedure_code"] = procedure.code if procedure else ""
    unit = Department.objects.filter(dir3=(unit_dir3 or "").strip().upper()).first()
    if unit is None:
        errors["unit_dir3"] = [_("La unitat de destinació (codi DIR3) no existeix.")]
    else:
        with translation.override("ca"):
            fields.update(unit=unit, unit_dir3=unit.dir3, unit_name=unit.name_ca)
    for position, upload in enumerate(attachments, start=1):
        if not (upload.name or "").strip() or len(upload.name) > 200:
            errors.setdefault("attachments", []).append(
                _("El document %(position)s no té un nom vàlid.") % {"position": position}
            )
        if "/" not in (upload.content_type or "") or len(upload.content_type) > 100:
            errors.setdefault("attachments", []).append(
                _("El document %(position)s no té un tipus de contingut vàlid.") % {"position": position}
            )
        if upload.kind not in AttachmentKind.values:
            errors.setdefault("attachments", []).append(
                _("El document %(position)s no és de cap mena coneguda.") % {"position": position}
            )
    if idempotency_key is not None and not 0 < len(idempotency_key) <= 100:
        errors["idempotency_key"] = [_("La clau d'idempotència ha de tenir entre 1 i 100 caràcters.")]
    if errors:
        raise RegisterEntryInvalid(errors)
    fields["language"] = (language or "ca")[:2] if (language or "ca")[:2] in LANGUAGES else "ca"
    fields["idempotency_key"] = idempotency_key
    return fields


def _attachment_copy(upload: AttachmentUpload) -> StoredAttachment:
    """Copy one file to private storage (under the register's folder), hashing it on the way."""
    digest = hashlib.sha256()
    size = 0
    stored_name = get_valid_filename(os.path.basename(upload.name.replace("\\", "/"))) or "document"
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for chunk in content_chunks(upload.content):
            digest.update(chunk)
            size += len(chunk)
            if size > MAX_ATTACHMENT_BYTES:
                raise RegisterEntryInvalid(
                    {"attachments": [_("El document %(name)s és massa gran.") % {"name": upload.name}]}
                )
            spool.write(chunk)
        if size == 0:
            raise RegisterEntryInvalid({"attachments": [_("El document %(name)s és buit.") % {"name": upload.name}]})
        holder = RegisterAttachment()  # its upload_to names the file
        holder.file.save(stored_name, File(spool, name=stored_name), save=False)
    return StoredAttachment(
        name=upload.name.strip(),
        stored_name=holder.file.name,
        content_type=upload.content_type,
        size=size,
        sha256=digest.hexdigest(),
        kind=upload.kind,
    )


def _attachment_row(item: StoredAttachment, position: int) -> RegisterAttachment:
    """The attachment's row, inserted with the entry; the file is already stored and hashed."""
    attachment = RegisterAttachment(
        position=position,
        kind=item.kind,
        name=item.name.strip(),
        size=item.size,
        content_type=item.content_type,
        sha256=item.sha256,
    )
    attachment.file.name = item.stored_name
    return attachment


def attachments_store(attachments: Sequence[Attachment | tuple]) -> tuple[list[StoredAttachment], list[str]]:
    """Store (and hash) the files not stored yet; returns them all as stored, and the names of the new copies.

    Called before a filing's transaction, so the lock on the register's counter covers only a few
    short queries; the caller deletes the copies if the transaction does not commit.
    """
    stored: list[StoredAttachment] = []
    copies: list[str] = []
    try:
        for position, raw in enumerate(attachments, start=1):
            upload = raw if isinstance(raw, StoredAttachment) else AttachmentUpload(*raw)
            if isinstance(upload, StoredAttachment):
                stored.append(upload)
                continue
            if not (upload.name or "").strip():
                raise RegisterEntryInvalid(
                    {"attachments": [_("El document %(position)s no té un nom vàlid.") % {"position": position}]}
                )
            copy = _attachment_copy(upload)
            copies.append(copy.stored_name)
            stored.append(copy)
    except BaseException:
        files_delete(copies)
        raise
    return stored, copies


def files_delete(names: Iterable[str]) -> None:
    for name in names:
        if name:
            private_storage().delete(name)


def _counter_lock(register: str) -> tuple[RegisterCounter, dt.datetime]:
    """Lock the counter of the register's current year and read the official time while holding it."""
    year = official_date(timezone.now()).year
    while True:
        counter, _created = RegisterCounter.objects.select_for_update().get_or_create(register=register, year=year)
        registered_at = timezone.now()
        if official_date(registered_at).year == year:
            return counter, registered_at
        year = official_date(registered_at).year  # the year turned while we waited for the lock


def _entry_by_key(register: str, idempotency_key: str) -> RegisterEntry | None:
    return RegisterEntry.objects.filter(register=register, idempotency_key=idempotency_key).first()


def _same_filing(entry: RegisterEntry, fields: dict) -> RegisterEntry:
    compared = ["subject", "procedure_code", "applicant_document_number", "unit_dir3"]
    if any(getattr(entry, name) != fields[name] for name in compared):
        raise IdempotencyKeyConflict(entry.reference)
    return entry


def _entry_insert(fields: dict, attachments: list[RegisterAttachment]) -> tuple[RegisterEntry, bool]:
    business_calendar = BusinessCalendar.around(timezone.localdate())
    with transaction.atomic():
        counter, registered_at = _counter_lock(fields["register"])
        if fields["idempotency_key"] and (existing := _entry_by_key(fields["register"], fields["idempotency_key"])):
            return existing, False
        number = counter.next_number
        counter.next_number += 1
        counter.save(update_fields=["next_number"])
        if number == 1:
            previous_hash = genesis_hash(register=counter.register, year=counter.year)
        else:
            previous_hash = (
                RegisterEntry.objects.filter(register=counter.register, year=counter.year, number=number - 1)
                .values_list("entry_hash", flat=True)
                .first()
            )
            if previous_hash is None:
                raise RegisterChainBroken(f"{counter.register}-{counter.year}-{number - 1:06d}")
        entry = RegisterEntry(
            **fields,
            year=counter.year,
            number=number,
            reference=f"{counter.register}-{counter.year}-{number:06d}",
            registered_at=registered_at,
            effective_at=filing_effective_at(registered_at, business_calendar=business_calendar),
            # The receipt's code is reserved with the entry, so the citizen reads it before the PDF exists.
            receipt_csv=csv_new() if fields["register"] == Register.INCOMING else None,
            previous_hash=previous_hash,
        )
        entry.entry_hash = entry_hash(previous_hash=previous_hash, content=canonical_content(entry, attachments))
        entry.save()
        for attachment in attachments:
            attachment.entry = entry
        RegisterAttachment.objects.bulk_create(attachments)
    return entry, True


def register_entry_create(
    *,
    register: Register | str,
    channel: Channel | str,
    applicant: Party,
    subject: str,
    unit_dir3: str,
    procedure_code: str = "",
    representative: Party | None = None,
    attachments: Sequence[Attachment | tuple[str, bytes | IO[bytes] | File, str]] = (),
    submitted_by=None,
    idempotency_key: str | None = None,
    language: str = "ca",
    received_at: dt.datetime | None = None,
) -> RegisterEntry:
    """Register a filing in one transaction (a savepoint inside the caller's); the same key returns the same entry.

    The files are hashed and stored before the counter is locked, so the lock covers a few short queries.
    The receipt is rendered after the outermost transaction commits.
    """
    uploads = [upload if isinstance(upload, StoredAttachment) else AttachmentUpload(*upload) for upload in attachments]
    fields = _validated_fields(
        register=register,
        channel=channel,
        applicant=applicant,
        representative=representative,
        subject=subject,
        procedure_code=procedure_code,
        unit_dir3=unit_dir3,
        attachments=uploads,
        idempotency_key=idempotency_key,
        language=language,
    )
    fields["submitted_by"] = submitted_by
    fields["received_at"] = received_at
    if idempotency_key and (existing := _entry_by_key(register, idempotency_key)):
        return _same_filing(existing, fields)
    copies: list[str] = []
    try:
        stored, copies = attachments_store(uploads)
        rows = [_attachment_row(item, position) for position, item in enumerate(stored, start=1)]
        entry, created = _entry_insert(fields, rows)
    except IntegrityError:
        files_delete(copies)
        # Another request with the same key won the race: theirs is the entry.
        if idempotency_key and (existing := _entry_by_key(register, idempotency_key)):
            return _same_filing(existing, fields)
        raise
    except BaseException:
        files_delete(copies)
        raise
    if not created:
        files_delete(copies)
        return _same_filing(entry, fields)
    logger.info(
        "registre.entry_created reference=%s channel=%s attachments=%s", entry.reference, entry.channel, len(rows)
    )
    if entry.register == Register.INCOMING:
        transaction.on_commit(partial(_receipt_queue, entry.pk), robust=True)
    return entry


def _receipt_queue(entry_pk: int) -> None:
    from tramits.registre.tasks import register_receipt_generate

    task_start(register_receipt_generate, entry_pk)


def register_receipt_ensure(*, entry: RegisterEntry) -> IssuedDocument:
    """The entry's receipt (justificant), rendered and stored the first time; safe to call again or concurrently."""
    existing = IssuedDocument.objects.filter(
        register_entry=entry, document_type=IssuedDocumentType.ACKNOWLEDGEMENT
    ).first()
    if existing is not None:
        return existing
    csv = entry.receipt_csv or csv_new()
    pdf = receipt_pdf(entry=entry, csv=csv)
    try:
        with transaction.atomic():
            document = issued_document_create(
                title=receipt_title(entry),
                document_type=IssuedDocumentType.ACKNOWLEDGEMENT,
                content=pdf,
                file_name=f"justificant-{entry.reference}.pdf",
                content_type="application/pdf",
                organ=REGISTER_OFFICE_DIR3,
                origin=Origin.ADMINISTRATION,
                register_entry=entry,
                csv=csv,
                language=entry.language,
                captured_at=entry.registered_at,
            )
    except IntegrityError:
        return IssuedDocument.objects.get(register_entry=entry, document_type=IssuedDocumentType.ACKNOWLEDGEMENT)
    logger.info("registre.receipt_created reference=%s document=%s", entry.reference, document.pk)
    return document


def register_receipts_generate_missing(*, limit: int = 100) -> int:
    """Render the receipts that a failed or lost task left missing; returns how many were made."""
    made = 0
    for entry in register_entries_without_receipt()[:limit]:
        register_receipt_ensure(entry=entry)
        made += 1
    return made
