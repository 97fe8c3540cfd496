import datetime as dt

import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tramits.expedients.factories import ExpedientFactory
from tramits.expedients.models import CorrectionRequest, Suspension
from tramits.expedients.services import (
    correction_answer,
    correction_expire,
    correction_request,
    expedient_resume,
    expedient_suspend,
)
from tramits.expedients.terms import (
    correction_deadline,
    procedure_term,
    resolution_due_date,
    suspended_due_date,
    suspension_days,
)
from tramits.terminis.calendar import add_calendar_months, business_days_between, is_business_day

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.mark.parametrize(
    ("procedure_code", "filed_at", "due"),
    [
        # 3 months date to date; 24 June (Sant Joan) is a holiday, so the next day.
        ("PADRO-ALTA", "2026-03-24 09:00:00+00:00", D(2026, 6, 25)),
        # Filed on a Saturday: counted from Monday, the effective date.
        ("PADRO-ALTA", "2026-03-21 11:00:00+00:00", D(2026, 6, 23)),
        # 1 month ending on Saturday 28 February: the next business day.
        ("GEN-QUEIXES", "2026-01-30 09:00:00+00:00", D(2026, 3, 2)),
        # 10 business days over Christmas, New Year and Epiphany.
        ("PADRO-CERTIFICAT", "2026-12-21 09:00:00+00:00", D(2027, 1, 7)),
        # Immediate: the effective date itself, a business day.
        ("PADRO-VOLANT", "2026-03-21 11:00:00+00:00", D(2026, 3, 23)),
        # No term of its own.
        ("GEN-APORTACIO", "2026-03-24 09:00:00+00:00", None),
    ],
)
def test_due_date_follows_the_procedure_term_from_the_effective_date(procedure_code, filed_at, due):
    with freeze_time(filed_at):
        expedient = ExpedientFactory(procedure_code=procedure_code)
    assert expedient.due_date == due
    assert expedient.base_due_date == due


def test_default_term_is_three_months():
    assert procedure_term("NO-EXISTEIX") == ("months", 3)
    assert resolution_due_date(term_unit="months", term_value=3, start=D(2026, 3, 10)) == D(2026, 6, 10)


def test_a_suspension_adds_its_calendar_days_then_moves_to_a_business_day():
    with freeze_time("2026-03-10 09:00:00+00:00"):
        expedient = ExpedientFactory(in_progress=True)
    assert expedient.due_date == D(2026, 6, 10)
    with freeze_time("2026-04-01 09:00:00+00:00"):
        suspension = expedient_suspend(expedient=expedient, actor=None, reason="Informe preceptiu d'un altre ens")
    assert expedient.state == "suspes"
    assert expedient.due_date == D(2026, 6, 10)  # unchanged while the length is unknown
    with freeze_time("2026-04-11 09:00:00+00:00"):
        expedient_resume(expedient=expedient, actor=None)
    suspension.refresh_from_db()
    assert (suspension.started_on, suspension.ended_on, suspension.days) == (D(2026, 4, 1), D(2026, 4, 11), 10)
    # 10 June + 10 days = Saturday 20 June -> Monday 22 June.
    assert (expedient.state, expedient.due_date) == ("en_tramitacio", D(2026, 6, 22))


def test_suspensions_add_up():
    with freeze_time("2026-03-10 09:00:00+00:00"):
        expedient = ExpedientFactory(in_progress=True)
    for start, end in [("2026-03-16", "2026-03-19"), ("2026-04-20", "2026-04-22")]:
        with freeze_time(f"{start} 09:00:00+00:00"):
            expedient_suspend(expedient=expedient, actor=None, reason="Pausa")
        with freeze_time(f"{end} 09:00:00+00:00"):
            expedient_resume(expedient=expedient, actor=None)
    assert expedient.due_date == D(2026, 6, 15)  # 10 June + 5 days


@pytest.fixture
def correction_requested():
    with freeze_time("2026-03-10 09:00:00+00:00"):
        expedient = ExpedientFactory(in_progress=True)
    with freeze_time("2026-04-01 08:00:00+00:00"):  # Wednesday before Easter
        correction = correction_request(expedient=expedient, actor=None, description="Falta el contracte")
    return expedient, correction


def test_correction_request_gives_ten_business_days_and_suspends(correction_requested):
    expedient, correction = correction_requested
    # Good Friday 3 April and Easter Monday 6 April are holidays in Catalonia.
    assert (correction.requested_on, correction.deadline) == (D(2026, 4, 1), D(2026, 4, 17))
    assert expedient.state == "pendent_esmena"
    suspension = Suspension.objects.get(correction=correction)
    assert (suspension.started_on, suspension.ended_on) == (D(2026, 4, 1), None)
    # While it waits, the due date assumes the whole term is used: 10 June + 16 days.
    assert expedient.due_date == D(2026, 6, 26)


def test_an_answer_lifts_the_suspension_on_the_day_it_arrives(correction_requested):
    expedient, correction = correction_requested
    with freeze_time("2026-04-08 10:00:00+00:00"):
        correction_answer(correction=correction, actor=None, text="Adjunto el contracte")
    expedient.refresh_from_db()
    correction.refresh_from_db()
    assert (correction.state, expedient.state) == ("answered", "en_tramitacio")
    assert Suspension.objects.get(correction=correction).ended_on == D(2026, 4, 8)
    assert expedient.due_date == D(2026, 6, 17)  # 10 June + 7 days


def test_a_late_answer_counts_the_suspension_only_until_the_deadline(correction_requested):
    expedient, correction = correction_requested
    with freeze_time("2026-04-20 10:00:00+00:00"):
        correction_answer(correction=correction, actor=None, text="Tard, però aquí és")
    expedient.refresh_from_db()
    assert Suspension.objects.get(correction=correction).ended_on == D(2026, 4, 17)
    assert expedient.due_date == D(2026, 6, 26)


def test_expiry_waits_for_the_day_after_the_deadline(correction_requested):
    expedient, correction = correction_requested
    assert correction_expire(correction=correction, today=D(2026, 4, 17)) is False
    assert correction_expire(correction=correction, today=D(2026, 4, 18)) is True
    assert correction_expire(correction=correction, today=D(2026, 4, 18)) is False  # safe twice
    expedient.refresh_from_db()
    assert CorrectionRequest.objects.get(pk=correction.pk).state == "expired"
    assert (expedient.state, expedient.due_date) == ("en_tramitacio", D(2026, 6, 26))
    assert expedient.events.filter(kind="correction_expired").count() == 1


# Properties of the term arithmetic on the seeded calendar ------------------------------------

property_settings = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
days = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 6, 30))


@property_settings
@given(start=days, months=st.integers(min_value=1, max_value=12))
def test_month_terms_end_on_a_business_day_never_before_the_naive_date(start, months):
    due = resolution_due_date(term_unit="months", term_value=months, start=start)
    naive = add_calendar_months(start, months)
    assert due >= naive
    assert is_business_day(due)
    assert (due - naive).days <= 5  # at most a long weekend with holidays in between


@property_settings
@given(start=days, business_days=st.integers(min_value=1, max_value=60))
def test_business_day_terms_count_exactly_n_business_days(start, business_days):
    due = resolution_due_date(term_unit="business_days", term_value=business_days, start=start)
    assert is_business_day(due)
    assert due > start
    assert business_days_between(start, due) == business_days
    assert business_days_between(start, due - dt.timedelta(days=1)) == business_days - 1


@property_settings
@given(start=days, first=st.integers(min_value=0, max_value=200), second=st.integers(min_value=0, max_value=200))
def test_a_suspension_never_shortens_the_term_and_longer_ones_never_end_sooner(start, first, second):
    base = resolution_due_date(term_unit="months", term_value=3, start=start)
    shorter, longer = sorted((first, second))
    due_shorter = suspended_due_date(base_due_date=base, days_suspended=shorter)
    due_longer = suspended_due_date(base_due_date=base, days_suspended=longer)
    assert due_shorter >= base + dt.timedelta(days=shorter)
    assert is_business_day(due_longer)
    assert base <= due_shorter <= due_longer


@property_settings
@given(start=days)
def test_the_correction_deadline_is_ten_business_days_later(start):
    deadline = correction_deadline(requested_on=start)
    assert is_business_day(deadline)
    assert business_days_between(start, deadline) == 10


def test_open_suspensions_add_nothing_yet():
    assert suspension_days([(D(2026, 1, 1), D(2026, 1, 11)), (D(2026, 2, 1), None)]) == 10
    assert suspended_due_date(base_due_date=None, days_suspended=10) is None
    with pytest.raises(ValueError, match="negative"):
        suspended_due_date(base_due_date=D(2026, 1, 1), days_suspended=-1)
