"""Writes of the wizards: file a draft as a submission, discard a draft, clean abandoned drafts."""

import datetime as dt
import logging
import time
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from tramits.accounts.selectors import applicant_identity
from tramits.registre.models import AttachmentKind, IdentificationMethod
from tramits.submissions.application import application_document, application_files_store
from tramits.submissions.models import Status, Submission, submission_reference
from tramits.submissions.services import FileRef, submission_create, submission_register, submission_register_later
from tramits.wizards import conf
from tramits.wizards.models import Draft
from tramits.wizards.uploads import upload_delete

logger = logging.getLogger(__name__)

FiledFile = FileRef
# A repeated final POST waits this long for the first one's registration, to show the numbers too.
WAIT_FOR_PARALLEL_SECONDS = 5.0


class DraftNotFound(Exception):
    """The draft was deleted (cleaned, discarded on another device) before it was filed."""


class ApplicantIncomplete(Exception):
    """The account has no proven name and identity document yet: the profile must be completed first."""


def idempotency_key_for(draft_key: uuid.UUID | str) -> str:
    return f"wizard-draft-{draft_key}"


def draft_submission(*, user, draft_key: str) -> Submission | None:
    """The submission filed from the draft with this key, if any (a repeated final POST)."""
    try:
        key = uuid.UUID(str(draft_key))
    except ValueError:
        return None
    return Submission.objects.filter(user=user, idempotency_key=idempotency_key_for(key)).first()


def draft_submit(
    *,
    user,
    draft_key: uuid.UUID,
    procedure_code: str,
    subject: str,
    answers: dict,
    steps: list[dict],
    contact: dict,
    files: Sequence[FileRef],
    language: str,
    extra: dict | None = None,
    represented=None,
) -> Submission:
    """File a draft: store the submission and drop the draft in one transaction, then register it.

    The applicant is the account's proven identity, whatever a form said; or, with `represented` (an
    accepted representation in force), the person represented, and the account is the representative.
    The structured application and its PDF are made before the transaction (nothing slow runs while
    rows are locked) and deleted again if it does not commit. Ten identical final POSTs give one
    submission: the key comes from the draft, the draft row is locked, and whoever comes second finds
    the submission by its key. The registration runs after the commit, outside any transaction; if
    the register cannot be reached the submission stays queued.
    """
    key = idempotency_key_for(draft_key)
    existing = Submission.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _wait_for_registration(existing)
    applicant = applicant_identity(user=user)
    if applicant is None:
        raise ApplicantIncomplete(user.pk)
    if represented is not None:
        extra = {**(extra or {}), "representative": applicant}
        applicant = {
            "name": represented.represented_name,
            "document_type": represented.represented_document_type,
            "document_number": represented.represented_document_number,
            "identified_by": IdentificationMethod.REPRESENTED,
        }
    reference = submission_reference()
    document = application_document(
        reference=reference,
        procedure_code=procedure_code,
        language=language,
        received_at=timezone.now(),
        applicant={**applicant, **contact},
        representative=(extra or {}).get("representative"),
        steps=steps,
        documents=[
            {
                "step": item.step,
                "field": item.field,
                "label": item.label,
                "name": item.name,
                "size": item.size,
                "sha256": item.sha256,
            }
            for item in files
        ],
    )
    data, pdf = application_files_store(document=document, language=language)
    created = new = False
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().filter(key=draft_key, user=user).first()
            existing = Submission.objects.filter(idempotency_key=key).first()
            if existing is not None:
                submission = existing
            elif draft is None:
                raise DraftNotFound(draft_key)
            else:
                submission, new = submission_create(
                    user=user,
                    reference=reference,
                    procedure_code=procedure_code,
                    idempotency_key=key,
                    subject=subject,
                    answers=answers,
                    application=document,
                    applicant={**applicant, **contact},
                    files=[
                        *(
                            FileRef(
                                step="",
                                field=field,
                                label=label,
                                stored_name=stored.stored_name,
                                name=stored.name,
                                content_type=stored.content_type,
                                size=stored.size,
                                sha256=stored.sha256,
                                kind=kind,
                            )
                            for field, label, stored, kind in (
                                ("dades", "Sol·licitud (dades)", data, AttachmentKind.APPLICATION_DATA),
                                ("formulari", "Sol·licitud", pdf, AttachmentKind.APPLICATION_FORM),
                            )
                        ),
                        *files,
                    ],
                    language=language,
                    extra=extra,
                )
                draft.delete()
        created = new  # only once committed: a rolled-back submission leaves no file behind
    finally:
        if not created:
            upload_delete(data.stored_name)
            upload_delete(pdf.stored_name)
    if created:
        submission = submission_register(submission_id=submission.pk)
        if submission.status == Status.RECEIVED:
            submission_register_later(submission=submission)
        return submission
    return _wait_for_registration(submission)


def _wait_for_registration(submission: Submission) -> Submission:
    deadline = time.monotonic() + WAIT_FOR_PARALLEL_SECONDS
    while submission.status == Status.REGISTERING and time.monotonic() < deadline:
        time.sleep(0.1)
        submission.refresh_from_db()
    return submission


def draft_discard(*, user, procedure_code: str) -> bool:
    """Delete the citizen's draft of a procedure and its files ("start again")."""
    draft = Draft.objects.filter(user=user, procedure_code=procedure_code).first()
    if draft is None:
        return False
    names = draft.stored_file_names()
    deleted, _ = Draft.objects.filter(pk=draft.pk, updated_at=draft.updated_at).delete()
    if deleted:
        for name in names:
            upload_delete(name)
    return bool(deleted)


def drafts_abandoned_delete(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Delete drafts untouched for WIZARD_DRAFT_TTL_DAYS and their files; safe to run twice or concurrently.

    A row is deleted only if it was not saved again meanwhile; its files go after the row, so a
    draft is never left pointing at missing files.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=conf.draft_ttl_days())
    removed = 0
    for draft in Draft.objects.filter(updated_at__lt=cutoff).order_by("updated_at")[:limit]:
        names = draft.stored_file_names()
        deleted, _ = Draft.objects.filter(pk=draft.pk, updated_at=draft.updated_at).delete()
        if not deleted:
            continue
        for name in names:
            upload_delete(name)
        removed += 1
    if removed:
        logger.info("wizards.drafts_cleaned count=%s", removed)
    return removed
