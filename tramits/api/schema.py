"""OpenAPI generation limited to the internal API (not Wagtail's admin API)."""

API_PREFIX = "/api/v1/"


def only_internal_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
