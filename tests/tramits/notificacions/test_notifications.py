import datetime as dt
import logging

import pytest
from django.core import mail
from freezegun import freeze_time

from tests.tramits.carpeta.fixtures import citizen_make, expedient_for, expedient_of_person
from tests.tramits.expedients.factories import dni, pdf
from tramits.expedients import services
from tramits.expedients.models import CorrectionRequest, Event, Expedient
from tramits.notificacions.models import Notification
from tramits.notificacions.services import (
    NotificationPermissionDenied,
    access_ip_hash,
    notification_access,
    notification_reject,
    user_agent_summary,
)
from tramits.notificacions.tasks import notifications_expire
from tramits.terminis.calendar import add_business_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]

D = dt.date
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _kinds(expedient: Expedient) -> list[str]:
    return list(Event.objects.filter(expedient=expedient).order_by("created_at", "pk").values_list("kind", flat=True))


@pytest.fixture
def requested(citizen, department, django_capture_on_commit_callbacks):
    """A correction request made on Wednesday 1 April 2026 on the citizen's expedient."""
    with freeze_time("2026-03-10 09:00:00+00:00"):
        expedient = expedient_for(citizen, department, in_progress=True)
    with freeze_time("2026-04-01 08:00:00+00:00"), django_capture_on_commit_callbacks(execute=True):
        correction = services.correction_request(
            expedient=expedient, actor=None, description="Falta el contracte signat.", document=pdf("requeriment")
        )
    return expedient, correction, Notification.objects.get(correction=correction)


def test_a_correction_request_is_made_available_in_the_carpeta(requested, citizen):
    expedient, correction, notification = requested
    assert (notification.channel, notification.state, notification.recipient) == ("electronic", "pending", citizen)
    assert notification.kind == "correction"
    assert notification.expedient_document.correction == correction
    assert notification.rejection_at == notification.made_available_at + dt.timedelta(days=10)
    assert _kinds(expedient)[-3:] == ["correction_requested", "document_added", "notification_available"]
    # Until access or rejection, the deadline is the latest possible: 11 April + 10 business days.
    correction.refresh_from_db()
    assert correction.deadline == add_business_days(D(2026, 4, 11), 10) == D(2026, 4, 24)
    expedient.refresh_from_db()
    assert expedient.due_date == D(2026, 6, 10) + dt.timedelta(days=(D(2026, 4, 24) - D(2026, 4, 1)).days)


def test_the_email_notice_says_there_is_a_notification_not_what_it_says(requested, citizen):
    _expedient, _correction, notification = requested
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [citizen.email]
    assert message.subject == "Teniu una notificació a la vostra carpeta de la seu electrònica"
    assert f"/ca/carpeta/notificacions/{notification.pk}/" in message.body
    assert "Falta el contracte" not in message.body + message.subject
    notification.refresh_from_db()
    assert notification.notice_sent_at is not None


@pytest.mark.parametrize(
    ("language", "subject", "path"),
    [
        ("es", "Tiene una notificación en su carpeta de la sede electrónica", "/es/carpeta/"),
        ("en", "You have a notification in your folder at the electronic office", "/en/carpeta/"),
    ],
)
def test_the_email_notice_is_in_the_citizens_language(
    language, subject, path, department, django_capture_on_commit_callbacks
):
    person = citizen_make(30_000_100, language=language, notification_email="avisos@example.org")
    expedient = expedient_for(person, department, in_progress=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_request(expedient=expedient, actor=None, description="Falta el contracte")
    (message,) = mail.outbox
    assert message.subject == subject
    assert message.to == ["avisos@example.org"]
    assert path in message.body
    assert expedient.reference in message.body


def test_the_notice_is_sent_once_even_if_the_task_runs_twice(requested):
    from tramits.notificacions.tasks import notification_notice_send

    _expedient, _correction, notification = requested
    assert notification_notice_send(notification.pk) is False
    assert len(mail.outbox) == 1


def test_access_records_evidence_and_starts_the_term(requested, citizen, caplog):
    expedient, correction, notification = requested
    caplog.set_level(logging.INFO)
    with freeze_time("2026-04-03 10:00:00+00:00"):  # Good Friday, a holiday: the term counts from then anyway
        notification_access(notification=notification, user=citizen, ip="203.0.113.7", user_agent=FIREFOX)
    notification.refresh_from_db()
    assert notification.state == "accessed"
    assert notification.accessed_at.isoformat() == "2026-04-03T10:00:00+00:00"
    assert notification.accessed_by == citizen
    assert notification.access_ip_hash == access_ip_hash("203.0.113.7")
    assert len(notification.access_ip_hash) == 64 and "203.0.113.7" not in notification.access_ip_hash
    assert notification.access_user_agent == "Firefox 128 (Linux)"
    event = Event.objects.get(expedient=expedient, kind="notification_accessed")
    assert event.actor == citizen
    assert event.params["ip_hash"] == notification.access_ip_hash
    correction.refresh_from_db()
    assert correction.deadline == add_business_days(D(2026, 4, 3), 10) == D(2026, 4, 20)
    expedient.refresh_from_db()
    assert expedient.due_date == D(2026, 6, 10) + dt.timedelta(days=(D(2026, 4, 20) - D(2026, 4, 1)).days)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "notificacions.accessed" in logged
    assert citizen.document_number not in logged and "203.0.113.7" not in logged


def test_access_is_idempotent(requested, citizen):
    expedient, _correction, notification = requested
    with freeze_time("2026-04-02 10:00:00+00:00"):
        notification_access(notification=notification, user=citizen, ip="203.0.113.7", user_agent=FIREFOX)
    with freeze_time("2026-04-05 10:00:00+00:00"):
        again = notification_access(notification=notification, user=citizen, ip="198.51.100.1", user_agent="")
    assert again.accessed_at.isoformat() == "2026-04-02T10:00:00+00:00"
    assert again.access_ip_hash == access_ip_hash("203.0.113.7")
    assert Event.objects.filter(expedient=expedient, kind="notification_accessed").count() == 1


def test_someone_else_cannot_open_it(requested, other_citizen):
    _expedient, _correction, notification = requested
    with pytest.raises(NotificationPermissionDenied):
        notification_access(notification=notification, user=other_citizen)
    notification.refresh_from_db()
    assert notification.state == "pending"


def test_unopened_after_ten_calendar_days_it_counts_as_rejected(requested):
    expedient, correction, notification = requested
    with freeze_time("2026-04-11 07:59:59+00:00"):  # one second before the tenth day ends
        assert notifications_expire() == 0
    with freeze_time("2026-04-11 09:00:00+00:00"):
        assert notifications_expire() == 1
        assert notifications_expire() == 0  # safe to run twice
    notification.refresh_from_db()
    assert notification.state == "rejected"
    assert notification.rejected_at == notification.made_available_at + dt.timedelta(days=10)
    assert notification.accessed_at is None
    assert Event.objects.filter(expedient=expedient, kind="notification_rejected").count() == 1
    correction.refresh_from_db()
    assert correction.deadline == add_business_days(D(2026, 4, 11), 10)
    assert CorrectionRequest.objects.get(pk=correction.pk).state == "pending"


def test_opening_it_after_the_ten_days_finds_it_rejected(requested, citizen):
    _expedient, _correction, notification = requested
    with freeze_time("2026-04-20 10:00:00+00:00"):
        notification_access(notification=notification, user=citizen, ip="203.0.113.7")
    notification.refresh_from_db()
    assert (notification.state, notification.accessed_at) == ("rejected", None)
    assert notification_reject(notification=notification) is False


def test_an_opened_notification_is_never_rejected(requested, citizen):
    _expedient, _correction, notification = requested
    with freeze_time("2026-04-02 10:00:00+00:00"):
        notification_access(notification=notification, user=citizen)
    with freeze_time("2026-05-01 10:00:00+00:00"):
        assert notifications_expire() == 0
    notification.refresh_from_db()
    assert notification.state == "accessed"


def test_without_an_account_the_notification_is_on_paper(department, django_capture_on_commit_callbacks):
    expedient = expedient_of_person(dni(30_000_200), department)
    with freeze_time("2026-04-01 08:00:00+00:00"), django_capture_on_commit_callbacks(execute=True):
        correction = services.correction_request(expedient=expedient, actor=None, description="Falta el contracte")
    notification = Notification.objects.get(correction=correction)
    assert (notification.channel, notification.recipient) == ("paper", None)
    assert notification.interested_party.document_number == dni(30_000_200)
    assert mail.outbox == []
    # Paper: the term counts from the request as before, and the sweep leaves it alone.
    assert correction.deadline == add_business_days(D(2026, 4, 1), 10)
    with freeze_time("2026-05-01 10:00:00+00:00"):
        assert notifications_expire() == 0


def test_the_resolution_is_notified_with_its_document(citizen, department):
    expedient = expedient_for(citizen, department, resolved=True)
    notification = Notification.objects.get(expedient=expedient)
    assert notification.kind == "resolution"
    assert notification.expedient_document.document_type == "resolucio"
    assert _kinds(expedient)[-2:] == ["resolved", "notification_available"]


def test_a_failed_resolution_leaves_no_notification(citizen, department, monkeypatch):
    expedient = expedient_for(citizen, department, in_progress=True)

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tramits.expedients.services.notification_create", boom)
    with pytest.raises(RuntimeError):
        services.expedient_resolve(expedient=expedient, actor=None, title="Resolució", resolution=pdf("resolucio"))
    expedient.refresh_from_db()
    assert expedient.state == "en_tramitacio"
    assert not Notification.objects.filter(expedient=expedient).exists()
    assert not Event.objects.filter(expedient=expedient, kind="resolved").exists()


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge 126 (Windows)",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Safari/604.1",
            "Safari 17 (iOS)",
        ),
        ("curl/8.5.0", "other"),
        ("", ""),
    ],
)
def test_user_agent_summary(user_agent, summary):
    assert user_agent_summary(user_agent) == summary
