"""Every page type renders in every language, with one h1 and the right language."""

import re

import pytest
from wagtail.models import Locale, Page

from content import models as m

PAGE_TYPES = [
    m.HomePage,
    m.TopicIndexPage,
    m.TopicPage,
    m.LifeEventIndexPage,
    m.LifeEventPage,
    m.TramitIndexPage,
    m.TramitPage,
    m.NewsIndexPage,
    m.NewsPage,
    m.StandardPage,
    m.OfficialTimePage,
    m.CalendarPage,
    m.SitemapPage,
]
LANGUAGES = ["ca", "es", "en"]


def one_page(model: type[Page], language: str) -> Page:
    page = model.objects.live().filter(locale__language_code=language).order_by("path").first()
    assert page is not None, f"no {model.__name__} in {language}"
    return page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_page_renders(client, demo_site, model, language):
    page = one_page(model, language)
    url = page.get_url()
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert page.title in html.replace("&#x27;", "'").replace("&amp;", "&")
    assert 'href="#contingut"' in html and 'id="contingut"' in html


def test_guide_shows_structured_fields(client, demo_site):
    page = m.TramitPage.objects.get(code="PADRO-ALTA", locale__language_code="ca")
    html = client.get(page.get_url()).content.decode()
    for text in (
        "PADRO-ALTA",
        "Tramita en línia",
        "Requisits",
        "Documentació que cal aportar",
        "Taxes",
        "Termini de resolució",
        "Silenci administratiu",
        "Presencialment",
        "Normativa",
        page.department.dir3,
    ):
        assert text in html, text
    assert page.online_url in html


def test_language_switcher_links_to_translation(client, demo_site):
    ca = m.TramitPage.objects.get(code="PADRO-ALTA", locale__language_code="ca")
    es = ca.get_translation(Locale.objects.get(language_code="es"))
    html = client.get(ca.get_url()).content.decode()
    assert f'href="{es.get_url()}" lang="es"' in html


def test_official_time_is_madrid(client, demo_site):
    page = one_page(m.OfficialTimePage, "ca")
    html = client.get(page.get_url()).content.decode()
    assert re.search(r'datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+]0[12]:00"', html)


def test_calendar_lists_local_holidays(client, demo_site):
    from django.utils import timezone

    page = one_page(m.CalendarPage, "ca")
    year = timezone.localdate().year
    html = client.get(page.get_url(), {"any": year}).content.decode()
    assert "Sant Anastasi" in html and "Diada Nacional de Catalunya" in html
    assert client.get(page.get_url(), {"any": "no-és-un-any"}).status_code == 200


def test_sitemap_xml_lists_guides(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"/ca/" in response.content
