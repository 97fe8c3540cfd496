"""Reads about the API's own accounts."""

from tramits.accounts.models import User
from tramits.api.models import ServiceToken


def service_account_has_token(*, email: str) -> bool:
    """Whether the service account with this e-mail exists and holds a token that still works."""
    return ServiceToken.objects.filter(
        account__user__email=User.objects.normalize_email(email), revoked_at__isnull=True
    ).exists()
