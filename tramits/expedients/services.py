"""Writes of expedients: one function per action, atomic, each writing its timeline event in the same transaction."""

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tramits.accounts.identity import DocumentType, guess_type, validate_document
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import get_procedure
from tramits.documents.models import IssuedDocument, Origin, ProductionState
from tramits.documents.storage import content_chunks
from tramits.expedients.models import (
    ALLOWED_TRANSITIONS,
    CorrectionRequest,
    CorrectionState,
    Event,
    EventKind,
    Expedient,
    ExpedientCounter,
    ExpedientDocument,
    ExpedientDocumentType,
    InterestedParty,
    InterestedRole,
    State,
    Suspension,
    Task,
    TaskKind,
    TaskState,
)
from tramits.expedients.search import search_text_build
from tramits.expedients.selectors import expedient_is_citizens, user_in_department
from tramits.expedients.terms import (
    correction_deadline,
    procedure_term,
    resolution_due_date,
    suspended_due_date,
    suspension_days,
)
from tramits.notificacions.models import NotificationKind
from tramits.notificacions.services import notification_create
from tramits.registre.models import Channel, IdentificationMethod, Register
from tramits.registre.services import Party, register_entry_create
from tramits.terminis.calendar import add_business_days, official_date

logger = logging.getLogger(__name__)

SPOOL_BYTES = 4 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
TASK_DEFAULT_BUSINESS_DAYS = 10


# Errors --------------------------------------------------------------------------------------


class ExpedientError(Exception):
    """Base of the expedients' domain errors."""


class ExpedientInvalid(ValidationError, ExpedientError):
    """The data of an action are not valid; the messages say why, per field, in the active language."""


class TransitionNotAllowed(ExpedientError):
    """The state change is not in the table of allowed transitions."""

    def __init__(self, from_state: str, to_state: str, hint: str = "") -> None:
        self.from_state, self.to_state = from_state, to_state
        super().__init__(f"{from_state} -> {to_state} is not allowed{': ' + hint if hint else ''}")


class ExpedientPermissionDenied(PermissionDenied, ExpedientError):
    """The actor's departments (or account) give no right to this action on this expedient."""


class ExpedientClosed(ExpedientError):
    """The expedient is archived and accepts no more changes."""


class CorrectionNotPending(ExpedientError):
    """The correction request was already answered or has expired."""


class TaskNotPending(ExpedientError):
    """The task was already answered."""


# Inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interested:
    """A person to record as party to an expedient."""

    name: str
    document_number: str
    role: str = InterestedRole.APPLICANT
    document_type: str = ""
    user: object | None = None


class DocumentUpload(NamedTuple):
    name: str
    content: bytes | IO[bytes] | File
    content_type: str


@dataclass
class _StagedFile:
    file_name: str
    stored_name: str
    content_type: str
    sha256: str
    size: int


# Helpers -------------------------------------------------------------------------------------


def _now() -> tuple[dt.datetime, dt.date]:
    now = timezone.now()
    return now, official_date(now)


def _event(
    expedient: Expedient,
    kind: str,
    *,
    actor=None,
    department: Department | None = None,
    description: str = "",
    params: dict | None = None,
    at: dt.datetime | None = None,
) -> Event:
    return Event.objects.create(
        expedient=expedient,
        created_at=at or timezone.now(),
        actor=actor,
        department=department,
        kind=kind,
        description=(description or "")[:500],
        params=params or {},
    )


def _locked(expedient: Expedient) -> Expedient:
    """The expedient's row, locked until the transaction ends, so actions on it run one after another."""
    return Expedient.objects.select_for_update().select_related("department").get(pk=expedient.pk)


def _sync(target: Expedient, source: Expedient) -> Expedient:
    """Bring the caller's instance up to date with the row the action wrote."""
    if target is not source:
        for field in Expedient._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
    return source


def _require_owner(actor, expedient: Expedient) -> None:
    """Only members of the owner department act; `None` is the system itself (tasks, the internal API)."""
    if actor is not None and not user_in_department(user=actor, department_id=expedient.department_id):
        raise ExpedientPermissionDenied(_("Només el departament responsable pot actuar en aquest expedient."))


def _require_not_archived(expedient: Expedient) -> None:
    if expedient.state == State.ARCHIVED:
        raise ExpedientClosed(expedient.reference)


def _transition(expedient: Expedient, to_state: str) -> str:
    from_state = expedient.state
    if to_state not in ALLOWED_TRANSITIONS.get(from_state, frozenset()):
        raise TransitionNotAllowed(from_state, to_state)
    expedient.state = to_state
    return from_state


def _due_date_refresh(expedient: Expedient, *, extra_days: int = 0) -> None:
    """The due date: the initial one plus every closed suspension (and `extra_days` still expected)."""
    periods = expedient.suspensions.values_list("started_on", "ended_on")
    expedient.due_date = suspended_due_date(
        base_due_date=expedient.base_due_date, days_suspended=suspension_days(periods) + extra_days
    )


def _search_text_refresh(expedient: Expedient) -> None:
    parties = list(expedient.interested_parties.values_list("name", "document_number"))
    expedient.search_text = search_text_build(
        reference=expedient.reference,
        names=[name for name, _number in parties],
        document_numbers=[number for _name, number in parties],
    )


def _stage(upload: DocumentUpload) -> _StagedFile:
    """Copy a file to private storage, hashing it on the way; done before any lock is taken."""
    upload = DocumentUpload(*upload)
    name = (upload.name or "").strip()
    if not name or len(name) > 200:
        raise ExpedientInvalid({"document": [_("El document no té un nom vàlid.")]})
    if "/" not in (upload.content_type or "") or len(upload.content_type) > 100:
        raise ExpedientInvalid({"document": [_("El document no té un tipus de contingut vàlid.")]})
    stored_name = get_valid_filename(os.path.basename(name.replace("\\", "/"))) or "document"
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for chunk in content_chunks(upload.content):
            digest.update(chunk)
            size += len(chunk)
            if size > MAX_DOCUMENT_BYTES:
                raise ExpedientInvalid({"document": [_("El document %(name)s és massa gran.") % {"name": name}]})
            spool.write(chunk)
        if size == 0:
            raise ExpedientInvalid({"document": [_("El document %(name)s és buit.") % {"name": name}]})
        holder = ExpedientDocument()
        holder.file.save(stored_name, File(spool, name=stored_name), save=False)
    return _StagedFile(name, holder.file.name, upload.content_type, digest.hexdigest(), size)


def _discard(staged: Iterable[_StagedFile]) -> None:
    storage = ExpedientDocument._meta.get_field("file").storage
    for item in staged:
        storage.delete(item.stored_name)


def _file_format(file_name: str, content_type: str) -> str:
    extension = file_name.rsplit(".", 1)[-1] if "." in file_name else content_type.split("/")[-1]
    return extension.upper()[:10]


def _document_insert(
    expedient: Expedient,
    *,
    title: str,
    document_type: str,
    origin: str,
    organ: str,
    captured_at: dt.datetime,
    stored_name: str,
    file_name: str,
    content_type: str,
    sha256: str,
    size: int,
    production_state: str = ProductionState.ORIGINAL,
    csv: str = "",
    issued_document: IssuedDocument | None = None,
    register_entry=None,
    correction: CorrectionRequest | None = None,
    task: Task | None = None,
    department: Department | None = None,
    added_by=None,
    added_at: dt.datetime | None = None,
) -> ExpedientDocument:
    """Add a document at the end of the index; the caller holds the expedient's lock."""
    last = ExpedientDocument.objects.filter(expedient=expedient).aggregate(last=Max("sequence"))["last"] or 0
    sequence = last + 1
    document = ExpedientDocument(
        expedient=expedient,
        sequence=sequence,
        identifier=f"ES_{organ}_{expedient.year}_EXP{expedient.number:06d}_{sequence:04d}",
        title=(title or file_name)[:250],
        document_type=document_type,
        organ=organ,
        captured_at=captured_at,
        origin=origin,
        production_state=production_state,
        file_name=file_name[:200],
        file_format=_file_format(file_name, content_type),
        content_type=content_type,
        sha256=sha256,
        size=size,
        csv=csv,
        issued_document=issued_document,
        register_entry=register_entry,
        correction=correction,
        task=task,
        department=department,
        added_by=added_by,
        added_at=added_at or timezone.now(),
    )
    document.file.name = stored_name
    document.save()
    return document


def _staged_document_add(
    expedient: Expedient, item: _StagedFile, *, actor, event_department: Department | None, **fields
) -> ExpedientDocument:
    """Put one staged upload at the end of the index and write its timeline event."""
    added = _document_insert(
        expedient,
        stored_name=item.stored_name,
        file_name=item.file_name,
        content_type=item.content_type,
        sha256=item.sha256,
        size=item.size,
        added_by=actor,
        **fields,
    )
    _document_event(added, actor=actor, department=event_department)
    return added


def _document_event(document: ExpedientDocument, *, actor, department: Department | None) -> Event:
    return _event(
        document.expedient,
        EventKind.DOCUMENT_ADDED,
        actor=actor,
        department=department,
        at=document.added_at,
        description=document.title,
        params={
            "document": document.pk,
            "identifier": document.identifier,
            "document_type": document.document_type,
            "sha256": document.sha256,
        },
    )


def _validated_parties(parties: Sequence[Interested], errors: dict[str, list[str]]) -> list[InterestedParty]:
    rows: list[InterestedParty] = []
    seen: set[tuple[str, str]] = set()
    for position, party in enumerate(parties, start=1):
        name = " ".join((party.name or "").split())
        if not name or len(name) > 200:
            errors.setdefault("interested", []).append(
                _("Cal el nom de l'interessat %(position)s.") % {"position": position}
            )
        document_type = party.document_type or guess_type(party.document_number)
        number = ""
        try:
            number = validate_document(party.document_number, document_type)
        except ValidationError as error:
            errors.setdefault("interested", []).extend(error.messages)
        if party.role not in InterestedRole.values:
            errors.setdefault("interested", []).append(_("Condició d'interessat desconeguda."))
        if (number, party.role) in seen:
            continue
        seen.add((number, party.role))
        rows.append(
            InterestedParty(
                name=name, document_type=document_type, document_number=number, role=party.role, user=party.user
            )
        )
    if not rows:
        errors.setdefault("interested", []).append(_("Cal almenys un interessat."))
    return rows


def _parties_from_entry(entry, citizen) -> list[Interested]:
    """The entry's applicant and representative; the filing account is the representative's when there is one."""
    parties = [
        Interested(
            name=entry.applicant_name,
            document_number=entry.applicant_document_number,
            document_type=entry.applicant_document_type,
            role=InterestedRole.APPLICANT,
            user=None if entry.representative_name else citizen,
        )
    ]
    if entry.representative_name:
        parties.append(
            Interested(
                name=entry.representative_name,
                document_number=entry.representative_document_number,
                document_type=entry.representative_document_type,
                role=InterestedRole.REPRESENTATIVE,
                user=citizen,
            )
        )
    return parties


def _counter_lock() -> tuple[ExpedientCounter, dt.datetime]:
    """Lock this year's counter and read the official time while holding it, so numbers follow time."""
    year = official_date(timezone.now()).year
    while True:
        counter, _created = ExpedientCounter.objects.select_for_update().get_or_create(year=year)
        opened_at = timezone.now()
        if official_date(opened_at).year == year:
            return counter, opened_at
        year = official_date(opened_at).year  # the year turned while we waited for the lock


# Opening -------------------------------------------------------------------------------------


def expedient_open(
    *,
    entry,
    department: Department,
    procedure_code: str,
    subject: str = "",
    citizen=None,
    interested: Sequence[Interested] | None = None,
    actor=None,
) -> Expedient:
    """Open the expedient of an incoming register entry (a savepoint inside the caller's transaction).

    The entry's attachments join the index as the application's documents. Opening the same
    entry again returns its expedient, so a retried filing never opens two.
    """
    errors: dict[str, list[str]] = {}
    procedure = get_procedure(procedure_code)
    if procedure is None:
        errors["procedure_code"] = [_("El codi de tràmit no existeix al catàleg.")]
    if entry.register != Register.INCOMING:
        errors["entry"] = [_("Un expedient s'obre amb un assentament del registre d'entrada.")]
    subject = " ".join((subject or entry.subject or "").split())
    if not subject or len(subject) > 500:
        errors["subject"] = [_("Cal un assumpte de com a molt 500 caràcters.")]
    parties = _validated_parties(
        list(interested) if interested is not None else _parties_from_entry(entry, citizen), errors
    )
    if errors:
        raise ExpedientInvalid(errors)
    term_unit, term_value = procedure_term(procedure.code)
    term_start = official_date(entry.effective_at)
    # Reading the holidays before the lock keeps the locked section to a few short queries.
    base_due_date = resolution_due_date(term_unit=term_unit, term_value=term_value, start=term_start)
    attachments = list(entry.attachments.order_by("position"))

    with transaction.atomic():
        counter, opened_at = _counter_lock()
        existing = Expedient.objects.filter(opening_entry=entry).first()
        if existing is not None:
            if existing.procedure_code != procedure.code:
                raise ExpedientInvalid({"entry": [_("Aquest assentament ja ha obert un altre expedient.")]})
            return existing
        number = counter.next_number
        counter.next_number += 1
        counter.save(update_fields=["next_number"])
        expedient = Expedient(
            year=counter.year,
            number=number,
            reference=f"EXP-{counter.year}-{number:06d}",
            procedure_code=procedure.code,
            opening_entry=entry,
            department=department,
            subject=subject,
            state=State.INITIATED,
            citizen=citizen,
            opened_at=opened_at,
            term_unit=term_unit,
            term_value=term_value,
            term_start=term_start,
            base_due_date=base_due_date,
            due_date=base_due_date,
        )
        expedient.search_text = search_text_build(
            reference=expedient.reference,
            names=[party.name for party in parties],
            document_numbers=[party.document_number for party in parties],
        )
        expedient.save(force_insert=True)
        for party in parties:
            party.expedient = expedient
            party.created_at = opened_at
        InterestedParty.objects.bulk_create(parties)
        for attachment in attachments:
            _document_insert(
                expedient,
                title=attachment.name,
                document_type=ExpedientDocumentType.APPLICATION,
                origin=Origin.CITIZEN,
                organ=entry.unit_dir3,
                captured_at=entry.registered_at,
                stored_name=attachment.file.name,
                file_name=attachment.name,
                content_type=attachment.content_type,
                sha256=attachment.sha256,
                size=attachment.size,
                register_entry=entry,
                added_by=actor,
                added_at=opened_at,
            )
        _event(
            expedient,
            EventKind.OPENED,
            actor=actor,
            department=department,
            at=opened_at,
            params={
                "entry": entry.reference,
                "procedure_code": procedure.code,
                "term_unit": term_unit,
                "term_value": term_value,
                "due_date": base_due_date.isoformat() if base_due_date else None,
            },
        )
    logger.info("expedients.opened reference=%s procedure=%s entry=%s", expedient.reference, procedure.code, entry.pk)
    return expedient


# Handling ------------------------------------------------------------------------------------


def expedient_assign(*, expedient: Expedient, assignee, actor) -> Expedient:
    """Give the expedient to a member of its department (or to nobody with `assignee=None`)."""
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        _require_not_archived(locked)
        if assignee is not None and not user_in_department(user=assignee, department_id=locked.department_id):
            raise ExpedientInvalid({"assignee": [_("La persona assignada ha de ser del departament responsable.")]})
        previous = locked.assigned_to_id
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        _event(
            locked,
            EventKind.ASSIGNED,
            actor=actor,
            department=locked.department,
            params={"from": previous, "to": assignee.pk if assignee else None},
        )
    return _sync(expedient, locked)


# Target states that carry their own records: they are reached only through their own action.
_TRANSITION_ACTIONS = {
    State.PENDING_CORRECTION: "correction_request",
    State.SUSPENDED: "expedient_suspend",
    State.RESOLVED: "expedient_resolve",
    State.ARCHIVED: "expedient_archive",
}


def expedient_transition(*, expedient: Expedient, to_state: State | str, actor, reason: str = "") -> Expedient:
    """A plain state change allowed by the table, for example iniciat -> en_tramitació."""
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        if to_state in _TRANSITION_ACTIONS or (
            to_state == State.IN_PROGRESS and locked.state in (State.SUSPENDED, State.PENDING_CORRECTION)
        ):
            hint = _TRANSITION_ACTIONS.get(to_state) or (
                "expedient_resume" if locked.state == State.SUSPENDED else "correction_answer / correction_expire"
            )
            raise TransitionNotAllowed(locked.state, str(to_state), hint)
        from_state = _transition(locked, to_state)
        locked.save(update_fields=["state"])
        _event(
            locked,
            EventKind.STATE_CHANGED,
            actor=actor,
            department=locked.department,
            description=reason,
            params={"from": from_state, "to": str(to_state)},
        )
    return _sync(expedient, locked)


def expedient_suspend(*, expedient: Expedient, actor, reason: str, started_on: dt.date | None = None) -> Suspension:
    """Suspend the resolution term (art. 22) from `started_on` (today by default) until resumed."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ExpedientInvalid({"reason": [_("Cal indicar el motiu de la suspensió.")]})
    now, today = _now()
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        from_state = _transition(locked, State.SUSPENDED)
        suspension = Suspension.objects.create(expedient=locked, reason=reason[:500], started_on=started_on or today)
        locked.save(update_fields=["state"])
        _event(
            locked,
            EventKind.SUSPENDED,
            actor=actor,
            department=locked.department,
            description=reason,
            at=now,
            params={"from": from_state, "suspension": suspension.pk, "started_on": suspension.started_on.isoformat()},
        )
    _sync(expedient, locked)
    return suspension


def expedient_resume(*, expedient: Expedient, actor, ended_on: dt.date | None = None, reason: str = "") -> Expedient:
    """End the open suspension; the due date moves by the days it lasted."""
    now, today = _now()
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        from_state = _transition(locked, State.IN_PROGRESS)
        if from_state != State.SUSPENDED:
            raise TransitionNotAllowed(from_state, State.IN_PROGRESS, "correction_answer / correction_expire")
        suspension = Suspension.objects.select_for_update().get(expedient=locked, ended_on__isnull=True)
        suspension.ended_on = max(ended_on or today, suspension.started_on)
        suspension.save(update_fields=["ended_on"])
        _due_date_refresh(locked)
        locked.save(update_fields=["state", "due_date"])
        _event(
            locked,
            EventKind.RESUMED,
            actor=actor,
            department=locked.department,
            description=reason,
            at=now,
            params={
                "suspension": suspension.pk,
                "days": suspension.days,
                "due_date": locked.due_date.isoformat() if locked.due_date else None,
            },
        )
    return _sync(expedient, locked)


# Correction requests (requeriments d'esmena) -------------------------------------------------


def correction_request(
    *, expedient: Expedient, actor, description: str, document: DocumentUpload | None = None
) -> CorrectionRequest:
    """Ask the citizen to correct the application: 10 business days, and the term suspended until then."""
    description = (description or "").strip()
    if not description:
        raise ExpedientInvalid({"description": [_("Cal indicar què s'ha d'esmenar.")]})
    now, today = _now()
    deadline = correction_deadline(requested_on=today)
    staged = [_stage(document)] if document is not None else []
    try:
        with transaction.atomic():
            locked = _locked(expedient)
            _require_owner(actor, locked)
            from_state = _transition(locked, State.PENDING_CORRECTION)
            correction = CorrectionRequest.objects.create(
                expedient=locked,
                description=description,
                requested_at=now,
                requested_on=today,
                requested_by=actor,
                deadline=deadline,
            )
            Suspension.objects.create(
                expedient=locked,
                reason=_("Requeriment d'esmena (art. 22.1.a Llei 39/2015)"),
                started_on=today,
                correction=correction,
            )
            # Until the answer, the due date assumes the citizen uses the whole term.
            _due_date_refresh(locked, extra_days=(deadline - today).days)
            locked.save(update_fields=["state", "due_date"])
            _event(
                locked,
                EventKind.CORRECTION_REQUESTED,
                actor=actor,
                department=locked.department,
                description=description,
                at=now,
                params={"from": from_state, "correction": correction.pk, "deadline": deadline.isoformat()},
            )
            for item in staged:
                added = _staged_document_add(
                    locked,
                    item,
                    actor=actor,
                    event_department=locked.department,
                    title=_("Requeriment d'esmena"),
                    document_type=ExpedientDocumentType.REQUIREMENT,
                    origin=Origin.ADMINISTRATION,
                    organ=locked.department.dir3,
                    captured_at=now,
                    correction=correction,
                    department=locked.department,
                    added_at=now,
                )
            # Notified in the carpeta, the 10 days count from access or rejection (art. 43, 68).
            notification_create(
                expedient=locked,
                kind=NotificationKind.CORRECTION,
                subject=_("Requeriment d'esmena de l'expedient %(reference)s") % {"reference": locked.reference},
                body=description,
                actor=actor,
                correction=correction,
                expedient_document=added if staged else None,
                at=now,
            )
    except BaseException:
        _discard(staged)
        raise
    _sync(expedient, locked)
    logger.info("expedients.correction_requested reference=%s deadline=%s", locked.reference, correction.deadline)
    return correction


def _correction_close(locked: Expedient, correction: CorrectionRequest, *, ended_on: dt.date) -> int:
    suspension = Suspension.objects.select_for_update().get(correction=correction)
    suspension.ended_on = max(ended_on, suspension.started_on)
    suspension.save(update_fields=["ended_on"])
    _transition(locked, State.IN_PROGRESS)
    _due_date_refresh(locked)
    locked.save(update_fields=["state", "due_date"])
    return suspension.days


def correction_answer(
    *,
    correction: CorrectionRequest,
    actor,
    text: str = "",
    documents: Sequence[DocumentUpload] = (),
    entry=None,
) -> CorrectionRequest:
    """Record the citizen's answer with its documents; the term runs again from today.

    The actor is the citizen (their own expedient), staff of the owner department recording a
    paper answer, or `None` for the internal API after registering the answer as `entry`.
    An answer after the deadline but before the expiry is recorded is still admitted (art. 73.3).
    """
    if not (text or "").strip() and not documents:
        raise ExpedientInvalid({"answer": [_("Cal una resposta o almenys un document.")]})
    now, today = _now()
    staged: list[_StagedFile] = []
    try:
        for upload in documents:
            staged.append(_stage(upload))
        with transaction.atomic():
            locked = _locked(correction.expedient)
            as_citizen = actor is not None and expedient_is_citizens(user=actor, expedient=locked)
            if not as_citizen:
                _require_owner(actor, locked)
            current = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
            if current.state != CorrectionState.PENDING:
                raise CorrectionNotPending(current.pk)
            current.state = CorrectionState.ANSWERED
            current.answered_at = now
            current.answer_text = (text or "").strip()
            current.answered_by = actor
            current.save(update_fields=["state", "answered_at", "answer_text", "answered_by"])
            # The suspension lasts until the answer, and never past the term that was given.
            days = _correction_close(locked, current, ended_on=min(today, current.deadline))
            _event(
                locked,
                EventKind.CORRECTION_ANSWERED,
                actor=actor,
                department=None if as_citizen else locked.department,
                at=now,
                params={
                    "correction": current.pk,
                    "days_suspended": days,
                    "documents": len(staged),
                    "entry": entry.reference if entry is not None else None,
                    "due_date": locked.due_date.isoformat() if locked.due_date else None,
                },
            )
            for item in staged:
                _staged_document_add(
                    locked,
                    item,
                    actor=actor,
                    event_department=None if as_citizen else locked.department,
                    title=item.file_name,
                    document_type=ExpedientDocumentType.ALLEGATION,
                    origin=Origin.CITIZEN,
                    organ=locked.department.dir3,
                    captured_at=now,
                    correction=current,
                    register_entry=entry,
                    added_at=now,
                )
    except BaseException:
        _discard(staged)
        raise
    _sync(correction.expedient, locked)
    correction.refresh_from_db()
    return current


def correction_expire(*, correction: CorrectionRequest, today: dt.date | None = None) -> bool:
    """Record that the term to correct ran out unanswered; False if there was nothing to do (safe twice)."""
    now = timezone.now()
    today = today or official_date(now)
    with transaction.atomic():
        locked = _locked(correction.expedient)
        current = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if current.state != CorrectionState.PENDING or current.deadline >= today:
            return False
        current.state = CorrectionState.EXPIRED
        current.save(update_fields=["state"])
        days = _correction_close(locked, current, ended_on=current.deadline)
        _event(
            locked,
            EventKind.CORRECTION_EXPIRED,
            at=now,
            params={
                "correction": current.pk,
                "deadline": current.deadline.isoformat(),
                "days_suspended": days,
                "due_date": locked.due_date.isoformat() if locked.due_date else None,
            },
        )
    _sync(correction.expedient, locked)
    logger.info("expedients.correction_expired reference=%s correction=%s", locked.reference, current.pk)
    return True


# Documents -----------------------------------------------------------------------------------


def document_add(
    *,
    expedient: Expedient,
    actor,
    title: str,
    document_type: ExpedientDocumentType | str,
    upload: DocumentUpload | None = None,
    issued_document: IssuedDocument | None = None,
    origin: Origin | str = Origin.ADMINISTRATION,
    production_state: ProductionState | str = ProductionState.ORIGINAL,
    captured_at: dt.datetime | None = None,
    register_entry=None,
    task: Task | None = None,
) -> ExpedientDocument:
    """Add a document to the expedient's index: an uploaded file, or a document the city issued (with its CSV).

    The owner department may add any document; the department a task was asked of may add its
    report, passing that `task`.
    """
    if (upload is None) == (issued_document is None):
        raise ExpedientInvalid({"document": [_("Cal un fitxer o un document emès, però no tots dos.")]})
    if document_type not in ExpedientDocumentType.values:
        raise ExpedientInvalid({"document_type": [_("Tipus documental desconegut.")]})
    if origin not in Origin.values or production_state not in ProductionState.values:
        raise ExpedientInvalid({"origin": [_("Origen o estat d'elaboració desconegut.")]})
    staged = [_stage(upload)] if upload is not None else []
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(expedient)
            _require_not_archived(locked)
            department = locked.department
            if task is not None:
                if task.expedient_id != locked.pk or document_type != ExpedientDocumentType.REPORT:
                    raise ExpedientInvalid({"task": [_("L'encàrrec no és d'aquest expedient.")]})
                if actor is not None and not user_in_department(user=actor, department_id=task.to_department_id):
                    raise ExpedientPermissionDenied(_("Només el departament que rep l'encàrrec hi pot respondre."))
                department = task.to_department
            else:
                _require_owner(actor, locked)
            if issued_document is not None:
                source = _StagedFile(
                    issued_document.file_name,
                    issued_document.file.name,
                    issued_document.content_type,
                    issued_document.sha256,
                    issued_document.size,
                )
            else:
                source = staged[0]
            document = _document_insert(
                locked,
                title=title,
                document_type=document_type,
                origin=origin,
                organ=issued_document.organ if issued_document is not None else department.dir3,
                captured_at=captured_at or (issued_document.captured_at if issued_document is not None else now),
                stored_name=source.stored_name,
                file_name=source.file_name,
                content_type=source.content_type,
                sha256=source.sha256,
                size=source.size,
                production_state=production_state,
                csv=issued_document.csv if issued_document is not None else "",
                issued_document=issued_document,
                register_entry=register_entry,
                task=task,
                department=department,
                added_by=actor,
                added_at=now,
            )
            _document_event(document, actor=actor, department=department)
    except BaseException:
        _discard(staged)
        raise
    return document


# Collaboration between departments -----------------------------------------------------------


def task_request(
    *,
    expedient: Expedient,
    actor,
    to_department: Department,
    kind: TaskKind | str,
    description: str,
    business_days: int = TASK_DEFAULT_BUSINESS_DAYS,
) -> Task:
    """Ask another department for a report or a task on this expedient, due in `business_days`."""
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in TaskKind.values:
        errors["kind"] = [_("Tipus d'encàrrec desconegut.")]
    if not description:
        errors["description"] = [_("Cal descriure què es demana.")]
    if not 1 <= business_days <= 90:
        errors["business_days"] = [_("El termini ha de ser d'entre 1 i 90 dies hàbils.")]
    if to_department.pk == expedient.department_id:
        errors["to_department"] = [_("L'encàrrec ha de ser per a un altre departament.")]
    if errors:
        raise ExpedientInvalid(errors)
    now, today = _now()
    due_date = add_business_days(today, business_days)
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        _require_not_archived(locked)
        task = Task.objects.create(
            expedient=locked,
            from_department=locked.department,
            to_department=to_department,
            kind=kind,
            description=description,
            requested_at=now,
            requested_by=actor,
            due_date=due_date,
        )
        _event(
            locked,
            EventKind.TASK_REQUESTED,
            actor=actor,
            department=locked.department,
            description=description,
            at=now,
            params={"task": task.pk, "kind": str(kind), "to": to_department.code, "due_date": due_date.isoformat()},
        )
    return task


def task_answer(
    *,
    task: Task,
    actor,
    answer: str,
    state: TaskState | str = TaskState.DONE,
    report: DocumentUpload | None = None,
    report_title: str = "",
) -> Task:
    """The asked department answers (done or rejected), optionally with its report as a document."""
    answer = (answer or "").strip()
    if state not in (TaskState.DONE, TaskState.REJECTED):
        raise ExpedientInvalid({"state": [_("Un encàrrec es respon com a fet o rebutjat.")]})
    if not answer:
        raise ExpedientInvalid({"answer": [_("Cal una resposta.")]})
    staged = [_stage(report)] if report is not None else []
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(task.expedient)
            current = Task.objects.select_for_update().select_related("to_department").get(pk=task.pk)
            if actor is not None and not user_in_department(user=actor, department_id=current.to_department_id):
                raise ExpedientPermissionDenied(_("Només el departament que rep l'encàrrec hi pot respondre."))
            if current.state != TaskState.PENDING:
                raise TaskNotPending(current.pk)
            _require_not_archived(locked)
            current.state = state
            current.answer = answer
            current.answered_at = now
            current.answered_by = actor
            current.save(update_fields=["state", "answer", "answered_at", "answered_by"])
            _event(
                locked,
                EventKind.TASK_ANSWERED,
                actor=actor,
                department=current.to_department,
                description=answer,
                at=now,
                params={"task": current.pk, "state": str(state), "from": current.to_department.code},
            )
            for item in staged:
                _staged_document_add(
                    locked,
                    item,
                    actor=actor,
                    event_department=current.to_department,
                    title=report_title or _("Informe"),
                    document_type=ExpedientDocumentType.REPORT,
                    origin=Origin.ADMINISTRATION,
                    organ=current.to_department.dir3,
                    captured_at=now,
                    task=current,
                    department=current.to_department,
                    added_at=now,
                )
    except BaseException:
        _discard(staged)
        raise
    task.refresh_from_db()
    return current


# Resolution and archive ----------------------------------------------------------------------


def _resolution_content(staged: _StagedFile | None, issued_document: IssuedDocument | None) -> tuple[str, bytes, str]:
    if issued_document is not None:
        with issued_document.file.open("rb") as handle:
            return issued_document.file_name, handle.read(), issued_document.content_type
    storage = ExpedientDocument._meta.get_field("file").storage
    with storage.open(staged.stored_name, "rb") as handle:
        return staged.file_name, handle.read(), staged.content_type


def expedient_resolve(
    *,
    expedient: Expedient,
    actor,
    title: str = "",
    resolution: DocumentUpload | None = None,
    issued_document: IssuedDocument | None = None,
    outgoing_entry=None,
    register_outgoing: bool = True,
    summary: str = "",
) -> Expedient:
    """Resolve with the resolution document, registered in the outgoing register in the same transaction.

    Pass `outgoing_entry` when the caller registered it already; with `register_outgoing=False`
    the resolution stays unregistered (for example an automatic one the caller registers later).
    """
    if (resolution is None) == (issued_document is None):
        raise ExpedientInvalid({"resolution": [_("Cal el document de la resolució.")]})
    staged = [_stage(resolution)] if resolution is not None else []
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(expedient)
            _require_owner(actor, locked)
            from_state = _transition(locked, State.RESOLVED)
            if outgoing_entry is None and register_outgoing:
                applicant = (
                    locked.interested_parties.filter(role=InterestedRole.APPLICANT).order_by("pk").first()
                    or locked.interested_parties.order_by("pk").first()
                )
                file_name, content, content_type = _resolution_content(staged[0] if staged else None, issued_document)
                outgoing_entry = register_entry_create(
                    register=Register.OUTGOING,
                    channel=Channel.ELECTRONIC,
                    applicant=Party(
                        name=applicant.name,
                        document_number=applicant.document_number,
                        document_type=applicant.document_type or DocumentType.DNI,
                        identified_by=IdentificationMethod.ADMINISTRATION,
                    ),
                    subject=_("Resolució de l'expedient %(reference)s") % {"reference": locked.reference},
                    unit_dir3=locked.department.dir3,
                    procedure_code=locked.procedure_code,
                    attachments=[(file_name, content, content_type)],
                    submitted_by=actor,
                    idempotency_key=f"{locked.reference}-resolucio",
                )
            source = staged[0] if staged else None
            document = _document_insert(
                locked,
                title=title or _("Resolució"),
                document_type=ExpedientDocumentType.RESOLUTION,
                origin=Origin.ADMINISTRATION,
                organ=issued_document.organ if issued_document is not None else locked.department.dir3,
                captured_at=issued_document.captured_at if issued_document is not None else now,
                stored_name=issued_document.file.name if issued_document is not None else source.stored_name,
                file_name=issued_document.file_name if issued_document is not None else source.file_name,
                content_type=issued_document.content_type if issued_document is not None else source.content_type,
                sha256=issued_document.sha256 if issued_document is not None else source.sha256,
                size=issued_document.size if issued_document is not None else source.size,
                csv=issued_document.csv if issued_document is not None else "",
                issued_document=issued_document,
                register_entry=outgoing_entry,
                department=locked.department,
                added_by=actor,
                added_at=now,
            )
            _document_event(document, actor=actor, department=locked.department)
            locked.resolved_at = now
            locked.resolution_entry = outgoing_entry
            locked.save(update_fields=["state", "resolved_at", "resolution_entry"])
            _event(
                locked,
                EventKind.RESOLVED,
                actor=actor,
                department=locked.department,
                description=summary,
                at=now,
                params={
                    "from": from_state,
                    "document": document.pk,
                    "outgoing_entry": outgoing_entry.reference if outgoing_entry is not None else None,
                    "in_time": locked.due_date is None or official_date(now) <= locked.due_date,
                },
            )
            notification_create(
                expedient=locked,
                kind=NotificationKind.RESOLUTION,
                subject=_("Resolució de l'expedient %(reference)s") % {"reference": locked.reference},
                body=summary,
                actor=actor,
                expedient_document=document,
                issued_document=issued_document,
                at=now,
            )
    except BaseException:
        _discard(staged)
        raise
    logger.info("expedients.resolved reference=%s", locked.reference)
    return _sync(expedient, locked)


def expedient_archive(*, expedient: Expedient, actor, reason: str = "") -> Expedient:
    """Close a resolved expedient for good; it accepts no more documents or tasks."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(expedient)
        _require_owner(actor, locked)
        from_state = _transition(locked, State.ARCHIVED)
        locked.archived_at = now
        locked.save(update_fields=["state", "archived_at"])
        _event(
            locked,
            EventKind.ARCHIVED,
            actor=actor,
            department=locked.department,
            description=reason,
            at=now,
            params={"from": from_state},
        )
    return _sync(expedient, locked)
