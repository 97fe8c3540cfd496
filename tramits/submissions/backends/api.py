"""The `api` registration backend: the filing posted to the internal API over HTTP, with the same key each time.

For a seu that runs apart from the back office (in a DMZ, with no write access to the register's
database). Settings: `TRAMITS_API_URL` (e.g. https://backoffice.internal/api/v1/), `TRAMITS_API_TOKEN`
(a service account's token, scoped to filing), `TRAMITS_API_TIMEOUT` (seconds). The answer's 201 and
200 (a repeat of the same key and body) are both success; 4xx is a refusal; no answer, a timeout or
5xx defer the submission for a retry.
"""

import datetime as dt
import logging
from contextlib import ExitStack

import httpx
from django.conf import settings

from tramits.registre.models import AttachmentKind, Channel
from tramits.submissions.backends import Filed, RegistrationDeferred, RegistrationRefused, received_at_if_late
from tramits.submissions.models import Submission

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
PARTS = {
    AttachmentKind.APPLICATION_DATA: "application",
    AttachmentKind.APPLICATION_FORM: "application_form",
    AttachmentKind.DOCUMENT: "attachments",
}


def _fields(submission: Submission) -> list[tuple[str, tuple[None, str]]]:
    applicant = submission.applicant
    extra = submission.extra or {}
    representative = extra.get("representative") or {}
    received_at = received_at_if_late(submission)
    values = {
        "channel": Channel.ELECTRONIC,
        "applicant_name": applicant.get("name", ""),
        "applicant_document_type": applicant.get("document_type", ""),
        "applicant_document_number": applicant.get("document_number", ""),
        "applicant_identified_by": applicant.get("identified_by", ""),
        "representative_name": representative.get("name", ""),
        "representative_document_type": representative.get("document_type", ""),
        "representative_document_number": representative.get("document_number", ""),
        "representative_identified_by": representative.get("identified_by", ""),
        "subject": submission.subject,
        "procedure_code": submission.procedure_code,
        "department": extra.get("department", ""),
        "expedient_number": extra.get("expedient_number", ""),
        "citizen": submission.user_id,
        "language": submission.language,
        "received_at": received_at.isoformat() if received_at else "",
    }
    return [(name, (None, str(value))) for name, value in values.items() if value not in (None, "")]


class ApiBackend:
    name = "api"

    def __init__(self, *, base_url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.TRAMITS_API_URL).rstrip("/") + "/"
        self.token = token if token is not None else settings.TRAMITS_API_TOKEN
        self.timeout = timeout if timeout is not None else settings.TRAMITS_API_TIMEOUT

    def register(self, *, submission: Submission) -> Filed:
        headers = {
            "Accept": "application/json",
            "Accept-Language": submission.language,
            IDEMPOTENCY_HEADER: submission.idempotency_key,
        }
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        with ExitStack() as stack:
            files = [
                (PARTS[item.kind], (item.name, stack.enter_context(item.file.open("rb")), item.content_type))
                for item in submission.files.order_by("pk")
            ]
            try:
                with httpx.Client(base_url=self.base_url, timeout=self.timeout) as client:
                    response = client.post("registre/entrades/", files=_fields(submission) + files, headers=headers)
            except httpx.TransportError as error:
                logger.warning("registration_api.unavailable error=%s", type(error).__name__)
                raise RegistrationDeferred(str(error) or type(error).__name__) from error
        if response.status_code >= 500:
            logger.warning("registration_api.server_error status=%s", response.status_code)
            raise RegistrationDeferred(f"The API answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            if response.status_code >= 400:
                raise RegistrationRefused(f"{response.status_code}: {response.text[:300]}") from error
            raise RegistrationDeferred("The API answered with no JSON") from error
        if response.status_code >= 400:
            raise RegistrationRefused(
                f"{response.status_code} {body.get('code', '')}: {body.get('detail', '')}", body.get("errors") or {}
            )
        entry = body["entry"]
        receipt = entry.get("receipt") or {}
        return Filed(
            register_number=entry["reference"],
            expedient_number=body["expedient"]["reference"],
            receipt_csv=(receipt.get("csv") or "").replace("-", ""),
            receipt_url=receipt.get("verification_url", ""),
            registered_at=_instant(entry.get("registered_at")),
        )


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
