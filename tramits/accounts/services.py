"""Writes about accounts: the citizen's profile."""

import logging

from allauth.account.models import EmailAddress
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


@transaction.atomic
def account_email_adopt(*, user: User) -> bool:
    """Record the login address of an account created outside sign-up as verified.

    Sign-up (with a password or through the identity broker) always records the address; an
    account without any was created in the admin, by `createsuperuser` or by the demo loader,
    and whoever created it vouches for the address. Returns whether a record was added.
    """
    if EmailAddress.objects.filter(user=user).exists():
        return False
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    logger.info("account.email_adopted user_id=%s", user.pk)
    return True
