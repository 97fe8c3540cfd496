"""The resolution term of an expedient and its suspensions (Llei 39/2015 art. 21, 22, 30, 68)."""

import datetime as dt
from collections.abc import Iterable

from tramits.catalogue.procedures import TermUnit, get_procedure
from tramits.terminis.calendar import add_business_days, add_months, next_business_day

# Art. 21.3: three months when the procedure's own rule says nothing.
DEFAULT_TERM = (TermUnit.MONTHS.value, 3)
# Art. 68.1: ten business days to correct or complete an application.
CORRECTION_BUSINESS_DAYS = 10


def procedure_term(procedure_code: str) -> tuple[str, int]:
    """The (unit, value) of a procedure's maximum resolution term, with the legal default."""
    procedure = get_procedure(procedure_code)
    if procedure is None:
        return DEFAULT_TERM
    unit, value = str(procedure.term_unit), int(procedure.term_value)
    if unit in (TermUnit.IMMEDIATE, TermUnit.NONE):
        return unit, 0
    if unit in (TermUnit.MONTHS, TermUnit.BUSINESS_DAYS) and value > 0:
        return unit, value
    return DEFAULT_TERM


def resolution_due_date(*, term_unit: str, term_value: int, start: dt.date) -> dt.date | None:
    """The maximum resolution date of a term counted from `start` (the filing's effective date)."""
    if term_unit == TermUnit.NONE:
        return None
    if term_unit == TermUnit.IMMEDIATE:
        return start
    if term_unit == TermUnit.BUSINESS_DAYS:
        return add_business_days(start, term_value)
    return add_months(start, term_value)


def suspension_days(periods: Iterable[tuple[dt.date, dt.date | None]]) -> int:
    """Calendar days of the closed suspensions; an open one adds nothing until it ends."""
    return sum((end - start).days for start, end in periods if end is not None)


def suspended_due_date(*, base_due_date: dt.date | None, days_suspended: int) -> dt.date | None:
    """The due date once `days_suspended` calendar days of suspension are added (art. 22), on a business day."""
    if base_due_date is None:
        return None
    if days_suspended < 0:
        raise ValueError("A suspension cannot last a negative number of days")
    if days_suspended == 0:
        return base_due_date
    return next_business_day(base_due_date + dt.timedelta(days=days_suspended), inclusive=True)


def correction_deadline(*, requested_on: dt.date) -> dt.date:
    """The last day to answer a correction request made on `requested_on`."""
    return add_business_days(requested_on, CORRECTION_BUSINESS_DAYS)
