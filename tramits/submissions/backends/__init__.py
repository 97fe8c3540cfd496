"""Registration backends: how a stored submission reaches the register, chosen by `REGISTRATION_BACKEND`.

As Open Forms chooses its registration plugins:
- `local` (the embedded default) calls the filing service in this process, outside any transaction;
- `api` posts the filing to the internal API (`/api/v1/registre/entrades/`) over HTTP, for a seu that
  runs apart from the back office and has no write access to the register's database.

Both build the filing from the stored row only, with the same idempotency key on every attempt,
so a retry gets the entry made the first time. Both raise the same two errors: `RegistrationDeferred`
(try again later) and `RegistrationRefused` (it will never succeed as it is).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tramits.submissions.models import Submission

BACKENDS = {
    "local": "tramits.submissions.backends.local.LocalBackend",
    "api": "tramits.submissions.backends.api.ApiBackend",
}


class RegistrationDeferred(Exception):
    """The register could not take the filing now (unreachable, timed out, locked): retry with the same key."""


class RegistrationRefused(Exception):
    """The register refused the filing; `errors` has its messages per field."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None):
        self.errors = errors or {}
        super().__init__(detail)


@dataclass(frozen=True)
class Filed:
    """What a registration gives back to the submission."""

    register_number: str
    expedient_number: str
    receipt_csv: str
    receipt_url: str
    registered_at: dt.datetime | None = None


class RegistrationBackend(Protocol):
    name: str

    def register(self, *, submission: Submission) -> Filed: ...


def registration_backend(name: str | None = None) -> RegistrationBackend:
    """The backend the settings choose (or `name`)."""
    name = name or getattr(settings, "REGISTRATION_BACKEND", "local")
    if name not in BACKENDS:
        raise ValueError(f"Unknown REGISTRATION_BACKEND {name!r}; choose one of {', '.join(BACKENDS)}")
    return import_string(BACKENDS[name])()


def received_at_if_late(submission: Submission) -> dt.datetime | None:
    """When the seu received a submission that waited in the queue (an outage), for the entry and the receipt.

    Its number follows the time it is registered; the entry also says when the citizen filed it.
    """
    return submission.created_at if submission.attempts > 1 else None
