"""The register's outage as the submissions see it: a deferred filing opens the incident, a success closes it."""

import datetime as dt

from django.utils import timezone

from tests.tramits.wizards.helpers import Wizard, happy_steps
from tramits.incidencies.models import IncidentKind, TechnicalIncident
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Status, Submission
from tramits.submissions.services import submission_register


def file_instance(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    return wizard.submit()


def make_due(submission: Submission) -> None:
    Submission.objects.filter(pk=submission.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_register_down_keeps_the_submission_and_an_open_incident_counts_it(seu, register_down):
    file_instance(seu)
    submission = Submission.objects.get()
    assert submission.status == Status.RECEIVED
    assert submission.next_attempt_at is not None
    incident = TechnicalIncident.objects.get()
    assert incident.kind == IncidentKind.REGISTER_UNREACHABLE
    assert incident.ended_at is None
    assert incident.submissions_affected == 1
    assert list(incident.submissions.all()) == [submission]
    make_due(submission)
    submission_register(submission_id=submission.pk)  # still down: the same incident, counted once
    incident.refresh_from_db()
    assert Submission.objects.get().attempts == 2
    assert incident.submissions_affected == 1
    assert TechnicalIncident.objects.count() == 1


def test_register_back_registers_it_and_closes_the_incident(seu, register_down, django_capture_on_commit_callbacks):
    file_instance(seu)
    submission = Submission.objects.get()
    register_down()
    make_due(submission)
    with django_capture_on_commit_callbacks(execute=True):
        registered = submission_register(submission_id=submission.pk)
    assert registered.status == Status.REGISTERED
    assert RegisterEntry.objects.count() == 1
    incident = TechnicalIncident.objects.get()
    assert incident.ended_at is not None
    assert incident.started_at <= incident.ended_at <= timezone.now()
    assert incident.submissions_affected == 1


def test_a_filing_goes_on_when_the_incident_cannot_be_recorded(seu, register_down, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("incident table unavailable")

    monkeypatch.setattr("tramits.submissions.services.incident_outage_record", broken)
    response = file_instance(seu)
    assert response.status_code == 302
    assert Submission.objects.get().status == Status.RECEIVED
    assert not TechnicalIncident.objects.exists()


def test_a_normal_filing_records_no_incident(seu):
    file_instance(seu)
    assert Submission.objects.get().status == Status.REGISTERED
    assert not TechnicalIncident.objects.exists()
