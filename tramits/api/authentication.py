"""Tokens for internal systems, sessions for people; a service account may act for a person.

`X-On-Behalf-Of: <user id>` on a service account's request makes the request that person's:
their departments or their own expedients decide what it may see and do, and they are the
actor recorded on the timeline. The wizards, the carpeta and the back office use it through
`tramits.api.client`, so the API applies the same rules whichever transport carries the call.
Only service accounts may send it; anyone else gets 403.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from tramits.accounts.middleware import needs_second_factor, passed_second_factor
from tramits.accounts.models import User
from tramits.api.models import ServiceAccount
from tramits.expedients.selectors import user_department_ids

ON_BEHALF_OF_HEADER = "X-On-Behalf-Of"
_ON_BEHALF_OF_META = "HTTP_X_ON_BEHALF_OF"


@dataclass(frozen=True)
class TokenAuth:
    """What `request.auth` holds for a token: the token, and whether a system holds it."""

    token: object
    is_service: bool
    service_user_id: int | None = None
    on_behalf_of: int | None = None

    @property
    def key(self) -> str:
        return self.token.key


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>`, knowing service accounts and their `X-On-Behalf-Of`."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if request.META.get(_ON_BEHALF_OF_META):
                raise exceptions.PermissionDenied(_("Només un sistema intern pot actuar en nom d'una altra persona."))
            return None
        user, token = result
        is_service = ServiceAccount.objects.filter(user_id=user.pk).exists()
        raw = (request.META.get(_ON_BEHALF_OF_META) or "").strip()
        if not raw:
            return user, TokenAuth(token=token, is_service=is_service, service_user_id=user.pk if is_service else None)
        if not is_service:
            raise exceptions.PermissionDenied(_("Només un sistema intern pot actuar en nom d'una altra persona."))
        if not raw.isdigit():
            raise exceptions.AuthenticationFailed(
                _("La capçalera X-On-Behalf-Of ha de ser l'identificador d'un usuari.")
            )
        person = User.objects.filter(pk=int(raw), is_active=True).first()
        if person is None:
            raise exceptions.AuthenticationFailed(_("La persona en nom de qui s'actua no existeix o no està activa."))
        return person, TokenAuth(token=token, is_service=True, service_user_id=user.pk, on_behalf_of=person.pk)


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
