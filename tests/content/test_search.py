"""Site search: guides first, in the visitor's language, and safe with any input."""

import pytest

from content.models import TramitPage


def test_padro_finds_guides_first(client, demo_site):
    response = client.get("/ca/cerca/", {"q": "padró"})
    assert response.status_code == 200
    results = list(response.context["page_obj"].object_list)
    assert results, "no results for padró"
    guides = [isinstance(page.specific, TramitPage) for page in results]
    # Every guide comes before any other kind of page.
    assert guides == sorted(guides, reverse=True)
    assert all(page.locale.language_code == "ca" for page in results)
    assert any(page.specific.code == "PADRO-ALTA" for page in results)


def test_search_in_spanish(client, demo_site):
    response = client.get("/es/cerca/", {"q": "padrón"})
    results = response.context["page_obj"].object_list
    assert results and all(page.locale.language_code == "es" for page in results)


@pytest.mark.parametrize("query", ["", " ", "\x00", "<script>alert(1)</script>", "x" * 5000, "%", "' OR 1=1 --"])
def test_odd_queries_are_harmless(client, demo_site, query):
    response = client.get("/ca/cerca/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
