"""Outages of the register open one incident, count each submission once and close at the first success."""

import datetime as dt
import logging

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.tramits.incidencies.factories import SubmissionFactory, TechnicalIncidentFactory
from tramits.incidencies.models import AffectedSubmission, IncidentKind, TechnicalIncident
from tramits.incidencies.services import (
    KindNotAutomatic,
    incident_bookkeeping,
    incident_outage_end,
    incident_outage_record,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def open_incidents():
    return TechnicalIncident.objects.filter(kind=IncidentKind.REGISTER_UNREACHABLE, ended_at__isnull=True)


def test_the_first_failure_opens_one_incident_and_later_ones_join_it():
    first = incident_outage_record(at=T0)
    again = incident_outage_record(at=T0 + dt.timedelta(minutes=5))
    assert again.pk == first.pk
    assert open_incidents().count() == 1
    incident = open_incidents().get()
    assert incident.started_at == T0
    assert incident.ended_at is None
    assert incident.published
    assert incident.submissions_affected == 0


def test_an_earlier_failure_reported_late_moves_the_start():
    incident_outage_record(at=T0)
    incident_outage_record(at=T0 - dt.timedelta(minutes=2))
    assert open_incidents().get().started_at == T0 - dt.timedelta(minutes=2)


def test_each_submission_is_counted_once():
    one, two = SubmissionFactory(), SubmissionFactory()
    incident_outage_record(submission_id=one.pk)
    incident_outage_record(submission_id=one.pk)  # its retry fails too
    incident = incident_outage_record(submission_id=two.pk)
    assert incident.submissions_affected == 2
    assert set(incident.submissions.all()) == {one, two}


def test_the_first_success_closes_it_and_a_second_changes_nothing():
    incident_outage_record(at=T0)
    closed = incident_outage_end(at=T0 + dt.timedelta(minutes=40))
    assert closed.ended_at == T0 + dt.timedelta(minutes=40)
    assert incident_outage_end(at=T0 + dt.timedelta(hours=2)) is None
    closed.refresh_from_db()
    assert closed.ended_at == T0 + dt.timedelta(minutes=40)
    assert not open_incidents().exists()


def test_a_success_with_nothing_open_does_nothing(django_assert_num_queries):
    TechnicalIncidentFactory(register_outage=True)  # an old, closed one
    with django_assert_num_queries(1):
        assert incident_outage_end() is None


def test_an_end_never_comes_before_the_start():
    incident_outage_record(at=T0)
    assert incident_outage_end(at=T0 - dt.timedelta(seconds=1)).ended_at == T0


def test_a_failure_after_the_end_opens_a_new_incident():
    submission = SubmissionFactory()
    old = incident_outage_record(at=T0, submission_id=submission.pk)
    incident_outage_end(at=T0 + dt.timedelta(minutes=10))
    new = incident_outage_record(at=T0 + dt.timedelta(hours=1), submission_id=submission.pk)
    assert new.pk != old.pk
    assert new.started_at == T0 + dt.timedelta(hours=1)
    assert new.submissions_affected == 1  # counted again: it was kept waiting by this outage too
    old.refresh_from_db()
    assert old.ended_at == T0 + dt.timedelta(minutes=10)
    assert old.submissions_affected == 1


def test_the_database_keeps_one_open_incident_per_automatic_kind():
    TechnicalIncidentFactory(register_outage=True, open=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TechnicalIncidentFactory(register_outage=True, open=True)
    # Staff may keep several hand-made incidents open at once.
    TechnicalIncidentFactory(open=True)
    TechnicalIncidentFactory(open=True)
    assert TechnicalIncident.objects.filter(ended_at__isnull=True).count() == 3


def test_a_racing_first_failure_ends_up_in_the_incident_the_other_opened(monkeypatch):
    """Two first failures at once: both read "none open"; the constraint stops the second insert."""
    submission = SubmissionFactory()
    real_create = TechnicalIncident.objects.create
    raced = []

    def create_after_the_other(**kwargs):
        if not raced:
            raced.append(TechnicalIncident.objects.bulk_create([TechnicalIncident(**kwargs)])[0])
        return real_create(**kwargs)

    monkeypatch.setattr(TechnicalIncident.objects, "create", create_after_the_other)
    incident = incident_outage_record(at=T0, submission_id=submission.pk)
    assert raced, "the race did not happen"
    assert open_incidents().count() == 1
    assert incident.pk == open_incidents().get().pk
    assert incident.submissions_affected == 1
    assert AffectedSubmission.objects.filter(submission=submission).count() == 1


def test_hand_made_kinds_are_not_opened_or_closed_by_the_services():
    with pytest.raises(KindNotAutomatic):
        incident_outage_record(kind=IncidentKind.OTHER)
    with pytest.raises(KindNotAutomatic):
        incident_outage_end(kind=IncidentKind.OTHER)
    assert not TechnicalIncident.objects.exists()


def test_bookkeeping_logs_a_failure_and_goes_on(caplog):
    with caplog.at_level(logging.ERROR, logger="tramits.incidencies.services"), incident_bookkeeping():
        raise IntegrityError("boom")
    assert "incidencies.not_recorded error=IntegrityError" in caplog.text


def test_logs_name_ids_only(caplog):
    submission = SubmissionFactory(user__first_name="Montserrat", user__email="montse@example.org")
    with caplog.at_level(logging.INFO, logger="tramits.incidencies.services"):
        incident = incident_outage_record(submission_id=submission.pk)
        incident_outage_end(at=timezone.now())
    assert f"incidencies.opened incident={incident.pk}" in caplog.text
    assert f"incidencies.closed incident={incident.pk}" in caplog.text
    assert "Montserrat" not in caplog.text
    assert "montse@example.org" not in caplog.text
