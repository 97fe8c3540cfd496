"""Writes about accounts: the citizen's profile."""

import logging

from django.db import IntegrityError, transaction

from tramits.accounts.models import User
from tramits.accounts.selectors import document_number_taken

logger = logging.getLogger(__name__)


class DocumentNumberInUse(Exception):
    """Another account already holds this identity document number."""


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    document_type: str,
    document_number: str,
    phone: str,
    postal_address: str,
    notification_email: str,
    language: str,
) -> User:
    """Store the citizen's profile, all or nothing; the document number must be free."""
    if document_number and document_number_taken(number=document_number, exclude_user_id=user.pk):
        raise DocumentNumberInUse
    # A fresh, locked row: the caller's instance (often request.user) stays as it was on failure.
    profile = User.objects.select_for_update().get(pk=user.pk)
    profile.first_name = first_name
    profile.last_name = last_name
    profile.document_type = document_type if document_number else ""
    profile.document_number = document_number or None
    profile.phone = phone
    profile.postal_address = postal_address
    profile.notification_email = notification_email
    profile.language = language
    try:
        with transaction.atomic():
            profile.save(
                update_fields=[
                    "first_name",
                    "last_name",
                    "document_type",
                    "document_number",
                    "phone",
                    "postal_address",
                    "notification_email",
                    "language",
                ]
            )
    except IntegrityError as error:
        # Two accounts claimed the same number at the same time; the constraint decides.
        raise DocumentNumberInUse from error
    logger.info("account.profile_updated user_id=%s", profile.pk)
    return profile
