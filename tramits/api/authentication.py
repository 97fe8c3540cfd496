"""Tokens for internal systems, sessions for people; a service account may act for a person.

A token belongs to a service account (`ServiceToken`): the header is `Authorization: Token <key>`,
the row is found by the key's prefix and the stored SHA-256 compared in constant time. A revoked,
unknown or wrong token gets 401; people have no tokens and use their browser session.

`X-On-Behalf-Of: <user id>` on a service account's request makes the request that person's:
their departments or their own expedients decide what it may see and do, and they are the
actor recorded on the timeline. Only service accounts may send it; anyone else gets 403.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from tramits.accounts.middleware import needs_second_factor, passed_second_factor
from tramits.accounts.models import User
from tramits.api.models import ServiceAccount, ServiceToken
from tramits.api.tokens import token_matches, token_prefix
from tramits.expedients.selectors import user_department_ids

ON_BEHALF_OF_HEADER = "X-On-Behalf-Of"
_ON_BEHALF_OF_META = "HTTP_X_ON_BEHALF_OF"
# `last_used_at` is refreshed at most this often, so that reads do not write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class TokenAuth:
    """What `request.auth` holds for a token: the token, its service account, and whom it acts for."""

    token: ServiceToken
    account: ServiceAccount
    on_behalf_of: int | None = None

    @property
    def is_service(self) -> bool:
        """Always: only service accounts hold tokens (with `on_behalf_of`, the request is that person's)."""
        return True

    @property
    def service_user_id(self) -> int:
        return self.account.user_id


def _token_used(token: ServiceToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ServiceToken.objects.filter(pk=token.pk).update(last_used_at=now)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` of a service account (`ServiceToken`), with its `X-On-Behalf-Of`.

    It keeps DRF's header parsing and its 401 answers; only the look-up of the key is ours.
    """

    def authenticate_credentials(self, key: str):
        token = (
            ServiceToken.objects.select_related("account__user")
            .filter(prefix=token_prefix(key), revoked_at__isnull=True)
            .first()
        )
        # The digest is compared even for an unknown prefix, so the answer takes the same time.
        matches = token_matches(key, token.digest if token is not None else "0" * 64)
        if token is None or not matches or not token.account.user.is_active:
            raise exceptions.AuthenticationFailed(_("El testimoni no és vàlid o s'ha revocat."))
        _token_used(token)
        return token.account.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if request.META.get(_ON_BEHALF_OF_META):
                raise exceptions.PermissionDenied(_("Només un sistema intern pot actuar en nom d'una altra persona."))
            return None
        user, token = result
        raw = (request.META.get(_ON_BEHALF_OF_META) or "").strip()
        if not raw:
            return user, TokenAuth(token=token, account=token.account)
        if not raw.isdigit():
            raise exceptions.AuthenticationFailed(
                _("La capçalera X-On-Behalf-Of ha de ser l'identificador d'un usuari.")
            )
        person = User.objects.filter(pk=int(raw), is_active=True).first()
        if person is None:
            raise exceptions.AuthenticationFailed(_("La persona en nom de qui s'actua no existeix o no està activa."))
        return person, TokenAuth(token=token, account=token.account, on_behalf_of=person.pk)


class StaffSessionAuthentication(SessionAuthentication):
    """The browser session of the seu, with CSRF; staff must have logged in with their second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        if request._request.META.get(_ON_BEHALF_OF_META):
            raise exceptions.PermissionDenied(_("Només un sistema intern pot actuar en nom d'una altra persona."))
        user, _auth = result
        is_staff = needs_second_factor(user) or bool(user_department_ids(user=user))
        if is_staff and not passed_second_factor(request._request):
            raise exceptions.PermissionDenied(
                _("El personal ha d'iniciar la sessió amb la verificació en dos passos per usar l'API.")
            )
        return result
