"""Sign-up with e-mail verification, then login, in the citizen's language."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.tramits.accounts.conftest import PASSWORD
from tramits.accounts.models import User

pytestmark = pytest.mark.django_db


def signup(client, page_language: str, **overrides):
    data = {
        "first_name": "Núria",
        "last_name": "Vila Roca",
        "email": "nuria@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": page_language,
    }
    data.update(overrides)
    return client.post(f"/{page_language}/comptes/signup/", data)


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+/)", message.body)[1]


def test_signup_page_asks_name_and_language_in_our_layout(client):
    response = client.get("/ca/comptes/signup/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in content  # the seu's base layout
    for field in ("first_name", "last_name", "email", "password1", "password2"):
        assert f'for="id_{field}"' in content
    assert "<legend>Idioma de les comunicacions" in content
    assert 'value="ca" checked' in content.replace('id="id_language_0" ', "").replace(" required", "")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ca", "confirmeu la vostra adreça"), ("es", "confirme su dirección"), ("en", "Confirm Your Email")],
)
def test_signup_sends_the_verification_email_in_the_language_of_the_page(client, language, expected):
    response = signup(client, language)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/comptes/confirm-email/"
    user = User.objects.get(email="nuria@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Núria", "Vila Roca", language)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nuria@example.org"]
    assert message.subject.startswith("[Seu electrònica] ")
    assert expected in message.subject
    assert "Seu electrònica" in message.body


def test_signup_verify_then_login(client):
    signup(client, "ca")
    # Not verified yet: the login is held until the address is confirmed.
    response = client.post("/ca/comptes/login/", {"login": "nuria@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    link = confirmation_link(mail.outbox[-1])

    response = client.get(link)
    assert response.status_code == 200
    assert "Confirmeu que nuria@example.org és la vostra adreça electrònica." in response.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nuria@example.org").verified

    response = client.post("/ca/comptes/login/", {"login": "nuria@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/ca/carpeta/"
    assert client.get("/ca/carpeta/").status_code == 200


def test_the_chosen_language_wins_over_the_page_language(client):
    signup(client, "ca", language="es")
    assert User.objects.get().language == "es"
    assert "confirme su dirección" in mail.outbox[0].subject


def test_signup_errors_are_summarised_and_nothing_is_created(client):
    response = signup(client, "ca", first_name="<script>alert(1)</script>", password2="una-altra")
    content = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.exists()
    assert mail.outbox == []
    assert 'class="error-summary"' in content
    assert '<a href="#id_first_name">' in content
    assert "<title>Error: " in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_signup_with_an_existing_address_creates_no_second_account(client, citizen):
    response = signup(client, "ca", email="MARTA@example.org")
    assert User.objects.count() == 1
    assert response.status_code == 302  # no account enumeration: the same answer as a sign-up
