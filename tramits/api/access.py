"""Who calls the API and what they may read or do, built on the expedients' own access rules.

Three kinds of caller:
- a service account (an internal system): sees everything and acts as the system, within the
  scope of its token's account (`service_scope_require`), which applies too when it acts for a person;
- a member of one or more departments: what `tramits.expedients.selectors` gives their departments;
- anyone else is a citizen: only their own entries, expedients, receipts and documents.

A citizen gets 404 for what is not theirs, so a number reveals nothing; staff get 403, because
among staff the existence of an expedient is no secret but the right to act on it is.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request

from tramits.api.models import Operation, ServiceAccount
from tramits.expedients.models import Event, EventKind, Expedient, ExpedientDocument, InterestedParty, Task
from tramits.expedients.selectors import (
    expedient_can_act,
    expedient_can_view,
    expedient_get,
    expedient_is_citizens,
    expedient_tasks_visible,
    expedients_of_citizen,
    expedients_visible,
    user_department_ids,
)
from tramits.registre.models import RegisterEntry
from tramits.registre.selectors import register_entry_get

TASK_EVENTS = (EventKind.TASK_REQUESTED, EventKind.TASK_ANSWERED)


@dataclass(frozen=True)
class Caller:
    """The person or system a request acts for, with what decides their access."""

    user: object
    is_service: bool
    department_ids: frozenset[int]
    service_account: ServiceAccount | None = None  # whose token carried the request, even acting for a person

    @property
    def is_staff_member(self) -> bool:
        return bool(self.department_ids)

    @property
    def is_citizen(self) -> bool:
        return not self.is_service and not self.department_ids

    @property
    def actor(self):
        """The actor the services record: `None` is the system itself."""
        return None if self.is_service else self.user


def caller_of(request: Request) -> Caller:
    """The request's caller, computed once per request."""
    cached = getattr(request, "_seu_caller", None)
    if cached is not None:
        return cached
    user = request.user
    is_service = bool(getattr(request.auth, "is_service", False)) and not getattr(request.auth, "on_behalf_of", None)
    caller = Caller(
        user=user,
        is_service=is_service,
        department_ids=frozenset() if is_service else frozenset(user_department_ids(user=user)),
        service_account=getattr(request.auth, "account", None),
    )
    request._seu_caller = caller
    return caller


def service_scope_require(*, caller: Caller, operation: str, procedure_code: str | None = None) -> None:
    """Refuse (403) what the scope of the caller's service account does not include; people pass.

    `procedure_code` is checked for `file`: the code as sent, before anything is validated or written.
    """
    account = caller.service_account
    if account is None:
        return
    if not account.allows(operation):
        raise PermissionDenied(
            _("Aquest sistema no té permís per a l'operació «%(operation)s» de l'API.")
            % {"operation": Operation(operation).label}
        )
    if operation != Operation.FILE:
        return
    code = (procedure_code or "").strip()
    if not account.all_procedures and not account.procedure_codes:
        raise PermissionDenied(_("Aquest sistema no té permís per presentar cap tràmit."))
    if code and not account.files(code):
        raise PermissionDenied(_("Aquest sistema no té permís per presentar el tràmit %(code)s.") % {"code": code})


def _refuse(caller: Caller):
    if caller.is_staff_member:
        raise PermissionDenied(_("El vostre departament no té accés a aquest expedient."))
    raise NotFound(_("No s'ha trobat l'expedient."))


# Expedients ----------------------------------------------------------------------------------


def expedients_for(caller: Caller) -> QuerySet[Expedient]:
    if caller.is_service:
        return Expedient.objects.all()
    if caller.is_staff_member:
        return expedients_visible(user=caller.user)
    return expedients_of_citizen(user=caller.user)


def expedient_for_read(caller: Caller, reference: str) -> Expedient:
    expedient = expedient_get(reference=reference)
    if expedient is None:
        raise NotFound(_("No s'ha trobat l'expedient."))
    if caller.is_service:
        return expedient
    if caller.is_staff_member:
        if expedient_can_view(user=caller.user, expedient=expedient):
            return expedient
        _refuse(caller)
    if expedient_is_citizens(user=caller.user, expedient=expedient):
        return expedient
    raise NotFound(_("No s'ha trobat l'expedient."))


def expedient_for_action(caller: Caller, reference: str) -> Expedient:
    """The expedient if the caller may act on it: the system, or the owner department."""
    expedient = expedient_for_read(caller, reference)
    if caller.is_service or expedient_can_act(user=caller.user, expedient=expedient):
        return expedient
    raise PermissionDenied(_("Només el departament responsable pot actuar en aquest expedient."))


def tasks_for(caller: Caller, expedient: Expedient) -> QuerySet[Task]:
    """The owner and the system see every task; a helping department only its own; a citizen none."""
    if caller.is_service:
        return Task.objects.filter(expedient=expedient).select_related("from_department", "to_department")
    if caller.is_staff_member:
        return expedient_tasks_visible(user=caller.user, expedient=expedient)
    return Task.objects.none()


def _sees_everything_of(caller: Caller, expedient: Expedient) -> bool:
    return caller.is_service or expedient.department_id in caller.department_ids


def documents_for(caller: Caller, expedient: Expedient) -> QuerySet[ExpedientDocument]:
    """Every document for the owner; without the reports of other departments' tasks for anyone else."""
    documents = ExpedientDocument.objects.filter(expedient=expedient).order_by("sequence")
    if _sees_everything_of(caller, expedient):
        return documents
    return documents.filter(Q(task__isnull=True) | Q(task__to_department_id__in=caller.department_ids))


def events_for(caller: Caller, expedient: Expedient) -> QuerySet[Event]:
    """The timeline; the coordination with other departments shows only to those it concerns."""
    events = (
        Event.objects.filter(expedient=expedient).select_related("actor", "department").order_by("created_at", "pk")
    )
    if _sees_everything_of(caller, expedient):
        return events
    own_tasks = list(tasks_for(caller, expedient).values_list("pk", flat=True))
    return events.filter(~Q(kind__in=TASK_EVENTS) | Q(params__task__in=own_tasks))


# Register entries ----------------------------------------------------------------------------


def entries_for(caller: Caller) -> QuerySet[RegisterEntry]:
    entries = RegisterEntry.objects.all()
    if caller.is_service:
        return entries
    user = caller.user
    if caller.is_staff_member:
        visible = expedients_visible(user=user).filter(pk=OuterRef("opened_expedient"))
        return entries.filter(Q(unit_id__in=caller.department_ids) | Q(submitted_by_id=user.pk) | Exists(visible))
    parties = InterestedParty.objects.filter(expedient=OuterRef("opened_expedient"), user_id=user.pk)
    return entries.filter(Q(submitted_by_id=user.pk) | Q(opened_expedient__citizen_id=user.pk) | Exists(parties))


def entry_for_read(caller: Caller, reference: str) -> RegisterEntry:
    entry = register_entry_get(reference=reference)
    if entry is None:
        raise NotFound(_("No s'ha trobat l'assentament."))
    if caller.is_service or entries_for(caller).filter(pk=entry.pk).exists():
        return entry
    if caller.is_staff_member:
        raise PermissionDenied(_("El vostre departament no té accés a aquest assentament."))
    raise NotFound(_("No s'ha trobat l'assentament."))
