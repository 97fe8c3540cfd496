"""Settings come from environment variables, with the embedded default when they are absent."""

import os
import subprocess
import sys

import pytest

SNIPPET = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
    "s.CACHES['default']['BACKEND'], s.DEBUG, s.STORAGES['default']['BACKEND']]))"
)


def settings_with(**env) -> list:
    import json

    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "REDIS_URL", "DEBUG", "AWS_STORAGE_BUCKET_NAME",
        "CELERY_TASK_ALWAYS_EAGER",
    }}  # fmt: skip
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    out = subprocess.run([sys.executable, "-c", SNIPPET], env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default():
    engine, eager, email, cache, debug, storage = settings_with()
    assert engine == "django.db.backends.sqlite3"
    assert eager is True
    assert email.endswith("console.EmailBackend")
    assert cache.endswith("LocMemCache")
    assert debug is False
    assert storage.endswith("FileSystemStorage")


def test_production_variables():
    engine, eager, email, cache, _debug, storage = settings_with(
        DATABASE_URL="postgres://u:p@db:5432/seu",
        CELERY_BROKER_URL="redis://r:6379/0",
        EMAIL_HOST="smtp.example.org",
        REDIS_URL="redis://r:6379/1",
        AWS_STORAGE_BUCKET_NAME="seu",
    )
    assert engine == "django.db.backends.postgresql"
    assert eager is False
    assert email.endswith("smtp.EmailBackend")
    assert cache.endswith("RedisCache")
    assert storage == "storages.backends.s3.S3Storage"


@pytest.mark.django_db
def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
