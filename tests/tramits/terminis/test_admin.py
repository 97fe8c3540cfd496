import pytest
from django.urls import reverse

from tests.helpers.auth import login_staff_with_mfa
from tramits.terminis.models import Holiday

pytestmark = pytest.mark.usefixtures("calendar_seeded")


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="staff@example.org", password="x")
    login_staff_with_mfa(client, admin)
    return client


def test_holidays_are_listed_and_filtered_by_year_and_scope(staff_client):
    url = reverse("wagtailsnippets_terminis_holiday:list")
    response = staff_client.get(url, {"year": 2026, "scope": "local"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sant Anastasi" in content
    assert "Sant Esteve" not in content


def test_staff_add_a_holiday(staff_client):
    url = reverse("wagtailsnippets_terminis_holiday:add")
    response = staff_client.post(url, {"date": "2026-08-17", "name": "Festa local extra", "scope": "local"})
    assert response.status_code == 302
    assert Holiday.objects.filter(name="Festa local extra").exists()
