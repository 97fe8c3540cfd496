"""`/tramit/<CODI>` is a public contract: it leads to the guide in the visitor's language."""

import pytest

from content.models import TramitPage
from tramits.catalogue.procedures import PROCEDURES


@pytest.mark.parametrize("code", [p.code for p in PROCEDURES])
@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_every_code_redirects_to_its_guide(client, demo_site, code, language):
    response = client.get(f"/tramit/{code}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    guide = TramitPage.objects.get(code=code, locale__language_code=language)
    assert response["Location"] == guide.get_url()
    assert client.get(response["Location"]).status_code == 200


def test_lower_case_code_is_accepted(client, demo_site):
    response = client.get("/tramit/padro-alta", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"].startswith("/es/")


def test_language_cookie_wins(client, demo_site):
    client.cookies["django_language"] = "en"
    response = client.get("/tramit/PADRO-ALTA", HTTP_ACCEPT_LANGUAGE="ca")
    assert response["Location"].startswith("/en/")


@pytest.mark.parametrize("code", ["NO-EXISTEIX", "PADRO", "<script>", "x" * 300])
def test_unknown_code_is_404(client, demo_site, code):
    assert client.get(f"/tramit/{code}").status_code == 404


def test_falls_back_to_catalan_when_no_translation(client, demo_site):
    from wagtail.models import Locale

    guide = TramitPage.objects.get(code="MOB-GUAL", locale=Locale.objects.get(language_code="en"))
    guide.unpublish()
    response = client.get("/tramit/MOB-GUAL", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"].startswith("/ca/")
