"""The OpenAPI schema: generated without warnings, every endpoint documented with its errors."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(tmp_path) -> dict:
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    return yaml.safe_load(target.read_text())


def test_every_endpoint_is_documented_with_its_errors(schema):
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if not path.startswith("/api/v1/cercador/")
        for method, operation in methods.items()
    ]
    assert len(operations) >= 16
    for path, method, operation in operations:
        assert path.startswith("/api/v1/")
        assert operation.get("summary"), (path, method)
        assert {"401", "403"} <= set(operation["responses"]), (path, method)
        assert {"tokenAuth": []} in operation["security"] and {"cookieAuth": []} in operation["security"]


def test_filing_requires_the_idempotency_key_and_multipart(schema):
    create = schema["paths"]["/api/v1/registre/entrades/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    assert list(create["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"200", "201", "400", "409"} <= set(create["responses"])


def test_the_committed_schema_is_current(schema):
    from pathlib import Path

    committed = yaml.safe_load((Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml").read_text())
    assert committed == schema, "run: manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn"
