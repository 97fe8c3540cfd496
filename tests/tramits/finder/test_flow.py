"""The guided finder without JavaScript: one question per page, answers in the URL, back and change."""

import re

from django.urls import reverse

FINDER = "/ca/cercador/"


def radios(html: str) -> list[str]:
    return re.findall(r'type="radio" name="resposta" id="resposta-([^"]+)"', html)


def checked(html: str) -> list[str]:
    return re.findall(r'id="resposta-([^"]+)" value="[^"]+" checked', html)


def test_first_question_is_a_plain_form(client, demo_site):
    response = client.get(FINDER)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Què necessiteu fer?" in html
    assert 'method="get"' in html and "<script" not in html.split('id="contingut"')[1]
    for key in radios(html):
        assert f'<label for="resposta-{key}">' in html


def test_answering_leads_to_the_outcome_with_guide_and_prefilled_wizard(client, demo_site):
    response = client.get(FINDER, {"pregunta": "inici", "resposta": "padro"})
    assert response.status_code == 302
    assert response["Location"] == f"{FINDER}?resposta=padro"
    path = ["padro", "apuntar", "jo", "lleida"]
    response = client.get(FINDER, {"resposta": path})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'href="/tramit/PADRO-CANVI-DOMICILI"' in html
    wizard = reverse("wizards:start", kwargs={"code": "PADRO-CANVI-DOMICILI"})
    assert f'href="{wizard}?ambit=lleida&amp;persona=jo"' in html
    # The outcome lives at its own address: another visitor opening it sees the same.
    assert "PADRO-CANVI-DOMICILI" in client.__class__().get(FINDER, {"resposta": path}).content.decode()


def test_submitting_without_an_answer_shows_the_error_summary(client, demo_site):
    response = client.get(FINDER, {"resposta": "padro", "pregunta": "padro"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#resposta-apuntar"' in html
    assert "Què voleu fer amb el padró?" in html


def test_back_returns_to_the_previous_question_with_its_answer_marked(client, demo_site):
    html = client.get(FINDER, {"resposta": ["padro", "apuntar"]}).content.decode()
    back = re.search(r'class="back-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert back == f"{FINDER}?resposta=padro&marcada=apuntar"
    previous = client.get(back).content.decode()
    assert "Què voleu fer amb el padró?" in previous
    assert checked(previous) == ["apuntar"]


def test_change_answer_from_the_outcome(client, demo_site):
    html = client.get(FINDER, {"resposta": ["padro", "apuntar", "jo", "lleida"]}).content.decode()
    changes = [link.replace("&amp;", "&") for link in re.findall(r'<a href="([^"]+)">Canvia', html)]
    assert len(changes) == 4
    assert changes[2] == f"{FINDER}?resposta=padro&resposta=apuntar&marcada=jo"
    reopened = client.get(changes[3]).content.decode()
    assert "On vivíeu abans?" in reopened and checked(reopened) == ["lleida"]
    # Choosing another answer there leads to another procedure, with what the finder knows.
    response = client.get(FINDER, {"resposta": ["padro", "apuntar", "jo", "estranger"], "pregunta": "origen"})
    outcome = client.get(response["Location"]).content.decode()
    assert 'href="/tramit/PADRO-ALTA"' in outcome
    assert "ambit=estranger" in outcome


def test_an_answer_with_two_procedures_lists_both(client, demo_site):
    html = client.get(FINDER, {"resposta": ["padro", "paper", "escola"]}).content.decode()
    assert "/tramit/PADRO-VOLANT" in html


def test_tampered_answers_are_harmless(client, demo_site):
    for keys in (["no-existeix"], ["padro", "<script>"], ["padro", "dades", "mes"], ["x" * 500]):
        response = client.get(FINDER, {"resposta": keys})
        assert response.status_code == 200
        assert b"<script>" not in response.content


def test_finder_in_spanish(client, demo_site):
    html = client.get("/es/cercador/").content.decode()
    assert "¿Qué necesita hacer?" in html
