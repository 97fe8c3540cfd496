"""Reads of expedients: who may see and act on what, inboxes, deadlines, the timeline and the index."""

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from xml.etree import ElementTree

from django.db.models import Exists, OuterRef, Q, QuerySet

from tramits.catalogue.models import Department
from tramits.expedients.models import (
    OPEN_STATES,
    CorrectionRequest,
    CorrectionState,
    Event,
    Expedient,
    ExpedientDocument,
    InterestedParty,
    Task,
    TaskState,
)
from tramits.expedients.search import search_terms
from tramits.terminis.calendar import add_business_days, official_today

# Access --------------------------------------------------------------------------------------


def user_department_ids(*, user) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(Department.members.through.objects.filter(user_id=user.pk).values_list("department_id", flat=True))


def user_in_department(*, user, department_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Department.members.through.objects.filter(user_id=user.pk, department_id=department_id).exists()


def expedients_visible(*, user) -> QuerySet[Expedient]:
    """Expedients of the user's departments, and those on which one of them has a task; nothing else."""
    department_ids = user_department_ids(user=user)
    if not department_ids:
        return Expedient.objects.none()
    with_task = Task.objects.filter(expedient=OuterRef("pk"), to_department_id__in=department_ids)
    return Expedient.objects.filter(Q(department_id__in=department_ids) | Exists(with_task))


def expedient_can_view(*, user, expedient: Expedient) -> bool:
    department_ids = user_department_ids(user=user)
    if expedient.department_id in department_ids:
        return True
    return Task.objects.filter(expedient=expedient, to_department_id__in=department_ids).exists()


def expedient_can_act(*, user, expedient: Expedient) -> bool:
    """Transitions, documents, corrections, tasks and resolution belong to the owner department only."""
    return user_in_department(user=user, department_id=expedient.department_id)


def task_can_answer(*, user, task: Task) -> bool:
    return user_in_department(user=user, department_id=task.to_department_id)


def expedient_tasks_visible(*, user, expedient: Expedient) -> QuerySet[Task]:
    """The owner department sees every task; a helping department sees only its own."""
    tasks = Task.objects.filter(expedient=expedient).select_related("from_department", "to_department")
    department_ids = user_department_ids(user=user)
    if expedient.department_id in department_ids:
        return tasks
    return tasks.filter(to_department_id__in=department_ids)


def tasks_inbox(*, user, state: str | None = TaskState.PENDING) -> QuerySet[Task]:
    """Tasks other departments asked of the user's departments, soonest due first."""
    tasks = Task.objects.filter(to_department_id__in=user_department_ids(user=user))
    if state:
        tasks = tasks.filter(state=state)
    return tasks.select_related("expedient", "from_department", "to_department").order_by("due_date", "pk")


# Citizens ------------------------------------------------------------------------------------


def expedients_of_citizen(*, user) -> QuerySet[Expedient]:
    """La meva carpeta: expedients the user filed or is an interessat of, through their account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Expedient.objects.none()
    party = InterestedParty.objects.filter(expedient=OuterRef("pk"), user_id=user.pk)
    return Expedient.objects.filter(Q(citizen_id=user.pk) | Exists(party)).order_by("-opened_at", "-pk")


def expedient_is_citizens(*, user, expedient: Expedient) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if expedient.citizen_id == user.pk:
        return True
    return InterestedParty.objects.filter(expedient=expedient, user_id=user.pk).exists()


# Lists and deadlines -------------------------------------------------------------------------


def expedient_get(*, reference: str) -> Expedient | None:
    return (
        Expedient.objects.select_related("department", "assigned_to", "opening_entry")
        .filter(reference=(reference or "").strip().upper())
        .first()
    )


def expedients_overdue(*, queryset: QuerySet[Expedient] | None = None, today: dt.date | None = None):
    """Past their maximum resolution date and not yet resolved (a plain suspension stops the clock)."""
    queryset = Expedient.objects.all() if queryset is None else queryset
    return queryset.filter(state__in=OPEN_STATES, due_date__lt=today or official_today())


def expedients_due_before(
    *, before: dt.date, queryset: QuerySet[Expedient] | None = None, today: dt.date | None = None
) -> QuerySet[Expedient]:
    """Still in time but due before `before` (exclusive)."""
    queryset = Expedient.objects.all() if queryset is None else queryset
    return queryset.filter(state__in=OPEN_STATES, due_date__gte=today or official_today(), due_date__lt=before)


def expedients_due_soon(
    *, queryset: QuerySet[Expedient] | None = None, business_days: int = 10, today: dt.date | None = None
) -> QuerySet[Expedient]:
    today = today or official_today()
    limit = add_business_days(today, business_days) + dt.timedelta(days=1)
    return expedients_due_before(before=limit, queryset=queryset, today=today)


def expedients_filter(
    *,
    queryset: QuerySet[Expedient],
    state: str | None = None,
    department_id: int | None = None,
    procedure_code: str | None = None,
    assigned_to_id: int | None = None,
    due_before: dt.date | None = None,
    overdue: bool = False,
    text: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Expedient]:
    """Narrow a list already limited to what the user may see; the order suits the indexes."""
    if state:
        queryset = queryset.filter(state=state)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if procedure_code:
        queryset = queryset.filter(procedure_code=procedure_code.strip().upper())
    if assigned_to_id:
        queryset = queryset.filter(assigned_to_id=assigned_to_id)
    if due_before:
        queryset = queryset.filter(due_date__lt=due_before)
    if overdue:
        queryset = expedients_overdue(queryset=queryset, today=today)
    if text and (terms := search_terms(text)):
        matches = Q()
        for term in terms:
            matches |= Q(search_text__contains=term)
        queryset = queryset.filter(matches)
    return queryset.select_related("department", "assigned_to")


INBOXES = ("new", "mine", "due_soon", "overdue", "open", "all")


def expedients_inbox(*, user, department: Department, box: str = "open", today: dt.date | None = None):
    """One department's inbox; empty for a user who is not a member."""
    if not user_in_department(user=user, department_id=department.pk):
        return Expedient.objects.none()
    expedients = Expedient.objects.filter(department=department).select_related("department", "assigned_to")
    if box == "new":
        return expedients.filter(state="iniciat").order_by("opened_at", "pk")
    if box == "mine":
        return expedients.filter(assigned_to_id=user.pk, state__in=OPEN_STATES).order_by("due_date", "pk")
    if box == "due_soon":
        return expedients_due_soon(queryset=expedients, today=today).order_by("due_date", "pk")
    if box == "overdue":
        return expedients_overdue(queryset=expedients, today=today).order_by("due_date", "pk")
    if box == "open":
        return expedients.filter(state__in=[*OPEN_STATES, "suspes"]).order_by("due_date", "pk")
    if box == "all":
        return expedients.order_by("-opened_at", "-pk")
    raise ValueError(f"Unknown inbox {box!r}")


def corrections_expired(*, today: dt.date | None = None) -> QuerySet[CorrectionRequest]:
    """Pending correction requests whose last day has passed."""
    return CorrectionRequest.objects.filter(state=CorrectionState.PENDING, deadline__lt=today or official_today())


# Timeline and index --------------------------------------------------------------------------


def expedient_timeline(*, expedient: Expedient) -> QuerySet[Event]:
    return Event.objects.filter(expedient=expedient).select_related("actor", "department").order_by("created_at", "pk")


def expedient_documents(*, expedient: Expedient) -> QuerySet[ExpedientDocument]:
    return ExpedientDocument.objects.filter(expedient=expedient).order_by("sequence")


@dataclass(frozen=True)
class IndexItem:
    """One line of the index: what identifies a document and proves its content."""

    sequence: int
    identifier: str
    title: str
    document_type: str
    nti_document_type: str
    organ: str
    captured_at: str
    origin: str
    production_state: str
    file_format: str
    size: int
    sha256: str
    csv: str


@dataclass(frozen=True)
class ExpedientIndex:
    reference: str
    procedure_code: str
    organ: str
    opened_at: str
    items: list[IndexItem]
    index_sha256: str

    def as_dict(self) -> dict:
        return asdict(self)


def index_hash(*, reference: str, items: list[IndexItem]) -> str:
    """SHA-256 over the canonical JSON of the reference and the ordered items: any change alters it."""
    canonical = json.dumps(
        {"reference": reference, "items": [asdict(item) for item in items]},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def expedient_index(*, expedient: Expedient) -> ExpedientIndex:
    """The index of the expedient (art. 70.2), documents in the order they joined it."""
    items = [
        IndexItem(
            sequence=document.sequence,
            identifier=document.identifier,
            title=document.title,
            document_type=document.document_type,
            nti_document_type=document.nti_document_type,
            organ=document.organ,
            captured_at=document.captured_at.astimezone(dt.UTC).isoformat(),
            origin=document.origin,
            production_state=document.production_state,
            file_format=document.file_format,
            size=document.size,
            sha256=document.sha256,
            csv=document.csv,
        )
        for document in expedient_documents(expedient=expedient)
    ]
    return ExpedientIndex(
        reference=expedient.reference,
        procedure_code=expedient.procedure_code,
        organ=expedient.department.dir3,
        opened_at=expedient.opened_at.astimezone(dt.UTC).isoformat(),
        items=items,
        index_sha256=index_hash(reference=expedient.reference, items=items),
    )


INDEX_FORMATS = {"json": "application/json", "xml": "application/xml", "csv": "text/csv"}


def expedient_index_export(*, expedient: Expedient, export_format: str = "json") -> tuple[bytes, str]:
    """The index as a file (JSON, XML or CSV) and its content type."""
    index = expedient_index(expedient=expedient)
    if export_format == "json":
        content = json.dumps(index.as_dict(), ensure_ascii=False, indent=2).encode()
    elif export_format == "xml":
        content = _index_xml(index)
    elif export_format == "csv":
        content = _index_csv(index)
    else:
        raise ValueError(f"Unknown index format {export_format!r}")
    return content, INDEX_FORMATS[export_format]


def _index_xml(index: ExpedientIndex) -> bytes:
    root = ElementTree.Element(
        "index",
        {
            "expedient": index.reference,
            "procediment": index.procedure_code,
            "organ": index.organ,
            "sha256": index.index_sha256,
        },
    )
    for item in index.items:
        node = ElementTree.SubElement(root, "document")
        for name, value in asdict(item).items():
            ElementTree.SubElement(node, name).text = str(value)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _csv_safe(value):
    """Titles are typed by people: keep a spreadsheet from reading one as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _index_csv(index: ExpedientIndex) -> bytes:
    buffer = io.StringIO()
    fields = list(IndexItem.__dataclass_fields__)
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for item in index.items:
        writer.writerow({name: _csv_safe(value) for name, value in asdict(item).items()})
    buffer.write(f"# {index.reference} index_sha256={index.index_sha256}\n")
    return buffer.getvalue().encode()
