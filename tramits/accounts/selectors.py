"""Reads about accounts."""

from tramits.accounts.models import User


def document_number_taken(*, number: str, exclude_user_id: int | None = None) -> bool:
    """Whether another account already holds this (normalised) identity document number."""
    users = User.objects.filter(document_number=number)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()
