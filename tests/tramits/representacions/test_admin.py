import pytest
from django.urls import reverse

from tests.helpers.auth import login_staff_with_mfa
from tests.tramits.carpeta.fixtures import citizen_make
from tests.tramits.expedients.factories import UserFactory, dni
from tramits.representacions.services import representation_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def requested(citizen):
    return representation_request(
        representative=citizen, represented_name="Pere Roca Puig", represented_document_number=dni(40_000_001)
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_see_the_requests_and_accept_one(client, admin_user, requested):
    login_staff_with_mfa(client, admin_user)
    page = client.get(reverse("representacions_requests")).content.decode()
    assert "Pere Roca Puig" in page
    response = client.post(reverse("representacions_decide", kwargs={"pk": requested.pk}), {"decision": "accept"})
    assert response.status_code == 302
    requested.refresh_from_db()
    assert (requested.state, requested.decided_by) == ("accepted", admin_user)


def test_a_rejection_without_reason_changes_nothing(client, admin_user, requested):
    login_staff_with_mfa(client, admin_user)
    client.post(reverse("representacions_decide", kwargs={"pk": requested.pk}), {"decision": "reject", "reason": ""})
    requested.refresh_from_db()
    assert requested.state == "requested"
    client.post(reverse("representacions_decide", kwargs={"pk": requested.pk}), {"decision": "reject", "reason": "No"})
    requested.refresh_from_db()
    assert (requested.state, requested.decision_reason) == ("rejected", "No")


def test_staff_without_the_permission_are_refused(client, requested):
    clerk = UserFactory(is_staff=True)
    login_staff_with_mfa(client, clerk)
    assert client.get(reverse("representacions_requests")).status_code in (302, 403)
    response = client.post(reverse("representacions_decide", kwargs={"pk": requested.pk}), {"decision": "accept"})
    assert response.status_code in (302, 403)
    requested.refresh_from_db()
    assert requested.state == "requested"


def test_a_citizen_cannot_reach_the_admin_screen(client, requested):
    client.force_login(citizen_make(30_000_555))
    response = client.post(reverse("representacions_decide", kwargs={"pk": requested.pk}), {"decision": "accept"})
    assert response.status_code in (302, 403)
    requested.refresh_from_db()
    assert requested.state == "requested"
