"""allauth adapters: the user's language, e-mails in that language, and identity-broker claims."""

import logging
import re
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from tramits.accounts.forms import active_language
from tramits.accounts.identity import guess_type, validate_document
from tramits.accounts.models import User
from tramits.accounts.selectors import document_number_taken
from tramits.accounts.services import account_email_adopt

logger = logging.getLogger(__name__)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff<>]")


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's e-mail templates call `current_site`: our name, the host we answer on."""

    name: str
    domain: str


def recipient_language(*, email: str, user: User | None = None) -> str:
    """The language a message to this address should be written in."""
    if user is None or not getattr(user, "language", None):
        user = User.objects.filter(email__iexact=email).only("language").first()
    if user is not None and user.language in dict(settings.LANGUAGES):
        return user.language
    return active_language()


class AccountAdapter(DefaultAccountAdapter):
    """Stores the language chosen at sign-up and writes every e-mail in the recipient's language."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = form.cleaned_data.get("language")
        user.language = language if language in dict(settings.LANGUAGES) else active_language()
        if commit:
            user.save()
        return user

    def pre_login(self, request, user, **kwargs):
        if user.is_active and not kwargs.get("signup"):
            # Staff accounts made in the admin have no address record; mandatory
            # verification would otherwise stop them at the door.
            account_email_adopt(user=user)
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        request = allauth_context.request
        host = request.get_host() if request is not None else settings.SITE_URL.split("://")[-1]
        site = SiteIdentity(name=settings.WAGTAIL_SITE_NAME, domain=host)
        with translation.override(recipient_language(email=email, user=user if isinstance(user, User) else None)):
            super().send_mail(template_prefix, email, {"current_site": site, **context})


def identity_claims(extra_data: dict) -> dict:
    """The claims of an OpenID Connect login: userinfo when fetched, else the ID token's."""
    return extra_data.get("userinfo") or extra_data.get("id_token") or extra_data


def without_nul(data):
    """The claims with NUL characters removed: PostgreSQL's jsonb refuses them."""
    if isinstance(data, str):
        return data.replace("\x00", "")
    if isinstance(data, dict):
        return {without_nul(key): without_nul(value) for key, value in data.items()}
    if isinstance(data, list):
        return [without_nul(item) for item in data]
    return data


def clean_claim(value, *, max_length: int) -> str:
    """A claim as plain text that fits the field: no control characters or markup."""
    return _UNPRINTABLE.sub("", str(value or "")).strip()[:max_length]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Fills a new citizen's profile from the identity broker's claims."""

    def populate_user(self, request, sociallogin, data):
        # Called on every broker login, before allauth stores the claims on the SocialAccount.
        sociallogin.account.extra_data = without_nul(sociallogin.account.extra_data)
        user = super().populate_user(request, sociallogin, data)
        user.first_name = clean_claim(user.first_name, max_length=150)
        user.last_name = clean_claim(user.last_name, max_length=150)
        user.language = active_language()
        claims = identity_claims(sociallogin.account.extra_data or {})
        claim_name = getattr(settings, "OIDC_DOCUMENT_CLAIM", "")
        number = claims.get(claim_name) if claim_name else None
        if number:
            self.set_document(user, str(number), provider=sociallogin.account.provider)
        return user

    def set_document(self, user: User, number: str, *, provider: str) -> None:
        """Keep the broker's document number when it is valid and no other account holds it."""
        try:
            number = validate_document(number)
        except ValidationError:
            logger.warning("account.oidc_document_invalid provider=%s", provider)
            return
        if document_number_taken(number=number, exclude_user_id=user.pk):
            logger.warning("account.oidc_document_in_use provider=%s", provider)
            return
        user.document_number = number
        user.document_type = guess_type(number)
