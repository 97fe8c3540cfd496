"""Login through the city's identity broker (OpenID Connect), against a fake provider on 127.0.0.1.

The tests drive allauth's real login and callback views: discovery, the token exchange and the
userinfo call go over HTTP to the fake provider; our SocialAccountAdapter maps the claims.
"""

import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from tests.tramits.accounts.fake_oidc import FakeProvider
from tramits.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN_URL = "/ca/comptes/oidc/valid/login/"
CLAIMS = {
    "sub": "valid-0001",
    "name": "Jordi Soler Pi",
    "given_name": "Jordi",
    "family_name": "Soler Pi",
    "email": "jordi@example.org",
    "email_verified": True,
    "document_number": "12345678-z",
}


@pytest.fixture
def provider(settings):
    fake = FakeProvider(claims=dict(CLAIMS)).start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "valid",
                    "name": "VÀLid",
                    "client_id": fake.client_id,
                    "secret": fake.client_secret,
                    "settings": {"server_url": fake.url},
                }
            ]
        }
    }
    settings.OIDC_DOCUMENT_CLAIM = "document_number"
    yield fake
    fake.stop()


def broker_login(client, provider: FakeProvider, language: str = "ca"):
    """Start at our login view, 'log in' at the provider, come back to allauth's callback."""
    response = client.post(f"/{language}/comptes/oidc/valid/login/")
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{provider.url}/authorize"
    query = {key: values[0] for key, values in parse_qs(authorize.query).items()}
    assert query["client_id"] == provider.client_id
    assert set(query["scope"].split()) >= {"openid", "profile", "email"}
    code = uuid.uuid4().hex
    provider.codes[code] = query["redirect_uri"]
    callback = urlparse(query["redirect_uri"])
    assert callback.path == f"/{language}/comptes/oidc/valid/login/callback/"
    return client.get(callback.path, {"code": code, "state": query["state"]})


def test_login_page_offers_the_broker_when_configured(client, provider):
    content = client.get("/ca/comptes/login/").content.decode()
    assert "Entra amb VÀLid" in content
    assert f'action="{LOGIN_URL}' in content


def test_login_page_has_no_broker_when_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    content = client.get("/ca/comptes/login/").content.decode()
    assert "Entra amb" not in content


def test_first_login_creates_the_citizen_from_the_claims(client, provider):
    response = broker_login(client, provider, language="es")
    assert response.status_code == 302
    assert response["Location"] == "/es/carpeta/"
    user = User.objects.get(email="jordi@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (user.first_name, user.last_name) == ("Jordi", "Soler Pi")
    assert (user.document_type, user.document_number) == ("dni", "12345678Z")
    assert user.language == "es"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "valid-0001"
    # Discovery, token exchange and userinfo really went over HTTP to the provider.
    assert provider.paths()[:1] == ["/.well-known/openid-configuration"]
    assert "/token" in provider.paths()
    assert "/userinfo" in provider.paths()


def test_next_login_finds_the_same_citizen(client, provider):
    broker_login(client, provider)
    client.post("/ca/comptes/logout/")
    response = broker_login(client, provider)
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert "_auth_user_id" in client.session


def test_only_name_claim_is_split_into_first_and_last_name(client, provider):
    provider.claims = {key: value for key, value in CLAIMS.items() if key not in ("given_name", "family_name")}
    broker_login(client, provider)
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Jordi", "Soler Pi")


def test_a_document_claim_configured_by_name(client, provider, settings):
    settings.OIDC_DOCUMENT_CLAIM = "identifier"
    provider.claims = {**CLAIMS, "identifier": "X1234567L"}
    del provider.claims["document_number"]
    broker_login(client, provider)
    assert User.objects.get().document_number == "X1234567L"


def test_an_invalid_document_claim_is_left_out(client, provider, caplog):
    provider.claims = {**CLAIMS, "document_number": "12345678A"}
    response = broker_login(client, provider)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.document_number is None
    assert "12345678" not in caplog.text
    assert "Jordi" not in caplog.text


def test_a_document_held_by_another_account_is_left_out(client, provider):
    User.objects.create_user(email="altra@example.org", password="x", document_number="12345678Z")
    response = broker_login(client, provider)
    assert response.status_code == 302
    assert User.objects.get(email="jordi@example.org").document_number is None


def test_hostile_claims_are_cleaned(client, provider):
    provider.claims = {**CLAIMS, "given_name": "Jordi<script>\x00", "family_name": "S" * 500}
    broker_login(client, provider)
    user = User.objects.get()
    assert user.first_name == "Jordiscript"
    assert len(user.last_name) == 150


def test_an_unverified_address_must_be_confirmed_first(client, provider):
    provider.claims = {**CLAIMS, "email_verified": False}
    response = broker_login(client, provider)
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_the_provider_cancelling_is_handled(client, provider):
    authorize = urlparse(client.post(LOGIN_URL)["Location"])
    state = parse_qs(authorize.query)["state"][0]
    response = client.get("/ca/comptes/oidc/valid/login/callback/", {"error": "access_denied", "state": state})
    assert response["Location"] == "/ca/comptes/3rdparty/login/cancelled/"
    response = client.get(response["Location"])
    assert "Inici de sessió cancel·lat" in response.content.decode()
    assert not User.objects.exists()


def test_a_wrong_state_is_refused(client, provider):
    client.post(LOGIN_URL)
    response = client.get("/ca/comptes/oidc/valid/login/callback/", {"code": "x", "state": "forged"})
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    assert response.status_code == 401
    assert "No s'ha pogut iniciar la sessió" in response.content.decode().replace("&#x27;", "'")
    assert "/token" not in provider.paths()
