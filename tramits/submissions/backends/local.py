"""The `local` registration backend: the filing service in this process, with the files as they are stored."""

import hashlib
import logging

from django.db import InterfaceError, OperationalError

from tramits.catalogue.selectors import department_by_code
from tramits.expedients.filing import filing_register
from tramits.expedients.services import ExpedientError, ExpedientInvalid
from tramits.registre.models import Channel
from tramits.registre.receipts import verification_url
from tramits.registre.services import IdempotencyKeyConflict, Party, RegisterEntryInvalid, StoredAttachment
from tramits.representacions.claims import citizen_claim_errors
from tramits.submissions.backends import Filed, RegistrationDeferred, RegistrationRefused, received_at_if_late
from tramits.submissions.models import Submission, SubmissionFile

logger = logging.getLogger(__name__)


def _sha256(item: SubmissionFile) -> str:
    """The hash taken when the file was received; files of older drafts are hashed here, once."""
    if item.sha256:
        return item.sha256
    digest = hashlib.sha256()
    with item.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def party_of(data: dict) -> Party | None:
    if not data:
        return None
    return Party(
        name=data.get("name", ""),
        document_number=data.get("document_number", ""),
        identified_by=data.get("identified_by", ""),
        document_type=data.get("document_type", ""),
    )


class LocalBackend:
    name = "local"

    def register(self, *, submission: Submission) -> Filed:
        extra = submission.extra or {}
        applicant, representative = submission.applicant, extra.get("representative") or {}
        claims = citizen_claim_errors(
            user=submission.user,
            data={
                "procedure_code": submission.procedure_code,
                "applicant_document_number": applicant.get("document_number", ""),
                "applicant_identified_by": applicant.get("identified_by", ""),
                "representative_document_number": representative.get("document_number", ""),
                "representative_identified_by": representative.get("identified_by", ""),
            },
        )
        if claims:
            # The representation may have been revoked or expired between the final POST and this attempt.
            raise RegistrationRefused("claims", claims)
        department = None
        if extra.get("department"):
            department = department_by_code(code=extra["department"])
            if department is None:
                raise RegistrationRefused("department", {"department": ["unknown department"]})
        attachments = [
            StoredAttachment(
                name=item.name,
                stored_name=item.file.name,
                content_type=item.content_type,
                size=item.size,
                sha256=_sha256(item),
                kind=item.kind,
            )
            for item in submission.files.order_by("pk")
        ]
        try:
            entry, expedient = filing_register(
                channel=Channel.ELECTRONIC,
                applicant=party_of(applicant),
                representative=party_of(representative),
                subject=submission.subject,
                procedure_code=submission.procedure_code,
                attachments=attachments,
                idempotency_key=f"seu:{submission.idempotency_key}",
                citizen=submission.user,
                department=department,
                expedient_number=extra.get("expedient_number", ""),
                language=submission.language,
                received_at=received_at_if_late(submission),
            )
        except (RegisterEntryInvalid, ExpedientInvalid) as error:
            raise RegistrationRefused(str(error), getattr(error, "message_dict", {})) from error
        except (IdempotencyKeyConflict, ExpedientError) as error:
            raise RegistrationRefused(f"{type(error).__name__}: {error}") from error
        except (OperationalError, InterfaceError) as error:
            # A lock that timed out, a database that went away: the submission stays queued and is retried.
            raise RegistrationDeferred(type(error).__name__) from error
        return Filed(
            register_number=entry.reference,
            expedient_number=expedient.reference,
            receipt_csv=entry.receipt_csv or "",
            receipt_url=verification_url(csv=entry.receipt_csv, language=entry.language) if entry.receipt_csv else "",
            registered_at=entry.registered_at,
        )
