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


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("empadornarme", "es", "PADRO-ALTA"),  # a typo
        ("CANVI D'ADRECA", "ca", "PADRO-CANVI-DOMICILI"),  # no accents, upper case
        ("mudança", "ca", "PADRO-CANVI-DOMICILI"),  # a citizen's word, through the synonyms
        ("where do I throw an old mattress", "en", "MED-RECOLLIDA-MOBLES"),
    ],
)
def test_guides_ranked_by_relevance(client, demo_site, query, language, expected):
    results = client.get(f"/{language}/cerca/", {"q": query}).context["page_obj"].object_list
    assert results[0].specific.code == expected
    assert all(page.locale.language_code == language for page in results)


def test_search_page_offers_the_finder_and_the_assistant(client, demo_site):
    html = client.get("/ca/cerca/", {"q": "res de res"}).content.decode()
    assert 'href="/ca/cercador/"' in html and 'href="/ca/cercador/assistent/"' in html
