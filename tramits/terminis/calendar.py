"""Business days on the one editable holiday calendar (Llei 39/2015 art. 30)."""

import datetime as dt

import holidays as holiday_data
from django.db import transaction

from tramits.terminis.models import Holiday, HolidayScope

# Lleida's two local holidays (set each year by the city; these are the usual ones).
LOCAL_HOLIDAYS = [((5, 11), "Sant Anastasi"), ((9, 29), "Sant Miquel")]


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
