"""Business days on the one editable holiday calendar (Llei 39/2015 art. 30 and 31)."""

import calendar as month_calendar
import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import holidays as holiday_data
from django.db import transaction
from django.utils import timezone

from tramits.terminis.models import Holiday, HolidayScope

# Lleida's two local holidays (set each year by the city; these are the usual ones).
LOCAL_HOLIDAYS = [((5, 11), "Sant Anastasi"), ((9, 29), "Sant Miquel")]

# The seu's official time zone: register timestamps and terms are read on this clock.
OFFICIAL_TIMEZONE = ZoneInfo("Europe/Madrid")

# A window of calendar days that always holds the answer of a short term, so one query suffices.
_WINDOW_PADDING_DAYS = 40


def holidays_seed(*, year: int) -> int:
    """Add the national, Catalan and local holidays of a year if missing; staff edit them after."""
    national = holiday_data.country_holidays("ES", years=year, language="es")
    catalan = holiday_data.country_holidays("ES", subdiv="CT", years=year, language="ca")
    wanted: dict[dt.date, tuple[str, str]] = {}
    for day, name in catalan.items():
        scope = HolidayScope.NATIONAL if day in national else HolidayScope.REGIONAL
        wanted[day] = (name, scope)
    for (month, day), name in LOCAL_HOLIDAYS:
        wanted.setdefault(dt.date(year, month, day), (name, HolidayScope.LOCAL))
    created = 0
    with transaction.atomic():
        for day, (name, scope) in sorted(wanted.items()):
            _, was_created = Holiday.objects.get_or_create(date=day, defaults={"name": name, "scope": scope})
            created += was_created
    return created


def holiday_dates(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    return frozenset(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def is_business_day(day: dt.date, holidays: frozenset[dt.date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holiday_dates(day, day)
    return day not in holidays


class BusinessCalendar:
    """The holidays of a range of days, loaded in one query and extended only if a term runs past it."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.end = end
        self.holidays = holiday_dates(start, end)

    @classmethod
    def around(cls, day: dt.date) -> "BusinessCalendar":
        """The calendar from the day before `day` to a few weeks after, enough for most questions."""
        return cls(day - dt.timedelta(days=1), day + dt.timedelta(days=_WINDOW_PADDING_DAYS))

    def _cover(self, day: dt.date) -> None:
        if day < self.start:
            self.holidays = self.holidays | holiday_dates(day, self.start - dt.timedelta(days=1))
            self.start = day
        if day > self.end:
            new_end = day + dt.timedelta(days=max(_WINDOW_PADDING_DAYS, (day - self.start).days))
            self.holidays = self.holidays | holiday_dates(self.end + dt.timedelta(days=1), new_end)
            self.end = new_end

    def is_business_day(self, day: dt.date) -> bool:
        self._cover(day)
        return day.weekday() < 5 and day not in self.holidays

    def count(self, start: dt.date, end: dt.date) -> int:
        """How many business days fall in (start, end]."""
        return sum(
            self.is_business_day(start + dt.timedelta(days=offset)) for offset in range(1, (end - start).days + 1)
        )

    def next_business_day(self, day: dt.date, *, inclusive: bool = False) -> dt.date:
        candidate = day if inclusive else day + dt.timedelta(days=1)
        while not self.is_business_day(candidate):
            candidate += dt.timedelta(days=1)
        return candidate


def next_business_day(day: dt.date, *, inclusive: bool = False) -> dt.date:
    """The first business day after `day` (or `day` itself when `inclusive` and it is one)."""
    return BusinessCalendar(day, day + dt.timedelta(days=_WINDOW_PADDING_DAYS)).next_business_day(
        day, inclusive=inclusive
    )


def add_business_days(start: dt.date, n: int) -> dt.date:
    """The day a term of `n` business days ends: counting starts the day after `start` (art. 30.2)."""
    if n < 0:
        raise ValueError("A term cannot have a negative number of days")
    business_calendar = BusinessCalendar(start, start + dt.timedelta(days=n * 2 + _WINDOW_PADDING_DAYS))
    day = start
    for _ in range(n):
        day = business_calendar.next_business_day(day)
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """How many business days fall in (start, end]: the days of a term already run."""
    if end <= start:
        return 0
    return BusinessCalendar(start, end).count(start, end)


def business_days_left(*, due_dates: Sequence[dt.date | None], on: dt.date | None = None) -> list[int | None]:
    """Business days from `on` (the official today) to each due date, the holidays read once for the list.

    The due date counts and `on` does not; the number is negative once the date has passed.
    """
    on = on or official_today()
    known = [day for day in due_dates if day is not None]
    if not known:
        return [None for _day in due_dates]
    business_calendar = BusinessCalendar(min([on, *known]), max([on, *known]))
    return [
        None if due is None else business_calendar.count(on, due) if due >= on else -business_calendar.count(due, on)
        for due in due_dates
    ]


def add_calendar_months(start: dt.date, n: int) -> dt.date:
    """The same day `n` months later, or the last day of that month if it has no such day."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))


def add_months(start: dt.date, n: int) -> dt.date:
    """The day a term of `n` months ends (art. 30.4), moved to the next business day if needed (art. 30.5)."""
    if n < 0:
        raise ValueError("A term cannot have a negative number of months")
    return next_business_day(add_calendar_months(start, n), inclusive=True)


def official_date(instant: dt.datetime) -> dt.date:
    """The date of an aware instant on the seu's official clock."""
    return instant.astimezone(OFFICIAL_TIMEZONE).date()


def official_today() -> dt.date:
    """Today on the seu's official clock: the one "today" of terms, deadlines and the register."""
    return official_date(timezone.now())


def filing_effective_at(instant: dt.datetime, *, business_calendar: BusinessCalendar | None = None) -> dt.datetime:
    """When a filing takes effect: at once on a business day, else at 00:00 of the next one (art. 31.2.b).

    Pass a calendar loaded beforehand to answer without a query, for example while a lock is held.
    """
    if instant.tzinfo is None:
        raise ValueError("The instant of a filing must be timezone-aware")
    day = official_date(instant)
    if business_calendar is None:
        business_calendar = BusinessCalendar.around(day)
    if business_calendar.is_business_day(day):
        return instant
    effective_day = business_calendar.next_business_day(day)
    return dt.datetime.combine(effective_day, dt.time.min, tzinfo=OFFICIAL_TIMEZONE)


def format_official_instant(instant: dt.datetime) -> str:
    """An instant as the receipt states it, for example 22/11/2026 14:03:05 CET (UTC+01:00)."""
    local = instant.astimezone(OFFICIAL_TIMEZONE)
    offset = local.strftime("%z")
    return f"{local:%d/%m/%Y %H:%M:%S} {local.tzname()} (UTC{offset[:3]}:{offset[3:]})"
