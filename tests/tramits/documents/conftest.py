import pytest
from django.core.cache import cache

from tramits.documents.models import DocumentType
from tramits.documents.services import issued_document_create


@pytest.fixture(autouse=True)
def _plain_static_files_and_empty_cache(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(db):
    return issued_document_create(
        title="Certificat d'empadronament",
        document_type=DocumentType.CERTIFICATE,
        content=b"%PDF-1.7 certificat\x00\xff",
        file_name="certificat.pdf",
        content_type="application/pdf",
        organ="LA0019781",
    )
