import pytest

from tramits.terminis.calendar import holidays_seed


@pytest.fixture
def calendar_seeded(db):
    """The holidays of 2025 to 2027, as `seed_holidays` loads them."""
    for year in (2025, 2026, 2027):
        holidays_seed(year=year)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages render without a collected static manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
