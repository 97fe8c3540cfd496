"""Reads for the staff screens, built on the expedients' own selectors so access stays by department."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.expedients.models import (
    CorrectionRequest,
    CorrectionState,
    Expedient,
    InterestedParty,
    InterestedRole,
)
from tramits.expedients.selectors import (
    expedient_get,
    expedients_due_soon,
    expedients_filter,
    expedients_inbox,
    expedients_overdue,
    user_department_ids,
)
from tramits.terminis.calendar import business_days_left as days_left
from tramits.terminis.calendar import official_today

# "Due soon" in the back office: within this many business days.
DUE_SOON_BUSINESS_DAYS = 5
BOXES = ("new", "mine", "due_soon", "overdue", "all")


def user_departments(*, user) -> list[Department]:
    """The departments the user works in, by name."""
    return list(Department.objects.filter(pk__in=user_department_ids(user=user)).order_by("name_ca"))


def department_colleagues(*, department: Department) -> QuerySet[User]:
    return department.members.filter(is_active=True).order_by("first_name", "last_name", "pk")


def _applicants() -> Prefetch:
    return Prefetch(
        "interested_parties",
        queryset=InterestedParty.objects.filter(role=InterestedRole.APPLICANT).order_by("pk"),
        to_attr="applicants",
    )


def inbox_expedients(
    *,
    user,
    department: Department,
    box: str = "all",
    state: str = "",
    procedure_code: str = "",
    due_before: dt.date | None = None,
    text: str = "",
    on: dt.date | None = None,
) -> QuerySet[Expedient]:
    """One department's box, narrowed by the filters; empty for someone outside the department.

    "new" is an initiated expedient nobody has taken yet; "due soon" is within five business days.
    """
    on = on or official_today()
    if box == "due_soon":
        queryset = expedients_due_soon(
            queryset=expedients_inbox(user=user, department=department, box="all"),
            business_days=DUE_SOON_BUSINESS_DAYS,
            today=on,
        ).order_by("due_date", "pk")
    else:
        queryset = expedients_inbox(user=user, department=department, box=box, today=on)
        if box == "new":
            queryset = queryset.filter(assigned_to__isnull=True)
    queryset = expedients_filter(
        queryset=queryset,
        state=state or None,
        procedure_code=procedure_code or None,
        due_before=due_before,
        text=text or None,
        today=on,
    )
    return queryset.prefetch_related(_applicants())


def inbox_counts(*, user, department: Department, on: dt.date | None = None) -> dict[str, int]:
    """How many expedients each box holds, for the tab labels."""
    on = on or official_today()
    return {box: inbox_expedients(user=user, department=department, box=box, on=on).count() for box in BOXES}


def overdue_count(*, user) -> int:
    """Overdue expedients of all the user's departments: the menu's badge."""
    department_ids = user_department_ids(user=user)
    if not department_ids:
        return 0
    return expedients_overdue(queryset=Expedient.objects.filter(department_id__in=department_ids)).count()


def expedient_for_staff(*, reference: str) -> Expedient | None:
    expedient = expedient_get(reference=reference)
    if expedient is not None:
        expedient = (
            Expedient.objects.select_related("department", "assigned_to", "opening_entry", "resolution_entry")
            .filter(pk=expedient.pk)
            .first()
        )
    return expedient


def corrections_pending(*, expedient: Expedient) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(expedient=expedient, state=CorrectionState.PENDING).order_by("deadline")


def corrections_all(*, expedient: Expedient) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(expedient=expedient).order_by("-requested_at", "-pk")


@dataclass(frozen=True)
class DaysLeft:
    """Business days from today to a due date: positive while in time, negative once overdue."""

    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def absolute(self) -> int:
        return abs(self.days)


def business_days_left(*, due_dates: list[dt.date | None], on: dt.date | None = None) -> list[DaysLeft | None]:
    """Business days left for each due date (terminis' count), with the holidays read once for the whole list."""
    return [None if days is None else DaysLeft(days) for days in days_left(due_dates=due_dates, on=on)]
