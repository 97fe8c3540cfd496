"""The submission pipeline: stored first, registered after commit, queued when the API is down, confirmed once."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from tests.tramits.wizards.helpers import Wizard, happy_steps, make_citizen
from tramits.registre.models import RegisterEntry
from tramits.submissions.backends import RegistrationRefused
from tramits.submissions.backends.local import LocalBackend
from tramits.submissions.models import Status, Submission
from tramits.submissions.selectors import submissions_for, submissions_pending_for
from tramits.submissions.services import (
    retry_delay,
    submission_confirmation_send,
    submission_register,
    submissions_due,
)
from tramits.submissions.tasks import submission_register_task, submissions_sweep


def file_instance(seu, code: str = "GEN-INSTANCIA"):
    wizard = Wizard(seu, code)
    wizard.fill(happy_steps(code))
    return wizard.submit()


def make_due(submission: Submission) -> None:
    Submission.objects.filter(pk=submission.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_register_down_keeps_the_submission_and_says_so_honestly(seu, register_down, mailoutbox):
    response = file_instance(seu)
    submission = Submission.objects.get()
    assert submission.status == Status.RECEIVED
    assert submission.attempts == 1
    assert submission.next_attempt_at > timezone.now()
    assert "RegistrationDeferred" in submission.last_error
    assert submission.files.filter(kind="document").count() == 1
    assert submission.files.exclude(kind="document").count() == 2  # the application, as data and as PDF
    page = seu.get(response["Location"]).content.decode()
    assert "Sol·licitud rebuda" in page
    assert submission.reference in page
    assert "la registrarem automàticament" in page
    assert "Número de registre" not in page
    assert not RegisterEntry.objects.exists()
    assert mailoutbox == []
    assert list(submissions_pending_for(submission.user)) == [submission]


def test_a_retry_registers_it_exactly_once_and_confirms_once(
    seu, register_down, mailoutbox, django_capture_on_commit_callbacks
):
    file_instance(seu)
    submission = Submission.objects.get()
    register_down()
    assert list(submissions_due()) == []  # not due before its time
    make_due(submission)
    with django_capture_on_commit_callbacks(execute=True):
        assert submissions_sweep.delay().get() == {"registrations": 1, "confirmations": 0}
    submission.refresh_from_db()
    assert submission.status == Status.REGISTERED
    assert submission.attempts == 2
    assert RegisterEntry.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        submission_register_task.delay(submission.pk)  # a duplicate message changes nothing
        submissions_sweep.delay()
    assert RegisterEntry.objects.count() == 1
    assert len(mailoutbox) == 1
    assert submission.register_number in mailoutbox[0].subject


def test_the_same_key_twice_at_the_api_gives_the_same_entry(seu, register_down, django_capture_on_commit_callbacks):
    file_instance(seu)
    submission = Submission.objects.get()
    register_down()
    make_due(submission)
    with django_capture_on_commit_callbacks(execute=True):
        first = submission_register(submission_id=submission.pk)
    # As if the first answer had been lost: the row is offered to the API again with the same key.
    Submission.objects.filter(pk=submission.pk).update(status=Status.RECEIVED, register_number="")
    Submission.objects.filter(pk=submission.pk).update(status=Status.RECEIVED)
    again = submission_register(submission_id=submission.pk)
    assert again.register_number == first.register_number
    assert RegisterEntry.objects.count() == 1


def test_a_stuck_attempt_is_taken_again_by_the_sweep(seu, register_down):
    file_instance(seu)
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(
        status=Status.REGISTERING, attempt_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    register_down()
    assert list(submissions_due()) == [submission]
    submissions_sweep.delay()
    submission.refresh_from_db()
    assert submission.status == Status.REGISTERED


def test_an_attempt_in_flight_is_not_taken_twice(seu, register_down):
    file_instance(seu)
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(status=Status.REGISTERING, attempt_started_at=timezone.now())
    register_down()
    assert submission_register(submission_id=submission.pk).status == Status.REGISTERING
    assert not RegisterEntry.objects.exists()


def test_a_refusal_is_permanent_and_told(seu, monkeypatch):
    def refuse(self, *, submission):
        raise RegistrationRefused("400 invalid", {"subject": ["No"]})

    monkeypatch.setattr(LocalBackend, "register", refuse)
    response = file_instance(seu)
    submission = Submission.objects.get()
    assert submission.status == Status.FAILED_PERMANENTLY
    assert "400" in submission.last_error
    assert "no s'ha pogut registrar" in seu.get(response["Location"]).content.decode()
    assert list(submissions_due()) == []


def test_backoff_is_exponential_and_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30).total_seconds() == 3600


def test_the_register_is_never_written_inside_another_transaction(seu, register_down):
    file_instance(seu)
    submission = Submission.objects.get()
    register_down()  # back to the local backend, whose filing transaction is durable
    make_due(submission)
    with transaction.atomic():
        attempt = submission_register(submission_id=submission.pk)
    assert attempt.status == Status.RECEIVED and "durable" in attempt.last_error
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [("ca", "Sol·licitud registrada"), ("es", "Solicitud registrada"), ("en", "Application registered")],
)
def test_confirmation_in_the_citizens_language_with_the_receipt(
    seu, citizen, mailoutbox, language, subject, django_capture_on_commit_callbacks
):
    citizen.language = language
    citizen.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        file_instance(seu)
    submission = Submission.objects.get()
    [message] = mailoutbox
    assert message.to == ["marta@example.org"]
    assert subject in message.subject or "Sol·licitud registrada" in message.subject
    assert submission.expedient_number in message.body
    [(name, content, mimetype)] = message.attachments
    assert name.startswith("justificant")
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert submission_confirmation_send(submission_id=submission.pk) is False  # once


def test_submissions_for_lists_only_the_users(seu, citizen):
    file_instance(seu)
    other = make_citizen(email="altra@example.org", number=55_555_555)
    assert submissions_for(other).count() == 0
    assert submissions_for(citizen).count() == 1


def test_confirmation_page_is_only_for_its_owner(seu, client):
    response = file_instance(seu)
    other = make_citizen(email="altra@example.org", number=55_555_555)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_a_second_final_post_finds_the_same_submission(seu):
    wizard = Wizard(seu, "GEN-INSTANCIA")
    wizard.fill(happy_steps("GEN-INSTANCIA"))
    page = wizard.check_page().content.decode()
    import re

    key = re.search(r'name="draft_key" value="([^"]+)"', page)[1]
    data = {"GEN-INSTANCIA-current_step": "revisio", "revisio-declaration": "on", "draft_key": key}
    first = seu.post(wizard.url("revisio"), data)
    second = seu.post(wizard.url("revisio"), data)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert RegisterEntry.objects.count() == 1


def test_sweep_is_periodic():
    from portal.celery import app

    assert app.conf.beat_schedule["submissions-sweep"]["task"] == "tramits.submissions.tasks.submissions_sweep"
