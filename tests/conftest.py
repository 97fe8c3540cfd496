"""Shared fixtures. The demo site is loaded once into the test database and reused.

The demo is committed to the test database the first time a test asks for it, so every test
that uses it runs after all the tests that do not: those keep their own clean database.
"""

import pytest
from django.core.management import call_command


def pytest_configure(config):
    """A fast password hasher: each PBKDF2 hash costs a quarter of a second, and tests make hundreds."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _ensure_demo() -> None:
    from content.models import HomePage

    # Transactional tests flush the database; load the demo again only when it is gone.
    if not HomePage.objects.exists():
        call_command("load_demo", verbosity=0)


DEMO_FIXTURES = {"demo_site", "_demo_loaded"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests on the demo site last; a stable sort keeps pytest-django's order within each group."""
    items.sort(key=lambda item: bool(DEMO_FIXTURES & set(getattr(item, "fixturenames", ()))))


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_demo()


@pytest.fixture
def demo_site(_demo_loaded, db):
    """The full demo content (pages in ca/es/en, departments, holidays, groups, workflow)."""
    _ensure_demo()


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Files in a temporary folder; static files from the finders, without a collected manifest."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def calendar_seeded(db):
    """The holidays of 2025 to 2028, as `seed_holidays` loads them."""
    from tramits.terminis.calendar import holidays_seed

    for year in (2025, 2026, 2027, 2028):
        holidays_seed(year=year)


@pytest.fixture
def tables_purged(transactional_db):
    """Empty the register and what hangs from it after a transactional test."""
    from tests.helpers.database import purge_tables

    yield
    purge_tables()
