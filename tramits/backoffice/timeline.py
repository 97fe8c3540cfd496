"""The timeline of an expedient told in plain words, newest first."""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.expedients.models import Event, EventKind, Expedient, State, TaskKind, TaskState
from tramits.expedients.selectors import expedient_timeline


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str
    kind_label: str
    who: str
    text: str
    detail: str


def _person(user: User | None) -> str:
    if user is None:
        return _("El sistema")
    return user.get_full_name() or user.email


def _day(value: str | None) -> str:
    if not value:
        return ""
    return date_format(dt.date.fromisoformat(value), "d/m/Y")


def _state(value: str | None) -> str:
    return str(State(value).label) if value in State.values else (value or "")


def _sentence(event: Event, users: dict[int, User], departments: dict[str, Department]) -> str:
    params = event.params or {}
    kind = event.kind
    if kind == EventKind.OPENED:
        text = _("S'ha obert l'expedient amb l'assentament %(entry)s.") % {"entry": params.get("entry", "")}
        if params.get("due_date"):
            text += " " + _("Data màxima de resolució: %(day)s.") % {"day": _day(params["due_date"])}
        return text
    if kind == EventKind.ASSIGNED:
        assignee = users.get(params.get("to"))
        if assignee is None:
            return _("L'expedient ha quedat sense assignar.")
        return _("S'ha assignat l'expedient a %(person)s.") % {"person": _person(assignee)}
    if kind == EventKind.STATE_CHANGED:
        return _("L'estat ha canviat de «%(from)s» a «%(to)s».") % {
            "from": _state(params.get("from")),
            "to": _state(params.get("to")),
        }
    if kind == EventKind.CORRECTION_REQUESTED:
        return _("S'ha requerit l'interessat perquè esmeni la sol·licitud, com a molt tard el %(day)s.") % {
            "day": _day(params.get("deadline"))
        }
    if kind == EventKind.CORRECTION_ANSWERED:
        return _("S'ha rebut l'esmena (%(count)s documents). El termini de resolució torna a córrer.") % {
            "count": params.get("documents", 0)
        }
    if kind == EventKind.CORRECTION_EXPIRED:
        return _("El termini per esmenar (%(day)s) ha acabat sense resposta.") % {"day": _day(params.get("deadline"))}
    if kind == EventKind.SUSPENDED:
        return _("S'ha suspès el termini de resolució.")
    if kind == EventKind.RESUMED:
        return _("S'ha reprès el termini de resolució; nova data màxima: %(day)s.") % {
            "day": _day(params.get("due_date"))
        }
    if kind == EventKind.DOCUMENT_ADDED:
        return _("S'ha incorporat el document «%(title)s» a l'índex.") % {"title": event.description}
    if kind == EventKind.TASK_REQUESTED:
        department = departments.get(params.get("to"))
        what = _("un informe") if params.get("kind") == TaskKind.REPORT else _("una tasca")
        return _("S'ha demanat %(what)s a %(department)s, amb termini fins al %(day)s.") % {
            "what": what,
            "department": department.name if department else params.get("to", ""),
            "day": _day(params.get("due_date")),
        }
    if kind == EventKind.TASK_ANSWERED:
        department = departments.get(params.get("from"))
        name = department.name if department else params.get("from", "")
        if params.get("state") == TaskState.REJECTED:
            return _("%(department)s ha rebutjat l'encàrrec.") % {"department": name}
        return _("%(department)s ha respost l'encàrrec.") % {"department": name}
    if kind == EventKind.RESOLVED:
        if params.get("outgoing_entry"):
            return _("S'ha resolt l'expedient. Registre de sortida %(entry)s.") % {"entry": params["outgoing_entry"]}
        return _("S'ha resolt l'expedient.")
    if kind == EventKind.ARCHIVED:
        return _("S'ha arxivat l'expedient.")
    if kind == "notification_available":
        return _("S'ha posat a disposició de l'interessat, a la seu, la notificació «%(subject)s».") % {
            "subject": event.description
        }
    if kind == "notification_accessed":
        return _("L'interessat ha accedit a la notificació «%(subject)s».") % {"subject": event.description}
    if kind == "notification_rejected":
        return _("La notificació «%(subject)s» es té per rebutjada: no s'hi ha accedit en 10 dies naturals.") % {
            "subject": event.description
        }
    return event.get_kind_display()


# Events whose description is already part of the sentence.
SENTENCE_HOLDS_DESCRIPTION = {
    EventKind.DOCUMENT_ADDED,
    "notification_available",
    "notification_accessed",
    "notification_rejected",
}


def timeline_items(*, expedient: Expedient) -> list[TimelineItem]:
    """Every event, newest first, with the people and departments it names read in two queries."""
    events = list(expedient_timeline(expedient=expedient).order_by("-created_at", "-pk"))
    user_ids = {event.params.get("to") for event in events if event.kind == EventKind.ASSIGNED}
    user_ids.discard(None)
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    codes = {
        event.params.get("to") or event.params.get("from")
        for event in events
        if event.kind in (EventKind.TASK_REQUESTED, EventKind.TASK_ANSWERED)
    }
    codes.discard(None)
    departments = (
        {department.code: department for department in Department.objects.filter(code__in=codes)} if codes else {}
    )
    items = []
    for event in events:
        text = _sentence(event, users, departments)
        detail = "" if event.kind in SENTENCE_HOLDS_DESCRIPTION else event.description
        who = _person(event.actor)
        if event.department is not None:
            who = f"{who} ({event.department.name})"
        items.append(TimelineItem(event.created_at, event.kind, event.get_kind_display(), who, text, detail))
    return items
