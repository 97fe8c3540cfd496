"""`GET /api/v1/cercador/`: the contract, its limits, bad input and the rate limit."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

API = "/api/v1/cercador/"


def test_shape_order_and_limit(client, demo_site):
    response = client.get(API, {"q": "padró", "lang": "ca"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["results"]
    results = body["results"]
    assert 1 <= len(results) <= 10
    for item in results:
        assert set(item) == {"codi", "titol", "url", "score"}
        assert isinstance(item["score"], float) and 0 < item["score"] <= 1
        assert item["url"].startswith("http")
    scores = [item["score"] for item in results]
    assert scores == sorted(scores, reverse=True)


def test_best_first_and_in_the_requested_language(client, demo_site):
    ca = client.get(API, {"q": "canvi de domicili", "lang": "ca"}).json()["results"][0]
    es = client.get(API, {"q": "canvi de domicili", "lang": "es"}).json()["results"][0]
    assert ca["codi"] == es["codi"] == "PADRO-CANVI-DOMICILI"
    assert ca["titol"] == "Canvi de domicili dins de Lleida"
    assert es["titol"] == "Cambio de domicilio dentro de Lleida"
    assert "/es/" in es["url"]


def test_language_defaults_to_catalan(client, demo_site):
    first = client.get(API, {"q": "gual"}).json()["results"][0]
    assert first["codi"] == "MOB-GUAL" and "/ca/" in first["url"]


def test_anonymous_even_with_a_bad_token(client, demo_site):
    response = client.get(API, {"q": "volant"}, HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 200


def test_nothing_found_is_an_empty_list(client, demo_site):
    response = client.get(API, {"q": "qwertyuiopzxcv", "lang": "en"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 5000}, "q"),
        ({"q": "padr\x00ó"}, "q"),
        ({"q": "padró", "lang": "fr"}, "lang"),
    ],
)
def test_bad_input_is_a_clear_400(client, demo_site, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "query", ["   ", "%%%", "' OR 1=1 --", "<script>alert(1)</script>", "🙂" * 50, "a b c d e f g"]
)
def test_odd_queries_never_fail(client, demo_site, query):
    response = client.get(API, {"q": query})
    assert response.status_code in {200, 400}
    assert b"<script>" not in response.content


def test_rate_limited_per_client(client, demo_site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"finder": "3/minute"}}
    codes = [client.get(API, {"q": "volant"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Retry-After" in client.get(API, {"q": "volant"})


def test_documented_in_the_committed_openapi_file():
    schema = yaml.safe_load(Path(settings.BASE_DIR, "docs", "openapi.yaml").read_text(encoding="utf-8"))
    operation = schema["paths"]["/api/v1/cercador/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"q", "lang"}
    assert operation["security"] == [{}]
    assert {"200", "400", "429"} <= set(operation["responses"])
