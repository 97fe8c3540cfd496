"""Writes of the API itself: service accounts with their scope and tokens, and the claims of idempotency keys."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tramits.accounts.models import User
from tramits.api.models import IdempotentRequest, Operation, ServiceAccount, ServiceToken
from tramits.api.tokens import token_digest, token_generate, token_prefix
from tramits.catalogue.procedures import get_procedure

logger = logging.getLogger(__name__)


class ServiceScopeInvalid(Exception):
    """An operation or a procedure code of a scope does not exist; nothing was written."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: `key` is the plain token, to show once; the database keeps only its digest."""

    token: ServiceToken
    key: str

    @property
    def account(self) -> ServiceAccount:
        return self.token.account


def _operations_checked(operations: Sequence[str]) -> list[str]:
    unknown = sorted(set(operations) - set(Operation.values))
    if unknown:
        raise ServiceScopeInvalid(
            [
                _("Operacions desconegudes: %(unknown)s. Les vàlides són file, read i act.")
                % {"unknown": ", ".join(unknown)}
            ]
        )
    return [value for value in Operation.values if value in operations]


def _procedure_codes_checked(codes: Sequence[str]) -> list[str]:
    found, unknown = [], []
    for code in codes:
        procedure = get_procedure(code.strip())
        if procedure is None:
            unknown.append(code.strip())
        elif procedure.code not in found:
            found.append(procedure.code)
    if unknown:
        raise ServiceScopeInvalid(
            [_("Aquests codis de tràmit no existeixen al catàleg: %(unknown)s.") % {"unknown": ", ".join(unknown)}]
        )
    return found


@transaction.atomic
def service_account_save(
    *,
    email: str,
    name: str = "",
    operations: Sequence[str] | None = None,
    procedure_codes: Sequence[str] | None = None,
    all_procedures: bool | None = None,
) -> tuple[ServiceAccount, bool]:
    """The service account with this e-mail, created when missing, with its scope set; and whether it is new.

    What is left as `None` keeps its value; a new account starts with least privilege: `read`
    and no procedures. The account's user has no password: it can only call the API with a token.
    """
    scope: dict = {}
    if operations is not None:
        scope["operations"] = _operations_checked(operations)
    if procedure_codes is not None:
        scope["procedure_codes"] = _procedure_codes_checked(procedure_codes)
    if all_procedures is not None:
        scope["all_procedures"] = all_procedures
    user, user_created = User.objects.get_or_create(email=User.objects.normalize_email(email))
    if user_created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    account, created = ServiceAccount.objects.select_for_update().get_or_create(
        user=user, defaults={"name": name or user.email, **scope}
    )
    if not created:
        changes = {**scope, **({"name": name} if name else {})}
        for field, value in changes.items():
            setattr(account, field, value)
        if changes:
            account.save(update_fields=list(changes))
    logger.info(
        "api.service_account_saved account_id=%s created=%s operations=%s procedures=%s all_procedures=%s",
        account.pk,
        created,
        ",".join(account.operations),
        ",".join(account.procedure_codes),
        account.all_procedures,
    )
    return account, created


@transaction.atomic
def service_token_issue(*, account: ServiceAccount, rotate: bool = False) -> IssuedToken:
    """A new token for the account; with `rotate`, every other token of the account stops working."""
    now = timezone.now()
    if rotate:
        ServiceToken.objects.filter(account=account, revoked_at__isnull=True).update(revoked_at=now)
    key = token_generate()
    token = ServiceToken.objects.create(account=account, prefix=token_prefix(key), digest=token_digest(key))
    logger.info("api.service_token_issued account_id=%s token_id=%s rotated=%s", account.pk, token.pk, rotate)
    return IssuedToken(token=token, key=key)


@transaction.atomic
def service_token_revoke(*, token: ServiceToken) -> None:
    """The token stops working at once; the row stays, as a record of when it was used."""
    ServiceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("api.service_token_revoked account_id=%s token_id=%s", token.account_id, token.pk)


@transaction.atomic
def service_account_token_create(
    *,
    email: str,
    name: str = "",
    rotate: bool = False,
    operations: Sequence[str] | None = None,
    procedure_codes: Sequence[str] | None = None,
    all_procedures: bool | None = None,
) -> IssuedToken:
    """A new token of the service account with this e-mail, the account created (least privilege) when missing.

    The scope arguments are those of `service_account_save`. With `rotate` the old tokens stop working.
    """
    account, _created = service_account_save(
        email=email, name=name, operations=operations, procedure_codes=procedure_codes, all_procedures=all_procedures
    )
    return service_token_issue(account=account, rotate=rotate)


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
