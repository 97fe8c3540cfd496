"""Reads of La meva carpeta: only the citizen's own data and their represented persons', in plain language."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tramits.catalogue.procedures import get_procedure
from tramits.documents.models import DocumentType as IssuedDocumentType
from tramits.documents.models import IssuedDocument, Origin
from tramits.expedients.models import (
    CorrectionRequest,
    CorrectionState,
    Event,
    EventKind,
    Expedient,
    ExpedientDocument,
    State,
)
from tramits.notificacions.models import Notification, NotificationChannel, NotificationState
from tramits.notificacions.selectors import notifications_for
from tramits.registre.applications import application_steps_in, entry_application
from tramits.representacions.models import Representation
from tramits.representacions.selectors import expedients_for, representation_of_document, represented_for
from tramits.submissions.selectors import submissions_pending_for
from tramits.terminis.calendar import business_days_left, official_today
from tramits.wizards.selectors import drafts_for

ANSWER_PROCEDURE = "GEN-APORTACIO"
EXPEDIENTS_PER_PAGE = 25
RECEIPTS_ON_HOME = 10

STATE_PLAIN = {
    State.INITIATED: _("Rebut"),
    State.IN_PROGRESS: _("En tràmit"),
    State.PENDING_CORRECTION: _("Us hem demanat una esmena"),
    State.SUSPENDED: _("Aturat temporalment"),
    State.RESOLVED: _("Resolt"),
    State.ARCHIVED: _("Tancat"),
}

NEXT_STEP = {
    State.INITIATED: _("L'Ajuntament revisarà la sol·licitud. Ara no cal que feu res."),
    State.IN_PROGRESS: _("L'Ajuntament l'està estudiant. Ara no cal que feu res."),
    State.PENDING_CORRECTION: _("Responeu el requeriment abans que s'acabi el termini."),
    State.SUSPENDED: _("El termini per resoldre està aturat. Us avisarem quan es reprengui."),
    State.RESOLVED: _("Consulteu la resolució a les notificacions."),
    State.ARCHIVED: _("No cal fer res més."),
}

# What a citizen sees of the timeline; tasks between departments, assignments and notes stay inside.
CITIZEN_EVENT_KINDS = (
    EventKind.OPENED,
    EventKind.STATE_CHANGED,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_ANSWERED,
    EventKind.CORRECTION_EXPIRED,
    EventKind.SUSPENDED,
    EventKind.RESUMED,
    EventKind.RESOLVED,
    EventKind.ARCHIVED,
    EventKind.NOTIFICATION_AVAILABLE,
    EventKind.NOTIFICATION_ACCESSED,
    EventKind.NOTIFICATION_REJECTED,
    EventKind.REPRESENTATION_ACCEPTED,
    EventKind.REPRESENTATION_REJECTED,
    EventKind.REPRESENTATION_REVOKED,
)

_EVENT_PLAIN = {
    EventKind.OPENED: _("Heu presentat la sol·licitud i s'ha obert l'expedient."),
    EventKind.STATE_CHANGED: _("L'Ajuntament ha començat a tramitar l'expedient."),
    EventKind.CORRECTION_REQUESTED: _("L'Ajuntament us ha demanat que esmeneu o completeu la sol·licitud."),
    EventKind.CORRECTION_ANSWERED: _("S'ha rebut la resposta al requeriment."),
    EventKind.CORRECTION_EXPIRED: _("El termini per respondre el requeriment s'ha acabat sense resposta."),
    EventKind.SUSPENDED: _("El termini per resoldre s'ha aturat temporalment."),
    EventKind.RESUMED: _("El termini per resoldre torna a córrer."),
    EventKind.RESOLVED: _("L'expedient s'ha resolt."),
    EventKind.ARCHIVED: _("L'expedient s'ha tancat i arxivat."),
    EventKind.NOTIFICATION_AVAILABLE: _("Teniu una notificació a la carpeta."),
    EventKind.NOTIFICATION_ACCESSED: _("S'ha obert la notificació: es considera notificada."),
    EventKind.NOTIFICATION_REJECTED: _(
        "La notificació no s'ha obert en 10 dies naturals: es considera rebutjada i el procediment continua."
    ),
    EventKind.REPRESENTATION_ACCEPTED: _("L'Ajuntament ha acceptat la representació."),
    EventKind.REPRESENTATION_REJECTED: _("L'Ajuntament ha rebutjat la representació."),
    EventKind.REPRESENTATION_REVOKED: _("La representació s'ha revocat."),
}
_PAPER_NOTIFICATION = _("S'ha enviat una notificació en paper.")


def _language() -> str:
    return (get_language() or "ca")[:2]


def procedure_title(code: str, *, language: str | None = None) -> str:
    procedure = get_procedure(code)
    return procedure.title(language or _language()) if procedure else code


def answer_url(*, reference: str) -> str:
    """Where the "Respon" button goes: the GEN-APORTACIO wizard, with the expedient filled in."""
    return reverse("wizards:start", kwargs={"code": ANSWER_PROCEDURE}) + "?" + urlencode({"expedient": reference})


def _owner(expedient: Expedient, representations: list[Representation]) -> Representation | None:
    """The representation through which the user sees someone else's expedient; None for their own."""
    if getattr(expedient, "is_own", True):
        return None
    return representation_of_document(
        representations=representations, document_number=getattr(expedient, "represented_document", None)
    )


@dataclass
class ExpedientRow:
    expedient: Expedient
    title: str
    state: str
    next_step: str
    due_date: dt.date | None
    on_behalf_of: str = ""


@dataclass
class CorrectionRow:
    expedient: Expedient
    title: str
    correction_pk: int
    deadline: dt.date
    days_left: int
    overdue: bool
    waiting_notification_pk: int | None
    answer_url: str
    on_behalf_of: str = ""


@dataclass
class NotificationRow:
    notification: Notification
    title: str
    on_behalf_of: str = ""


@dataclass
class CarpetaHome:
    corrections: list[CorrectionRow]
    notifications: list[NotificationRow]
    expedients: list[ExpedientRow]
    page: Page
    receipts: list[IssuedDocument]
    representations: list[Representation]
    drafts: list = field(default_factory=list)
    submissions_pending: list = field(default_factory=list)


def expedient_row(expedient: Expedient, *, representations: list[Representation], language: str) -> ExpedientRow:
    owner = _owner(expedient, representations)
    return ExpedientRow(
        expedient=expedient,
        title=procedure_title(expedient.procedure_code, language=language),
        state=STATE_PLAIN.get(expedient.state, expedient.get_state_display()),
        next_step=NEXT_STEP.get(expedient.state, ""),
        due_date=expedient.due_date if expedient.is_open else None,
        on_behalf_of=owner.represented_name if owner else (getattr(expedient, "filed_for", "") or ""),
    )


def _pending_corrections(
    expedients: QuerySet[Expedient], *, representations: list[Representation], language: str, today: dt.date
) -> list[CorrectionRow]:
    pending = CorrectionRequest.objects.filter(expedient=OuterRef("pk"), state=CorrectionState.PENDING).order_by("pk")
    waiting = Notification.objects.filter(
        correction=OuterRef("correction_pk"),
        channel=NotificationChannel.ELECTRONIC,
        state=NotificationState.PENDING,
    ).order_by("-pk")
    rows = list(
        expedients.filter(Exists(pending))
        .annotate(
            correction_pk=Subquery(pending.values("pk")[:1]),
            correction_deadline=Subquery(pending.values("deadline")[:1]),
        )
        .annotate(waiting_notification_pk=Subquery(waiting.values("pk")[:1]))
        .order_by("correction_deadline", "pk")
    )
    if not rows:
        return []
    left = business_days_left(due_dates=[row.correction_deadline for row in rows], on=today)
    corrections = []
    for expedient, days in zip(rows, left, strict=True):
        owner = _owner(expedient, representations)
        corrections.append(
            CorrectionRow(
                expedient=expedient,
                title=procedure_title(expedient.procedure_code, language=language),
                correction_pk=expedient.correction_pk,
                deadline=expedient.correction_deadline,
                days_left=max(days, 0),
                overdue=expedient.correction_deadline < today,
                waiting_notification_pk=expedient.waiting_notification_pk,
                answer_url=answer_url(reference=expedient.reference),
                on_behalf_of=owner.represented_name if owner else (expedient.filed_for or ""),
            )
        )
    return corrections


def _notification_rows(
    notifications: QuerySet[Notification], *, representations: list[Representation], user, language: str
) -> list[NotificationRow]:
    rows = []
    for notification in notifications.select_related("interested_party"):
        owner = None
        if notification.recipient_id != user.pk and notification.interested_party is not None:
            owner = representation_of_document(
                representations=representations, document_number=notification.interested_party.document_number
            )
        rows.append(
            NotificationRow(
                notification=notification,
                title=procedure_title(notification.expedient.procedure_code, language=language),
                on_behalf_of=owner.represented_name if owner else "",
            )
        )
    return rows


def receipts_for(
    *, user, expedients: QuerySet[Expedient] | None = None, own_filings: bool = True
) -> QuerySet[IssuedDocument]:
    """Receipts of the entries of the expedients in the carpeta (and of the user's own filings), newest first."""
    expedients = expedients_for(user=user) if expedients is None else expedients
    citizen_entries = ExpedientDocument.objects.filter(
        expedient__in=expedients.values("pk"), origin=Origin.CITIZEN, register_entry__isnull=False
    ).values("register_entry_id")
    belongs = Q(register_entry__opened_expedient__in=expedients.values("pk")) | Q(register_entry_id__in=citizen_entries)
    if own_filings:
        belongs |= Q(register_entry__submitted_by_id=user.pk)
    return (
        IssuedDocument.objects.filter(document_type=IssuedDocumentType.ACKNOWLEDGEMENT)
        .filter(belongs)
        .select_related("register_entry")
        .order_by("-created_at", "-pk")
    )


def receipt_for(*, user, pk: int) -> IssuedDocument | None:
    return receipts_for(user=user).filter(pk=pk).first()


def _drafts_and_submissions(user) -> tuple[list, list]:
    """Drafts to resume and filings received but not registered yet (the API was down)."""
    return list(drafts_for(user)), list(submissions_pending_for(user))


def carpeta_home(*, user, page_number: str | int | None = 1) -> CarpetaHome:
    """Everything on the carpeta's home page, in a number of queries that does not grow with the data."""
    language, today = _language(), official_today()
    representations = list(represented_for(user=user))
    expedients = expedients_for(user=user, representations=representations)
    corrections = _pending_corrections(expedients, representations=representations, language=language, today=today)
    unread = notifications_for(user=user, expedients=expedients).filter(state=NotificationState.PENDING)
    notifications = _notification_rows(unread, representations=representations, user=user, language=language)
    page = Paginator(expedients, EXPEDIENTS_PER_PAGE).get_page(page_number)
    rows = [expedient_row(expedient, representations=representations, language=language) for expedient in page]
    receipts = list(receipts_for(user=user, expedients=expedients)[:RECEIPTS_ON_HOME])
    drafts, submissions_pending = _drafts_and_submissions(user)
    return CarpetaHome(
        corrections=corrections,
        notifications=notifications,
        expedients=rows,
        page=page,
        receipts=receipts,
        representations=representations,
        drafts=drafts,
        submissions_pending=submissions_pending,
    )


# One expedient -------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: dt.datetime
    text: str
    detail: str = ""


@dataclass
class ExpedientDetail:
    row: ExpedientRow
    timeline: list[TimelineItem]
    documents: list[ExpedientDocument]
    receipts: list[IssuedDocument]
    notifications: list[Notification]
    correction: CorrectionRequest | None
    correction_notification: Notification | None
    correction_days_left: int | None
    correction_overdue: bool
    answer_url: str
    application_steps: list[dict]


def carpeta_expedient(*, user, reference: str) -> Expedient | None:
    """The expedient with this reference if it is in the user's carpeta; None otherwise (the caller answers 404)."""
    reference = (reference or "").strip().upper()
    return expedients_for(user=user).filter(reference=reference).first()


def citizen_timeline(*, expedient: Expedient) -> list[TimelineItem]:
    """The timeline in plain language: only what concerns the citizen, never staff's own words."""
    items = []
    events = Event.objects.filter(expedient=expedient, kind__in=CITIZEN_EVENT_KINDS).order_by("created_at", "pk")
    for event in events.only("created_at", "kind", "params"):
        params = event.params or {}
        if event.kind == EventKind.STATE_CHANGED and params.get("to") != State.IN_PROGRESS:
            continue
        text = _EVENT_PLAIN[event.kind]
        detail = ""
        if event.kind == EventKind.NOTIFICATION_AVAILABLE and params.get("channel") == NotificationChannel.PAPER:
            text = _PAPER_NOTIFICATION
        if event.kind == EventKind.OPENED and params.get("entry"):
            detail = _("Número de registre: %(entry)s") % {"entry": params["entry"]}
        items.append(TimelineItem(at=event.created_at, text=str(text), detail=str(detail)))
    return items


def citizen_documents(*, expedient: Expedient) -> QuerySet[ExpedientDocument]:
    """What the citizen may download: their own filings and the documents notified to them, never internal ones."""
    notified = Notification.objects.filter(
        expedient_document=OuterRef("pk"),
        state__in=[NotificationState.ACCESSED, NotificationState.REJECTED],
    )
    return (
        ExpedientDocument.objects.filter(expedient=expedient)
        .filter(Q(origin=Origin.CITIZEN) | Q(Exists(notified)))
        .order_by("sequence")
    )


def citizen_document(*, expedient: Expedient, pk: int) -> ExpedientDocument | None:
    return citizen_documents(expedient=expedient).filter(pk=pk).first()


def carpeta_expedient_detail(*, user, expedient: Expedient) -> ExpedientDetail:
    language, today = _language(), official_today()
    representations = list(represented_for(user=user))
    row = expedient_row(expedient, representations=representations, language=language)
    correction = expedient.correction_requests.filter(state=CorrectionState.PENDING).first()
    notifications = list(
        Notification.objects.filter(expedient=expedient, channel=NotificationChannel.ELECTRONIC).order_by(
            "-made_available_at", "-pk"
        )
    )
    correction_notification = None
    days_left = None
    if correction is not None:
        correction_notification = next(
            (item for item in notifications if item.correction_id == correction.pk and item.is_pending), None
        )
        (left,) = business_days_left(due_dates=[correction.deadline], on=today)
        days_left = max(left, 0)
    receipts = receipts_for(user=user, expedients=Expedient.objects.filter(pk=expedient.pk), own_filings=False)
    return ExpedientDetail(
        row=row,
        timeline=citizen_timeline(expedient=expedient),
        documents=list(citizen_documents(expedient=expedient)),
        receipts=list(receipts),
        notifications=notifications,
        correction=correction,
        correction_notification=correction_notification,
        correction_days_left=days_left,
        correction_overdue=correction is not None and correction.deadline < today,
        answer_url=answer_url(reference=expedient.reference),
        application_steps=_application_steps(expedient, language),
    )


def _application_steps(expedient: Expedient, language: str) -> list[dict]:
    """What the citizen asked, as they filed it: the same copy staff read, in the citizen's language."""
    application = entry_application(entry=expedient.opening_entry) if expedient.opening_entry_id else None
    return application_steps_in(document=application, language=language) if application else []
