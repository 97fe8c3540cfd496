"""Login: brute-force lock, session expiry, inactive users, no caching, nothing personal in logs."""

import logging
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail

from tests.tramits.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/ca/comptes/login/"


def log_in(client, password: str = PASSWORD, email: str = "marta@example.org", **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def test_login_page_in_our_layout_and_not_cached(client):
    response = client.get(LOGIN_URL)
    content = response.content.decode()
    assert 'class="skip-link"' in content
    assert '<label for="id_login">' in content
    assert 'placeholder="' not in content
    assert "no-store" in response["Cache-Control"]


def test_login_and_logout(client, citizen):
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/ca/carpeta/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    response = client.post("/ca/comptes/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_summarised_at_the_top(client, citizen):
    content = log_in(client, password="dolenta").content.decode()
    assert 'class="error-summary"' in content
    assert "_auth_user_id" not in client.session


def test_sixth_attempt_is_refused_even_with_the_right_password(client, citizen):
    for _attempt in range(5):
        response = log_in(client, password="no-és-aquesta")
        assert response.status_code == 200
    response = log_in(client)
    content = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="error-summary"' in content
    assert "Massa intents fallits. Intenteu-ho de nou més tard." in content


def test_the_lock_is_per_account_whatever_the_address(client, citizen):
    """Moving to another IP address does not reset the count for one account."""
    for number in range(5):
        log_in(client, password="no-és-aquesta", REMOTE_ADDR=f"10.0.0.{number + 1}")
    log_in(client, REMOTE_ADDR="10.0.0.99")
    assert "_auth_user_id" not in client.session


def test_session_expires_after_two_hours_idle_and_at_browser_close(client, citizen):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    log_in(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    session = SessionStore(session_key=cookie.value)
    assert session.get_expiry_age() == 2 * 60 * 60


def test_an_expired_session_is_logged_out(client, citizen, monkeypatch):
    log_in(client)
    assert client.get("/ca/carpeta/").status_code == 200
    # Two hours and a minute later (sessions store their expiry date in the database).
    from django.utils import timezone

    later = timezone.now() + timezone.timedelta(hours=2, minutes=1)
    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone.now", lambda: later)
    monkeypatch.setattr("django.contrib.sessions.backends.base.timezone.now", lambda: later)
    response = client.get("/ca/carpeta/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ca/comptes/login/")


def test_inactive_users_cannot_log_in(client, citizen):
    citizen.is_active = False
    citizen.save()
    response = log_in(client)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/inactive/"
    assert "Aquest compte està desactivat" in client.get(response["Location"]).content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_loses_their_open_session(client, citizen):
    log_in(client)
    assert client.get("/ca/carpeta/").status_code == 200
    citizen.is_active = False
    citizen.save()
    response = client.get("/ca/carpeta/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ca/comptes/login/")


def test_logs_hold_no_personal_data(client, citizen, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(citizen)
    client.post(
        "/ca/perfil/edita/",
        {
            "first_name": "Marta",
            "last_name": "Puig i Solé",
            "document_number": "12345678Z",
            "phone": "973700300",
            "postal_address": "C. Major, 31",
            "language": "ca",
        },
    )
    client.post(
        "/ca/perfil/edita/",
        {"first_name": "Marta", "last_name": "Puig i Solé", "document_number": "12345678A", "language": "ca"},
    )
    text = caplog.text
    for personal in ("12345678", "Puig", "Marta", "Major", "973700300"):
        assert personal not in text


def test_password_reset_flow(client, citizen):
    citizen.language = "es"
    citizen.save()
    response = client.post("/ca/comptes/password/reset/", {"email": "marta@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # Written in the citizen's language, whatever the language of the page.
    assert message.subject == "[Seu electrònica] Correo electrónico para restablecer contraseña"
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", message.body)[1]
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session first
    form_url = response["Location"]
    response = client.get(form_url)
    assert "Trieu una contrasenya nova" in response.content.decode()
    response = client.post(form_url, {"password1": "Una-clau-nova-2026", "password2": "Una-clau-nova-2026"})
    assert response.status_code == 302
    assert log_in(client, password="Una-clau-nova-2026").status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_for_an_unknown_address_reveals_nothing(client, citizen):
    response = client.post("/ca/comptes/password/reset/", {"email": "ningu@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/password/reset/done/"


def test_password_change(client, citizen):
    log_in(client)
    response = client.post(
        "/ca/comptes/password/change/",
        {"oldpassword": PASSWORD, "password1": "Una-clau-nova-2026", "password2": "Una-clau-nova-2026"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Una-clau-nova-2026")
    response = client.post(
        "/ca/comptes/password/change/", {"oldpassword": "dolenta", "password1": "x", "password2": "y"}
    )
    assert 'class="error-summary"' in response.content.decode()
