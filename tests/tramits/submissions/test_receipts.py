"""Receipts always arrive: the CSV is reserved with the entry, the PDF is rendered after the response, once."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.tramits.wizards.helpers import Wizard, happy_steps
from tramits.background import AfterResponseMiddleware, task_start
from tramits.documents.codes import csv_display
from tramits.documents.models import IssuedDocument
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Submission
from tramits.submissions.services import ReceiptPending, submission_confirmation_send


def submit(seu, code="GEN-INSTANCIA"):
    wizard = Wizard(seu, code)
    wizard.fill(happy_steps(code))
    page = wizard.check_page().content.decode()
    key = re.search(r'name="draft_key" value="([^"]+)"', page)[1]
    data = {f"{code}-current_step": "revisio", "revisio-declaration": "on", "draft_key": key}
    return wizard, data, seu.post(wizard.url("revisio"), data)


def test_a_receipt_not_rendered_yet_still_shows_its_code_and_downloads(seu, mailoutbox):
    # pytest-django's transaction never commits here, so the after-commit rendering has not run: as on a slow worker.
    _wizard, _data, response = submit(seu)
    submission = Submission.objects.get()
    entry = RegisterEntry.objects.get()
    assert not IssuedDocument.objects.exists()
    assert submission.receipt_csv == entry.receipt_csv and len(entry.receipt_csv) == 20
    page = seu.get(response["Location"]).content.decode()
    assert submission.register_number in page and csv_display(entry.receipt_csv) in page
    assert "s'està acabant de preparar" in page

    download = seu.get(reverse("wizards:receipt", kwargs={"reference": submission.reference}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert IssuedDocument.objects.get().csv == entry.receipt_csv  # the reserved code, printed on the PDF
    assert "s'està acabant de preparar" not in seu.get(response["Location"]).content.decode()


def test_a_replayed_final_post_reaches_the_current_receipt(seu):
    wizard, data, first = submit(seu)
    submission = Submission.objects.get()
    seu.get(reverse("wizards:receipt", kwargs={"reference": submission.reference}))  # rendered meanwhile
    again = seu.post(wizard.url("revisio"), data)
    assert again["Location"] == first["Location"]
    page = seu.get(again["Location"]).content.decode()
    assert csv_display(submission.receipt_csv) in page and "s'està acabant de preparar" not in page
    assert RegisterEntry.objects.count() == 1 and IssuedDocument.objects.count() == 1


def test_the_email_waits_for_the_receipt_and_then_carries_it(seu, mailoutbox):
    submit(seu)
    submission = Submission.objects.get()
    with pytest.raises(ReceiptPending):
        submission_confirmation_send(submission_id=submission.pk, wait_for_receipt=True)
    assert mailoutbox == []
    seu.get(reverse("wizards:receipt", kwargs={"reference": submission.reference}))
    assert submission_confirmation_send(submission_id=submission.pk, wait_for_receipt=True) is True
    [message] = mailoutbox
    [(name, content, _mimetype)] = message.attachments
    assert name == f"justificant-{submission.register_number}.pdf" and content.startswith(b"%PDF")
    assert submission_confirmation_send(submission_id=submission.pk, wait_for_receipt=True) is False  # once


def test_the_receipt_is_rendered_after_the_response_in_the_embedded_mode(seu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _wizard, _data, response = submit(seu)
    # The test client closes the response as a server does once it has sent it: the receipt is there then.
    assert response.status_code == 302
    assert IssuedDocument.objects.get().csv == RegisterEntry.objects.get().receipt_csv


class RecordingTask:
    """A stand-in Celery task that records when it runs."""

    def __init__(self, *, eager: bool):
        self.runs: list[tuple] = []
        self.queued: list[tuple] = []
        self.app = type("App", (), {"conf": type("Conf", (), {"task_always_eager": eager})()})()

    def apply(self, args):
        self.runs.append(tuple(args))

    def apply_async(self, args, **options):
        self.queued.append(tuple(args))


def test_an_eager_task_started_in_a_request_runs_only_once_the_response_is_closed(db):
    task = RecordingTask(eager=True)

    def view(request):
        task_start(task, 7)
        assert task.runs == []
        return HttpResponse("ok")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert task.runs == []  # the page goes out first
    response.close()
    assert task.runs == [(7,)]


def test_outside_a_request_an_eager_task_runs_at_once_and_with_a_broker_it_is_queued():
    eager, queued = RecordingTask(eager=True), RecordingTask(eager=False)
    task_start(eager, 1)
    task_start(queued, 2)
    assert eager.runs == [(1,)] and queued.queued == [(2,)] and queued.runs == []


def test_a_failing_job_after_the_response_does_not_stop_the_others(db):
    task = RecordingTask(eager=True)
    calls = []

    def broken(args):
        calls.append("broken")
        raise OSError("no fonts")

    failing = RecordingTask(eager=True)
    failing.apply = broken

    def view(request):
        task_start(failing, 1)
        task_start(task, 2)
        return HttpResponse("ok")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    response.close()
    assert calls == ["broken"] and task.runs == [(2,)]


def test_a_filing_registered_after_an_outage_states_when_the_seu_received_it(seu, register_down):
    from tramits.registre.receipts import receipt_html
    from tramits.submissions.services import submission_register
    from tramits.terminis.calendar import format_official_instant

    _wizard, _data, response = submit(seu)
    submission = Submission.objects.get()
    assert submission.status == "received"
    register_down()  # back up
    submission = submission_register(submission_id=submission.pk)
    entry = RegisterEntry.objects.get()
    assert entry.received_at == submission.created_at < entry.registered_at
    received = format_official_instant(submission.created_at)
    assert received in receipt_html(entry=entry, csv=entry.receipt_csv)
    page = seu.get(response["Location"]).content.decode()
    assert "Rebuda per la seu" in page and received in page
