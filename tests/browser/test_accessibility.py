"""Every public page type, in each language, has no WCAG 2.x A/AA violation that axe-core can find."""

import pytest

from tests.browser.conftest import LANGUAGES, PAGE_KINDS, axe_violations, describe_violations, duplicate_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_axe_violations(site, page, kind, language):
    response = page.goto(site.absolute(kind, language), wait_until="load")

    assert response is not None
    assert response.status == (404 if kind == "not_found" else 200), response.url
    assert page.evaluate("document.documentElement.lang") == language
    violations = axe_violations(page)
    assert not violations, f"{len(violations)} axe violations on {response.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_structure(site, page, kind):
    """Landmarks, headings and ids (axe best practices): the templates are shared, so Catalan stands for all."""
    page.goto(site.absolute(kind, "ca"), wait_until="load")

    assert duplicate_ids(page) == []
    violations = axe_violations(page, ["best-practice"])
    assert not violations, f"{len(violations)} axe best-practice violations:\n{describe_violations(violations)}"


def test_axe_reports_a_known_violation(browser):
    """Guards the harness itself: with these tags axe must catch a page without language or alt text."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<!DOCTYPE html><html><head><title>x</title></head><body><img src="data:,"></body></html>')
        ids = {violation["id"] for violation in axe_violations(page)}
    finally:
        context.close()
    assert {"html-has-lang", "image-alt"} <= ids
