"""Shared fixtures: the demo site is built once per test session database where asked."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The full demo content (pages in ca/es/en, groups, workflow)."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
