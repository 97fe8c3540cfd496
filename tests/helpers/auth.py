"""Logging staff in for tests that reach the admin, which requires two-factor authentication.

`client.force_login(staff)` is not enough for /admin/: tramits.accounts.middleware refuses a
staff session that did not pass the MFA step. Use `login_staff_with_mfa(client, staff)` instead.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client, RequestFactory

from tramits.accounts.models import User


def totp_authenticator(user: User) -> tuple[Authenticator, str]:
    """The user's TOTP authenticator, created when missing, with its secret in clear."""
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    return authenticator, decrypt(authenticator.data["secret"])


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app would show now (or at the given Unix time)."""
    import time

    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def login_staff_with_mfa(client: Client, user: User) -> Authenticator:
    """Log `user` in on `client` as if they had typed their password and a TOTP code.

    Gives the user a TOTP authenticator if they have none, then records the password and MFA
    steps in the session with allauth's own `record_authentication`, as its login flow does.
    """
    authenticator, _secret = totp_authenticator(user)
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
    return authenticator
