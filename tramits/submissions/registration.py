"""The call that registers a submission: the internal API's filing, built from the stored row only.

The body is the same on every attempt (same key, same fields, same files), so the API treats a
retry as a repeat and answers with the entry and expedient it made the first time.
"""

from contextlib import ExitStack
from dataclasses import dataclass

from tramits.registre.models import Channel, IdentificationMethod
from tramits.submissions.models import Submission


@dataclass(frozen=True)
class Filed:
    register_number: str
    expedient_number: str
    receipt_csv: str
    receipt_url: str


def api_client():
    """The internal API client module (a seam for tests that simulate the API being down)."""
    from tramits.api import client

    return client


def identified_by(user) -> str:
    """How the applicant proved who they are: the identity broker when the account came from it."""
    accounts = getattr(user, "socialaccount_set", None)
    if accounts is not None and accounts.exists():
        return IdentificationMethod.OIDC_VALID
    return IdentificationMethod.PASSWORD


def filing_send(*, submission: Submission) -> Filed:
    """Register the submission through the API; raises the client's ApiUnavailable or ApiRejected."""
    client = api_client()
    applicant = submission.applicant
    with ExitStack() as stack:
        attachments = [
            (item.name, stack.enter_context(item.file.open("rb")), item.content_type)
            for item in submission.files.order_by("pk")
        ]
        with client.api_client(language=submission.language) as api:
            result = api.filing_create(
                idempotency_key=submission.idempotency_key,
                channel=Channel.ELECTRONIC,
                applicant_name=applicant.get("full_name", ""),
                applicant_document_type=applicant.get("document_type", ""),
                applicant_document_number=applicant.get("document_number", ""),
                applicant_identified_by=identified_by(submission.user),
                subject=submission.subject,
                procedure_code=submission.procedure_code,
                expedient_number=submission.extra.get("expedient_number", ""),
                citizen=submission.user_id,
                language=submission.language,
                attachments=attachments,
            )
    receipt = result.entry.receipt
    return Filed(
        register_number=result.entry_reference,
        expedient_number=result.expedient_reference,
        receipt_csv=receipt.csv if receipt else "",
        receipt_url=receipt.verification_url if receipt else "",
    )
