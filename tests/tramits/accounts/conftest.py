import pytest
from django.core.cache import cache

from tramits.accounts.models import User

PASSWORD = "Clau-de-prova-2026!"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(db) -> User:
    """A verified citizen who logs in with an e-mail address and a password."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email="marta@example.org", password=PASSWORD, first_name="Marta", last_name="Puig i Solé", language="ca"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
