import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tramits.terminis.calendar import (
    add_business_days,
    add_calendar_months,
    add_months,
    business_days_between,
    filing_effective_at,
    format_official_instant,
    is_business_day,
    next_business_day,
)
from tramits.terminis.models import Holiday, HolidayScope

MADRID = ZoneInfo("Europe/Madrid")
D = dt.date

pytestmark = pytest.mark.usefixtures("calendar_seeded")

property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
days = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 9, 30))


def holiday_set() -> set[dt.date]:
    return set(Holiday.objects.values_list("date", flat=True))


def brute_business_days(start: dt.date, end: dt.date, holidays: set[dt.date]) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += day.weekday() < 5 and day not in holidays
    return count


class TestConcreteDays:
    def test_seeded_calendar_has_the_lleida_local_holidays(self):
        assert Holiday.objects.get(date=D(2026, 5, 11)).scope == HolidayScope.LOCAL
        assert Holiday.objects.get(date=D(2026, 9, 29)).scope == HolidayScope.LOCAL
        assert Holiday.objects.get(date=D(2026, 9, 11)).scope == HolidayScope.REGIONAL

    def test_saturday_sunday_and_holidays_are_not_business_days(self):
        assert not is_business_day(D(2026, 11, 21))  # Saturday
        assert not is_business_day(D(2026, 11, 22))  # Sunday
        assert not is_business_day(D(2026, 4, 6))  # Easter Monday (Catalonia)
        assert is_business_day(D(2026, 11, 23))

    def test_next_business_day_over_christmas(self):
        # 24 Dec 2026 is a Thursday; 25 and 26 are holidays, 27 is Sunday.
        assert next_business_day(D(2026, 12, 24)) == D(2026, 12, 28)
        assert next_business_day(D(2026, 12, 28), inclusive=True) == D(2026, 12, 28)

    def test_ten_business_days_across_christmas_and_new_year(self):
        # 29, 30, 31 Dec, 4, 5, 7, 8, 11, 12, 13 Jan: 1 Jan (Friday) and 6 Jan (Wednesday) are holidays.
        assert add_business_days(D(2026, 12, 28), 10) == D(2027, 1, 13)

    def test_counting_across_easter_2026(self):
        # Good Friday 3 April and Easter Monday 6 April 2026.
        assert add_business_days(D(2026, 4, 2), 1) == D(2026, 4, 7)

    def test_counting_across_sant_anastasi(self):
        # Friday 8 May 2026 + 1 business day skips the weekend and Monday 11 May (local).
        assert add_business_days(D(2026, 5, 8), 1) == D(2026, 5, 12)

    def test_counting_starts_the_day_after_even_from_a_saturday(self):
        assert add_business_days(D(2026, 11, 21), 1) == D(2026, 11, 23)
        assert add_business_days(D(2026, 11, 21), 0) == D(2026, 11, 21)

    def test_negative_terms_are_refused(self):
        with pytest.raises(ValueError):
            add_business_days(D(2026, 1, 1), -1)
        with pytest.raises(ValueError):
            add_months(D(2026, 1, 1), -1)

    def test_months_run_date_to_date(self):
        assert add_months(D(2026, 2, 10), 3) == D(2026, 5, 12)  # 10 May is a Sunday, 11 May local holiday
        assert add_months(D(2026, 3, 16), 1) == D(2026, 4, 16)

    def test_month_without_the_day_ends_on_its_last_day(self):
        assert add_calendar_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
        assert add_calendar_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
        assert add_months(D(2026, 1, 31), 1) == D(2026, 3, 2)  # 28 Feb 2026 is a Saturday
        assert add_calendar_months(D(2026, 11, 30), 3) == D(2027, 2, 28)

    def test_months_ending_on_a_holiday_move_on(self):
        assert add_months(D(2026, 11, 25), 1) == D(2026, 12, 28)

    def test_one_query_for_a_long_term(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            add_business_days(D(2026, 1, 1), 60)

    def test_business_days_between(self):
        assert business_days_between(D(2026, 12, 28), D(2027, 1, 13)) == 10
        assert business_days_between(D(2026, 1, 5), D(2026, 1, 5)) == 0


class TestFilingEffectiveAt:
    def test_business_day_takes_effect_at_once(self):
        instant = dt.datetime(2026, 11, 23, 9, 0, tzinfo=MADRID)
        assert filing_effective_at(instant) == instant

    def test_saturday_takes_effect_on_monday_at_midnight_madrid(self):
        instant = dt.datetime(2026, 11, 21, 13, 0, tzinfo=dt.UTC)
        assert filing_effective_at(instant) == dt.datetime(2026, 11, 23, tzinfo=MADRID)

    def test_the_madrid_date_decides_not_the_utc_date(self):
        # Friday 23:30 UTC is already Saturday 00:30 in Madrid (winter, UTC+1).
        instant = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)
        assert filing_effective_at(instant) == dt.datetime(2026, 11, 23, tzinfo=MADRID)
        # Sunday 22:30 UTC is Sunday 23:30 in Madrid: still a non-business day.
        instant = dt.datetime(2026, 11, 22, 22, 30, tzinfo=dt.UTC)
        assert filing_effective_at(instant) == dt.datetime(2026, 11, 23, tzinfo=MADRID)
        # Sunday 23:30 UTC is Monday 00:30 in Madrid: a business day.
        instant = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
        assert filing_effective_at(instant) == instant

    def test_christmas_eve_evening_takes_effect_on_the_28th(self):
        instant = dt.datetime(2026, 12, 25, 20, 0, tzinfo=MADRID)
        assert filing_effective_at(instant) == dt.datetime(2026, 12, 28, tzinfo=MADRID)

    def test_naive_instants_are_refused(self):
        with pytest.raises(ValueError):
            filing_effective_at(dt.datetime(2026, 11, 21, 13, 0))

    def test_official_format_shows_zone_and_offset(self):
        assert format_official_instant(dt.datetime(2026, 11, 22, 13, 3, 5, tzinfo=dt.UTC)) == (
            "22/11/2026 14:03:05 CET (UTC+01:00)"
        )
        assert format_official_instant(dt.datetime(2026, 7, 1, 10, 0, 0, tzinfo=dt.UTC)) == (
            "01/07/2026 12:00:00 CEST (UTC+02:00)"
        )


class TestProperties:
    @property_settings
    @given(start=days, n=st.integers(min_value=1, max_value=40))
    def test_add_business_days(self, start, n):
        holidays = holiday_set()
        end = add_business_days(start, n)
        assert end > start
        assert end.weekday() < 5 and end not in holidays
        assert brute_business_days(start, end, holidays) == n
        assert business_days_between(start, end) == n

    @property_settings
    @given(start=days, n=st.integers(min_value=0, max_value=30), extra=st.integers(min_value=1, max_value=10))
    def test_add_business_days_is_strictly_monotonic_in_n(self, start, n, extra):
        assert add_business_days(start, n) < add_business_days(start, n + extra)

    @property_settings
    @given(start=days, n=st.integers(min_value=1, max_value=12))
    def test_add_months(self, start, n):
        naive = add_calendar_months(start, n)
        end = add_months(start, n)
        assert is_business_day(end)
        assert end >= naive
        assert all(not is_business_day(naive + dt.timedelta(days=k)) for k in range((end - naive).days))
        assert naive.day == start.day or (naive.day < start.day and (naive + dt.timedelta(days=1)).day == 1)

    @property_settings
    @given(start=days)
    def test_next_business_day(self, start):
        following = next_business_day(start)
        assert following > start and is_business_day(following)
        assert brute_business_days(start, following, holiday_set()) == 1
        assert next_business_day(start, inclusive=True) == (start if is_business_day(start) else following)

    @property_settings
    @given(
        instant=st.datetimes(
            min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 9, 30), timezones=st.just(dt.UTC)
        )
    )
    def test_filing_effective_at(self, instant):
        effective = filing_effective_at(instant)
        assert effective >= instant
        local = effective.astimezone(MADRID)
        assert is_business_day(local.date())
        if effective != instant:
            assert local.time() == dt.time.min
            assert not is_business_day(instant.astimezone(MADRID).date())


class TestSeedCommand:
    def test_seed_holidays_is_idempotent_and_keeps_staff_edits(self, capsys):
        Holiday.objects.filter(date=D(2026, 5, 11)).update(name="Sant Anastasi (trasllat)")
        count = Holiday.objects.count()
        call_command("seed_holidays", "--years", "2025", "2026", "2027")
        assert Holiday.objects.count() == count
        assert Holiday.objects.get(date=D(2026, 5, 11)).name == "Sant Anastasi (trasllat)"
        call_command("seed_holidays", "--years", "2028")
        added = Holiday.objects.filter(date__year=2028).count()
        assert added >= 14
        assert f"2028: {added} holidays added" in capsys.readouterr().out


def test_business_days_left_is_signed_and_reads_the_holidays_once(django_assert_num_queries):
    from tramits.terminis.calendar import business_days_left

    friday, tuesday = D(2026, 3, 6), D(2026, 3, 10)
    with django_assert_num_queries(1):
        left = business_days_left(due_dates=[tuesday, None, D(2026, 3, 16), friday], on=friday)
    assert left == [2, None, 6, 0]
    assert business_days_left(due_dates=[friday], on=tuesday) == [-2]  # overdue by Monday and Tuesday
    assert business_days_left(due_dates=[D(2026, 12, 28)], on=D(2026, 12, 24)) == [1]  # Christmas, weekend
    assert business_days_left(due_dates=[None]) == [None]
