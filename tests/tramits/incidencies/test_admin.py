"""Staff write deadline extensions and add incidents by hand in the Wagtail admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from content.editorial import editorial_setup
from content.permissions import CASE_HANDLERS
from tests.helpers.auth import login_staff_with_mfa
from tests.tramits.expedients.factories import UserFactory
from tests.tramits.incidencies.factories import SubmissionFactory, TechnicalIncidentFactory
from tramits.incidencies.models import IncidentKind, TechnicalIncident
from tramits.incidencies.services import incident_outage_record

pytestmark = pytest.mark.django_db

EXTENSION = "Es prorroguen fins al 3 de desembre els terminis que vencien el dia 2."


@pytest.fixture
def case_handler() -> Client:
    editorial_setup()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=CASE_HANDLERS))
    client = Client()
    login_staff_with_mfa(client, user)
    return client


def form_data(**overrides) -> dict:
    return {
        "kind": IncidentKind.OTHER,
        "started_at": "2026-12-02 10:00",
        "ended_at": "2026-12-02 12:30",
        "submissions_affected": "0",
        "description": "La passarel·la de signatura no responia.",
        "deadline_extension": EXTENSION,
        "published": "on",
        **overrides,
    }


def test_a_case_handler_adds_an_incident_with_its_extension(case_handler):
    response = case_handler.post(reverse("incidencies_tecniques:add"), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = TechnicalIncident.objects.get()
    assert incident.deadline_extension == EXTENSION
    assert incident.started_at == dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    assert case_handler.get(reverse("incidencies_tecniques:index")).status_code == 200


def test_the_end_cannot_come_before_the_start(case_handler):
    response = case_handler.post(reverse("incidencies_tecniques:add"), form_data(ended_at="2026-12-02 09:00"))
    assert response.status_code == 200
    assert "El final no pot ser anterior a l&#x27;inici." in response.content.decode()
    assert not TechnicalIncident.objects.exists()


def test_an_extension_on_an_open_outage_keeps_the_count_made_meanwhile(case_handler):
    incident = incident_outage_record(submission_id=SubmissionFactory().pk)
    edit_url = reverse("incidencies_tecniques:edit", args=[incident.pk])
    assert case_handler.get(edit_url).status_code == 200
    incident_outage_record(submission_id=SubmissionFactory().pk)  # counted while the form is open
    stale = form_data(kind=IncidentKind.REGISTER_UNREACHABLE, submissions_affected="1", ended_at="", description="")
    response = case_handler.post(edit_url, stale)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.deadline_extension == EXTENSION
    assert incident.submissions_affected == 2
    assert incident.ended_at is None


def test_anonymous_visitors_cannot_add_one(client):
    response = client.post(reverse("incidencies_tecniques:add"), form_data())
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not TechnicalIncident.objects.exists()


def test_staff_without_the_permission_cannot_edit_one():
    incident = TechnicalIncidentFactory()
    group = Group.objects.create(name="Només administració")
    editorial_setup()
    group.permissions.set(Group.objects.get(name=CASE_HANDLERS).permissions.filter(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    client = Client()
    login_staff_with_mfa(client, user)
    response = client.post(reverse("incidencies_tecniques:edit", args=[incident.pk]), form_data(description="x"))
    assert response.status_code in (302, 403)
    incident.refresh_from_db()
    assert incident.description == "La passarel·la de signatura no responia."
