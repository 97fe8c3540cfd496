"""Two-factor authentication for staff, and no caching of account pages."""

from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

ADMIN_LOGIN_PATHS = ("/admin/login/",)


def needs_second_factor(user) -> bool:
    """Whether this user may act as staff, and so must use two-factor authentication."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session's login included an MFA step, as allauth records it."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffTwoFactorMiddleware:
    """Keep staff out of the admin until they have a TOTP authenticator and used it to log in.

    A staff member without an authenticator is sent to set one up; a session that logged in
    without the second factor (an old session, or another login form) is ended and sent to
    the login page, where allauth asks for the code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        prefixes = tuple(getattr(settings, "STAFF_TWO_FACTOR_PATHS", ["/admin/"]))
        if path.startswith(prefixes):
            response = self.check(request, path)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request: HttpRequest, path: str) -> HttpResponse | None:
        if path.startswith(ADMIN_LOGIN_PATHS):
            # The admin's own password form would skip the second factor: use allauth's.
            return redirect_to_login(request.GET.get("next") or "/admin/", login_url=settings.LOGIN_URL)
        user = request.user
        if not needs_second_factor(user):
            return None
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.info(
                request,
                _(
                    "Per entrar a l'administració cal activar la verificació en dos passos "
                    "amb una aplicació d'autenticació."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if not passed_second_factor(request):
            logout(request)
            messages.info(request, _("Per entrar a l'administració cal iniciar la sessió amb el codi de verificació."))
            return redirect_to_login(request.get_full_path(), login_url=settings.LOGIN_URL)
        return None


class NoCacheAccountPagesMiddleware:
    """Tell browsers and proxies not to keep copies of account and profile pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and is_account_view(match):
            add_never_cache_headers(response)
        return response


def is_account_view(match) -> bool:
    """Whether the resolved view belongs to allauth or to our accounts app."""
    module = getattr(match.func, "__module__", "") or ""
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return module.startswith(("allauth.", "tramits.accounts.")) or "accounts" in match.namespaces
