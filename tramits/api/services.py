"""Writes of the API itself: service accounts with their tokens, and the claims of idempotency keys."""

import logging

from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from tramits.accounts.models import User
from tramits.api.models import IdempotentRequest, ServiceAccount

logger = logging.getLogger(__name__)

INPROCESS_SERVICE_EMAIL = "api-inprocess@seu.invalid"


@transaction.atomic
def service_account_token_create(*, email: str, name: str = "", rotate: bool = False) -> Token:
    """The token of the service account with this e-mail, creating the account when missing.

    The account has no password: it can only call the API. With `rotate` the old token stops working.
    """
    user, created = User.objects.get_or_create(email=User.objects.normalize_email(email))
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    ServiceAccount.objects.get_or_create(user=user, defaults={"name": name or user.email})
    if rotate:
        Token.objects.filter(user=user).delete()
    token, _created = Token.objects.get_or_create(user=user)
    logger.info("api.service_token_ready user_id=%s rotated=%s", user.pk, rotate)
    return token


def inprocess_token_ensure() -> str:
    """The token the in-process transport uses when TRAMITS_API_TOKEN is empty, created on first use."""
    token = Token.objects.filter(user__email=INPROCESS_SERVICE_EMAIL, user__api_service__isnull=False).first()
    if token is not None:
        return token.key
    try:
        return service_account_token_create(email=INPROCESS_SERVICE_EMAIL, name="Seu (in-process)").key
    except IntegrityError:  # another thread created it at the same moment
        return Token.objects.get(user__email=INPROCESS_SERVICE_EMAIL).key


def idempotent_request_claim(*, scope: str, key: str, fingerprint: str) -> tuple[IdempotentRequest, bool]:
    """Claim a key for a request body; returns the claim and whether this call made it.

    Runs in its own short transaction before the filing, so a concurrent request sees the claim.
    """
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotentRequest.objects.get(scope=scope, key=key), False


def idempotent_request_release(*, claim: IdempotentRequest) -> None:
    """Forget a claim whose request changed nothing (rejected input), so the key can be used again."""
    IdempotentRequest.objects.filter(pk=claim.pk, response__isnull=True).delete()


def idempotent_request_answer(*, claim: IdempotentRequest, status_code: int, response: dict, entry) -> dict:
    """Store the answer of a claim unless another request stored it first; returns the answer to give."""
    IdempotentRequest.objects.filter(pk=claim.pk, response__isnull=True).update(
        status_code=status_code, response=response, entry=entry
    )
    stored = IdempotentRequest.objects.values_list("response", flat=True).get(pk=claim.pk)
    return stored
