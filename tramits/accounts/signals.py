"""Receivers for allauth's MFA signals, connected in AccountsConfig.ready()."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator


def record_second_factor_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Typing a valid code to activate TOTP proves the second factor for this session.

    Without this, staff who just set up TOTP would be sent to log in again before the admin.
    allauth records a login's MFA step the same way (mfa.base.internal.flows.post_authentication).
    """
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
