"""The public page of technical incidents: published ones, newest first, with the deadline extension."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from content.models import SiteFooter
from tests.tramits.incidencies.factories import TechnicalIncidentFactory
from tramits.incidencies.models import DEFAULT_DESCRIPTIONS, IncidentKind

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)  # 10:00 in Lleida


def page_url(language: str = "ca") -> str:
    with translation.override(language):
        return reverse("incidencies:list")


@pytest.fixture(autouse=True)
def _locales(db):
    for language in ("ca", "es", "en"):
        Locale.objects.get_or_create(language_code=language)


def test_published_incidents_newest_first_with_times_and_extension(client):
    TechnicalIncidentFactory(
        started_at=T0,
        ended_at=T0 + dt.timedelta(minutes=95),
        submissions_affected=7,
        deadline_extension="Es prorroguen fins al 3 de desembre els terminis que vencien el dia 2.",
    )
    TechnicalIncidentFactory(register_outage=True, open=True, started_at=T0 + dt.timedelta(days=1))
    response = client.get(page_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "<caption>" in content and '<th scope="col">' in content
    assert "02/12/2026 10:00:00 CET (UTC+01:00)" in content
    assert "02/12/2026 11:35:00 CET (UTC+01:00)" in content
    assert "La passarel·la de signatura no responia." in content
    assert ">7<" in content
    assert "Es prorroguen fins al 3 de desembre els terminis que vencien el dia 2." in content
    assert "en curs" in content
    assert str(DEFAULT_DESCRIPTIONS[IncidentKind.REGISTER_UNREACHABLE]) in content
    # Newest first: the open outage of the next day comes before the closed one.
    assert content.index("03/12/2026 10:00:00") < content.index("02/12/2026 10:00:00")


def test_unpublished_incidents_are_not_shown(client):
    TechnicalIncidentFactory(unpublished=True, description="Prova interna, no publicar")
    content = client.get(page_url()).content.decode()
    assert "Prova interna" not in content
    assert "No s'ha publicat cap incidència tècnica." in content


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_page_answers_in_each_language(client, language):
    TechnicalIncidentFactory(description="Avaria", description_es="Avería")
    response = client.get(page_url(language))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    # Spanish and English (which falls back to Spanish) read the Spanish text; Catalan the Catalan one.
    assert ("Avería" if language in ("es", "en") else "Avaria") in content


def test_queries_do_not_grow_with_the_number_of_incidents(client):
    TechnicalIncidentFactory()
    client.get(page_url())  # warm the per-process caches (site, locales)
    with CaptureQueriesContext(connection) as one:
        client.get(page_url())
    TechnicalIncidentFactory.create_batch(5)
    with CaptureQueriesContext(connection) as six:
        client.get(page_url())
    assert len(six) == len(one)


def test_the_footer_links_to_the_page(client):
    SiteFooter.objects.create(
        locale=Locale.objects.get(language_code="ca"), office_name="OAC", address="Plaça", opening_hours="9-14"
    )
    content = client.get(page_url()).content.decode()
    assert f'<a href="{page_url()}">Incidències tècniques</a>' in content
