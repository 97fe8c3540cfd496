"""Staff reach the Wagtail admin only with two-factor authentication (TOTP, allauth.mfa)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission

from tests.helpers.auth import login_staff_with_mfa, totp_authenticator, totp_code
from tests.tramits.accounts.conftest import PASSWORD
from tramits.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN_URL = "/ca/comptes/login/"


@pytest.fixture
def staff(db) -> User:
    """A member of staff created the way the demo loader and the admin create them (no sign-up)."""
    user = User.objects.create_user(email="editor@seu.example", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def log_in(client, user: User, next_url: str = "/admin/"):
    return client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD, "next": next_url})


def test_anonymous_admin_goes_to_the_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/login/?next=/admin/"


def test_the_admin_login_form_is_replaced_by_ours(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/login/?next=/admin/pages/"


@pytest.mark.django_db(transaction=True)
def test_staff_without_totp_must_set_it_up_first(client, staff):
    """Transactional: allauth announces the new authenticator on commit, inside the request."""
    response = log_in(client, staff)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/2fa/totp/activate/"
    assert client.get("/admin/pages/")["Location"] == "/ca/comptes/2fa/totp/activate/"

    # allauth asks for the password again before any change to the second factor.
    response = client.get("/ca/comptes/2fa/totp/activate/")
    assert response["Location"] == "/ca/comptes/reauthenticate/?next=%2Fca%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F"
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/ca/comptes/2fa/totp/activate/"

    page = client.get("/ca/comptes/2fa/totp/activate/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Per entrar a l&#x27;administració cal activar la verificació en dos passos" in content
    secret = client.session["mfa.totp.secret"]
    assert secret in content  # shown for typing into the app, as well as the QR code

    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post("/ca/comptes/2fa/totp/activate/", {"code": wrong})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    response = client.post("/ca/comptes/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    # The code typed to activate is the second factor of this session: no second login needed.
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_pass_the_code_step_before_the_admin(client, staff):
    _authenticator, secret = totp_authenticator(staff)
    response = log_in(client, staff)
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # not logged in until the code is given
    assert client.get("/admin/")["Location"].startswith("/ca/comptes/login/")

    page = client.get("/ca/comptes/2fa/authenticate/")
    assert page.status_code == 200
    assert '<label for="id_code">' in page.content.decode()

    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post("/ca/comptes/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post("/ca/comptes/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_second_factor_is_ended(client, staff):
    totp_authenticator(staff)
    client.force_login(staff)  # e.g. an old session, or another login form
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/ca/comptes/login/?next=/admin/pages/"
    assert "_auth_user_id" not in client.session


def test_records_of_another_user_do_not_count(client, staff):
    other = User.objects.create_user(email="altre@seu.example", password=PASSWORD, is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_staff_with_mfa(client, other)
    totp_authenticator(staff)
    session = client.session
    session["_auth_user_id"] = str(staff.pk)
    session["_auth_user_hash"] = staff.get_session_auth_hash()
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_test_helper_gives_a_session_that_reaches_the_admin(client, staff):
    login_staff_with_mfa(client, staff)
    assert client.get("/admin/").status_code == 200


def test_admin_access_through_a_group_also_needs_the_second_factor(client):
    user = User.objects.create_user(email="grup@seu.example", password=PASSWORD)
    group = Group.objects.create(name="Accés a l'administració")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    assert client.get("/admin/")["Location"] == "/ca/comptes/2fa/totp/activate/"


def test_citizens_are_never_asked(client, citizen):
    response = client.post(LOGIN_URL, {"login": citizen.email, "password": PASSWORD})
    assert response["Location"] == "/ca/carpeta/"
    assert client.get("/ca/carpeta/").status_code == 200
    assert client.get("/ca/perfil/").status_code == 200
    # A citizen who tries the admin is turned away by Wagtail, not asked to set up TOTP.
    response = client.get("/admin/")
    assert "2fa" not in response.get("Location", "")


def test_staff_use_the_site_as_citizens_without_totp(client, staff):
    log_in(client, staff, next_url="/ca/carpeta/")
    assert client.get("/ca/carpeta/").status_code == 200


def test_recovery_code_counts_as_the_second_factor(client, staff):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    totp_authenticator(staff)
    codes = RecoveryCodes.activate(staff).generate_codes()
    log_in(client, staff)
    response = client.post("/ca/comptes/2fa/authenticate/", {"code": codes[0]})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_totp_page_links_back_to_the_admin_for_staff(client, staff):
    login_staff_with_mfa(client, staff)
    content = client.get("/ca/comptes/2fa/").content.decode()
    assert re.search(r'<a href="/admin/">', content)


def test_demo_staff_accounts_reach_the_admin_after_setting_up_totp(client, demo_site):
    """`make run` prints demo staff accounts: the first login leads to the TOTP set-up, then the admin."""
    from content.demo.loader import DEMO_PASSWORD, DemoLoader
    from tramits.catalogue.models import Department

    departments = {department.code: department for department in Department.objects.all()}
    DemoLoader().accounts(departments)
    editor = User.objects.get(email="editor@seu.example")
    response = client.post(LOGIN_URL, {"login": editor.email, "password": DEMO_PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == "/ca/comptes/2fa/totp/activate/"
    login_staff_with_mfa(client, editor)
    assert client.get("/admin/").status_code == 200
