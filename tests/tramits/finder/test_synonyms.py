"""Synonyms edited in the admin change the search at once, in every entry point."""

import pytest

from tests.helpers.auth import login_staff_with_mfa
from tramits.finder.models import Synonym
from tramits.finder.selectors import procedure_search

WORD = "zorglub"  # nowhere in the guides, nor near any word there


def codes(query: str, language: str = "ca") -> list[str]:
    return [hit.code for hit in procedure_search(query=query, language=language)]


@pytest.fixture
def editor(client, demo_site, django_user_model):
    user = django_user_model.objects.create_superuser(email="editor@seu.example", password="x")
    login_staff_with_mfa(client, user)
    return client


def test_adding_editing_and_deleting_a_synonym_in_the_admin(editor):
    assert codes(WORD) == []
    response = editor.post(
        "/admin/snippets/finder/synonym/add/", {"term": WORD, "expansions": "gual, entrada de vehicles", "language": ""}
    )
    assert response.status_code == 302, response.content[:2000]
    assert codes(WORD)[0] == "MOB-GUAL"
    assert editor.get("/api/v1/cercador/", {"q": WORD}).json()["results"][0]["codi"] == "MOB-GUAL"

    synonym = Synonym.objects.get(term=WORD)
    response = editor.post(
        f"/admin/snippets/finder/synonym/edit/{synonym.pk}/",
        {"term": WORD, "expansions": "terrassa, taules i cadires", "language": ""},
    )
    assert response.status_code == 302
    assert codes(WORD)[0] == "VIA-TERRASSA"

    editor.post(f"/admin/snippets/finder/synonym/delete/{synonym.pk}/")
    assert not Synonym.objects.filter(term=WORD).exists()
    assert codes(WORD) == []


def test_a_synonym_limited_to_one_language(demo_site):
    Synonym.objects.create(term=WORD, expansions="gual", language="es")
    assert codes(WORD, "es")[0] == "MOB-GUAL"
    assert codes(WORD, "ca") == []


def test_search_is_accent_case_and_typo_tolerant(demo_site):
    assert codes("PADRÓ")[:3] == codes("padro")[:3]
    assert codes("empadornarme", "es")[0] == "PADRO-ALTA"
    assert codes("licencia de bado", "es")[0] == "MOB-GUAL"
    assert codes("recollida de moble", "ca")[0] == "MED-RECOLLIDA-MOBLES"


def test_site_search_uses_the_synonyms(client, demo_site):
    Synonym.objects.create(term=WORD, expansions="gual")
    results = client.get("/ca/cerca/", {"q": WORD}).context["page_obj"].object_list
    assert results[0].specific.code == "MOB-GUAL"
