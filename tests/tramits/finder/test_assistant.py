"""The assistant: automatic, keeps only the question text, asks one question when two are close."""

import re

import pytest

from tramits.finder.models import AssistantQuestion

ASSISTANT = "/ca/cercador/assistent/"


def ask(client, question: str, *, language: str = "ca", **extra):
    return client.post(f"/{language}/cercador/assistent/", {"pregunta": question, **extra})


def test_page_says_it_is_automatic(client, demo_site):
    response = client.get(ASSISTANT)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Troba el teu tràmit" in html
    assert "assistent automàtic" in html
    assert '<label for="pregunta">' in html


def test_answer_links_the_best_procedures_with_a_reason(client, demo_site):
    response = ask(client, "vull llençar un sofà vell")
    hits = response.context["hits"]
    assert hits[0]["hit"].code == "MED-RECOLLIDA-MOBLES"
    assert hits[0]["url"] == "/tramit/MED-RECOLLIDA-MOBLES"
    assert all(item["why"] and "\n" not in item["why"] for item in hits)
    assert 'href="/tramit/MED-RECOLLIDA-MOBLES"' in response.content.decode()


def test_keeps_only_the_question_text_without_personal_data(client, demo_site):
    ask(client, "soc el 12345678Z i vull el volant, escriviu-me a pep@example.com")
    stored = AssistantQuestion.objects.get()
    assert [field.name for field in AssistantQuestion._meta.fields] == ["id", "text"]
    assert "12345678Z" not in stored.text and "pep@example.com" not in stored.text
    assert "volant" in stored.text


def test_close_results_get_one_clarifying_question(client, demo_site):
    response = ask(client, "volant o certificat")
    clarification = response.context["clarification"]
    assert clarification is not None
    assert clarification.question.key == "paper"
    codes = {code for _answer, code in clarification.options}
    assert codes == {"PADRO-VOLANT", "PADRO-CERTIFICAT"}
    html = response.content.decode()
    assert 'name="aclariment"' in html and html.count('type="radio"') == 2
    # Answering it settles the matter; the question is not stored twice.
    certificate = next(a.key for a, code in clarification.options if code == "PADRO-CERTIFICAT")
    settled = ask(client, "volant o certificat", aclariment=certificate)
    assert settled.context["clarification"] is None
    assert settled.context["hits"][0]["hit"].code == "PADRO-CERTIFICAT"
    assert AssistantQuestion.objects.count() == 1


def test_alta_or_change_of_address_is_asked(client, demo_site):
    response = ask(client, "I am new in town", language="en")
    clarification = response.context["clarification"]
    assert clarification is not None
    assert {code for _answer, code in clarification.options} == {"PADRO-ALTA", "PADRO-CANVI-DOMICILI"}
    newcomer = next(a.key for a, code in clarification.options if code == "PADRO-ALTA")
    settled = ask(client, "I am new in town", language="en", aclariment=newcomer)
    assert settled.context["hits"][0]["hit"].code == "PADRO-ALTA"


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("canvio de pis però em quedo al barri", "ca", "PADRO-CANVI-DOMICILI"),
        ("¿qué papel necesito para apuntar a mi hijo al cole?", "es", "PADRO-VOLANT"),
        ("I am new in town", "en", "PADRO-ALTA"),
    ],
)
def test_the_three_phrases_of_the_issue(client, demo_site, question, language, expected):
    response = ask(client, question, language=language)
    assert response.context["hits"][0]["hit"].code == expected


def test_empty_question_shows_the_error_summary(client, demo_site):
    html = ask(client, "   ").content.decode()
    assert 'class="error-summary"' in html and 'href="#pregunta"' in html
    assert not AssistantQuestion.objects.exists()


def test_needs_the_csrf_token(demo_site):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(ASSISTANT, {"pregunta": "volant"})
    assert response.status_code == 403


def test_question_never_travels_in_the_address(client, demo_site):
    html = client.get(ASSISTANT).content.decode()
    assert re.search(r'<form method="post" action="/ca/cercador/assistent/"', html)
