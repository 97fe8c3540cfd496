"""The citizen's profile: shown, changed with valid answers only, never half-written."""

import pytest
from django.core.exceptions import ValidationError

from tramits.accounts.models import User
from tramits.accounts.services import DocumentNumberInUse, user_profile_update
from tramits.accounts.validators import normalise_phone

pytestmark = pytest.mark.django_db

EDIT_URL = "/ca/perfil/edita/"


def answers(**overrides) -> dict:
    data = {
        "first_name": "Marta",
        "last_name": "Puig i Solé",
        "document_type": "",
        "document_number": "12345678-z",
        "phone": "973 70 03 00",
        "postal_address": "C. Major, 31, 2n 1a\n25007 Lleida",
        "notification_email": "avisos@example.org",
        "language": "ca",
    }
    data.update(overrides)
    return data


def stored(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.first_name,
        user.last_name,
        user.document_type,
        user.document_number,
        user.phone,
        user.postal_address,
        user.notification_email,
        user.language,
    )


def test_profile_needs_login(client):
    for url in ("/ca/perfil/", EDIT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/ca/comptes/login/?next=")


def test_profile_pages_are_not_cached(client, citizen):
    client.force_login(citizen)
    for url in ("/ca/perfil/", EDIT_URL, "/ca/comptes/password/change/", "/ca/comptes/email/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_profile_edit_stores_normalised_values(client, citizen):
    client.force_login(citizen)
    response = client.post(EDIT_URL, answers())
    assert response.status_code == 302
    assert response["Location"] == "/ca/perfil/"
    assert stored(citizen) == (
        "Marta",
        "Puig i Solé",
        "dni",
        "12345678Z",
        "+34973700300",
        "C. Major, 31, 2n 1a\n25007 Lleida",
        "avisos@example.org",
        "ca",
    )
    page = client.get("/ca/perfil/").content.decode()
    assert "12345678Z" in page
    assert "Hem desat les dades del vostre perfil." in page


def test_a_new_language_takes_the_citizen_to_the_profile_in_that_language(client, citizen):
    client.force_login(citizen)
    response = client.post(EDIT_URL, answers(language="es"))
    assert response["Location"] == "/es/perfil/"
    citizen.refresh_from_db()
    assert citizen.language == "es"


def test_nie_and_passport_are_recognised(client, citizen):
    client.force_login(citizen)
    client.post(EDIT_URL, answers(document_number="x1234567l"))
    assert stored(citizen)[2:4] == ("nie", "X1234567L")
    client.post(EDIT_URL, answers(document_type="passport", document_number="AB 123456"))
    assert stored(citizen)[2:4] == ("passport", "AB123456")
    client.post(EDIT_URL, answers(document_number=""))
    assert stored(citizen)[2:4] == ("", None)


BAD_ANSWERS = [
    pytest.param({"document_number": "12345678A"}, "La lletra del DNI no correspon al número", id="dni-letter"),
    pytest.param({"document_number": "X1234567A"}, "La lletra del NIE no correspon al número", id="nie-letter"),
    pytest.param({"document_type": "dni", "document_number": "X1234567L"}, "Un DNI té 8 xifres", id="type-mismatch"),
    pytest.param({"first_name": "Marta\x00"}, "", id="nul-byte"),
    pytest.param({"last_name": "Puig\x07"}, "caràcters de control", id="control-char"),
    pytest.param({"postal_address": "C. Major\u202e 31"}, "caràcters de control", id="bidi-override"),
    pytest.param({"first_name": "<script>alert(1)</script>"}, "caràcters &lt; i &gt;", id="script-name"),
    pytest.param({"first_name": "Marta 2"}, "només lletres", id="digits-in-name"),
    pytest.param({"postal_address": "<img src=x onerror=alert(1)>"}, "caràcters &lt; i &gt;", id="script-address"),
    pytest.param({"first_name": "M" * 5000}, "150", id="huge-name"),
    pytest.param({"postal_address": "C. Major " * 600}, "500", id="huge-address"),
    pytest.param({"document_number": "1" * 5000}, "30", id="huge-document"),
    pytest.param({"phone": "9" * 5000}, "30", id="huge-phone"),
    pytest.param({"phone": "12345"}, "Escriviu un telèfon de 9 xifres", id="short-phone"),
    pytest.param({"phone": "+34 12345678"}, "Escriviu un telèfon de 9 xifres", id="bad-spanish-phone"),
    pytest.param({"notification_email": "no-es-un-correu"}, "correu electrònic vàlida", id="bad-email"),
    pytest.param({"language": "fr"}, "no és una de les opcions", id="bad-language"),
    pytest.param({"first_name": ""}, "obligatori", id="missing-name"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ANSWERS)
def test_bad_input_changes_nothing_and_says_why(client, citizen, bad, message):
    client.force_login(citizen)
    client.post(EDIT_URL, answers())
    before = stored(citizen)
    response = client.post(EDIT_URL, answers(**bad))
    content = response.content.decode()
    assert response.status_code == 200
    assert stored(citizen) == before
    assert 'class="error-summary"' in content
    assert "<title>Error: " in content
    assert message in content
    field = "document_number" if "document_number" in bad else next(iter(bad))
    assert f'<a href="#id_{field}' in content
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content


def test_script_is_shown_back_escaped(client, citizen):
    client.force_login(citizen)
    content = client.post(EDIT_URL, answers(first_name="<script>alert(1)</script>")).content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in content


def test_nul_byte_gets_a_clear_message(client, citizen):
    client.force_login(citizen)
    content = client.post(EDIT_URL, answers(first_name="Marta\x00")).content.decode()
    assert "caràcters nuls" in content or "Null characters" in content


def test_duplicate_document_is_refused_without_saying_whose(client, citizen):
    User.objects.create_user(email="altra@example.org", password="x", document_number="12345678Z", first_name="Pere")
    client.force_login(citizen)
    before = stored(citizen)
    response = client.post(EDIT_URL, answers(document_number="12.345.678-Z", first_name="Canviat"))
    content = response.content.decode()
    assert stored(citizen) == before
    assert "Aquest número de document ja és en un altre compte." in content
    assert "altra@example.org" not in content and "Pere" not in content


def test_duplicate_document_message_in_spanish_page_language(client, citizen):
    """The message is translatable: it goes through gettext in the page's language."""
    User.objects.create_user(email="altra@example.org", password="x", document_number="12345678Z")
    client.force_login(citizen)
    response = client.post("/es/perfil/edita/", answers(document_number="12345678Z"))
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


def test_service_refuses_a_taken_number_and_leaves_the_callers_user_alone(citizen):
    User.objects.create_user(email="altra@example.org", password="x", document_number="12345678Z")
    fields = answers(document_number="12345678Z", document_type="dni", phone="", first_name="Nou")
    with pytest.raises(DocumentNumberInUse):
        user_profile_update(user=citizen, **fields)
    assert citizen.first_name == "Marta"
    citizen.refresh_from_db()
    assert citizen.first_name == "Marta"


def test_service_turns_a_constraint_race_into_the_named_error(citizen, monkeypatch):
    """Two accounts claiming one number at once: the unique constraint decides."""
    User.objects.create_user(email="altra@example.org", password="x", document_number="12345678Z")
    monkeypatch.setattr("tramits.accounts.services.document_number_taken", lambda **kwargs: False)
    fields = answers(document_number="12345678Z", document_type="dni", phone="")
    with pytest.raises(DocumentNumberInUse):
        user_profile_update(user=citizen, **fields)
    citizen.refresh_from_db()
    assert citizen.document_number is None


@pytest.mark.parametrize(
    ("typed", "stored_as"),
    [
        ("973 700 300", "+34973700300"),
        ("600-12-34-56", "+34600123456"),
        ("+34 973.700.300", "+34973700300"),
        ("0034 (973) 700 300", "+34973700300"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("0044 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_formats(typed, stored_as):
    assert normalise_phone(typed) == stored_as


@pytest.mark.parametrize(
    "typed", ["12345", "512345678", "+34 512 345 678", "+0 123456789", "telèfon", "+1234567890123456"]
)
def test_bad_phones(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)
