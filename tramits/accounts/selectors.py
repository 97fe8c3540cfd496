"""Reads about accounts."""

from tramits.accounts.models import User


def document_number_taken(*, number: str, exclude_user_id: int | None = None) -> bool:
    """Whether another account already holds this (normalised) identity document number."""
    users = User.objects.filter(document_number=number)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()


def applicant_identity(*, user) -> dict | None:
    """The applicant of a citizen's filing as the login and the verified profile prove it; None if incomplete.

    A filing never takes the name or the document number from what was typed in a form.
    """
    from tramits.accounts.identity import identification_method_of

    name = user.get_full_name().strip()
    if not (name and user.document_number and user.document_type):
        return None
    return {
        "name": name,
        "document_type": user.document_type,
        "document_number": user.document_number,
        "identified_by": identification_method_of(user=user),
    }
