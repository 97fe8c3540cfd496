"""Keyboard, no-JavaScript, narrow-screen and language journeys through the public site."""

import re

import pytest

from tests.browser.conftest import SEARCH_QUERY

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_skip_link_is_first_and_moves_focus_to_main(site, page):
    page.goto(site.absolute("home", "ca"))

    page.keyboard.press("Tab")

    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {cls: el.className, href: el.getAttribute("href"), left: box.left, top: box.top,
                    width: box.width, height: box.height, vw: window.innerWidth, vh: window.innerHeight};
        }"""
    )
    assert focused["cls"] == "skip-link"
    assert focused["href"] == "#contingut"
    # Visible once focused: inside the viewport and not collapsed.
    assert focused["width"] > 0 and focused["height"] > 0
    assert 0 <= focused["left"] < focused["vw"] and 0 <= focused["top"] < focused["vh"]

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "contingut"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="ca-ES")
    yield context.new_page()
    context.close()


def test_site_works_without_javascript(site, no_js_page):
    page = no_js_page
    assert page.goto(site.absolute("home", "ca")).status == 200
    assert page.locator("main#contingut h1").count() == 1

    assert page.goto(site.absolute("tramit", "ca")).status == 200
    online = page.locator("main a.button--primary").first
    assert online.get_attribute("href").startswith("/ca/tramitar/PADRO-ALTA/")

    # The header search form submits as plain HTML.
    page.goto(site.absolute("home", "ca"))
    page.locator("header form[role=search] input[name=q]").fill(SEARCH_QUERY)
    with page.expect_navigation():
        page.locator("header form[role=search] button[type=submit]").click()
    assert "/ca/cerca/" in page.url
    result_links = page.locator("main .search-results a")
    assert result_links.count() > 0
    assert site.path("tramit", "ca") in [result_links.nth(i).get_attribute("href") for i in range(result_links.count())]


@pytest.mark.parametrize("kind", ["home", "tramit"])
def test_no_horizontal_scroll_at_320_px(site, browser, kind):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="ca-ES")
    try:
        page = context.new_page()
        page.goto(site.absolute(kind, "ca"))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{kind} page is {scroll_width}px wide at a 320px viewport"
    finally:
        context.close()


def test_language_switcher_opens_the_same_guide_in_spanish(site, page):
    page.goto(site.absolute("tramit", "ca"))

    with page.expect_navigation():
        page.locator("nav.language-switcher a[hreflang=es]").click()

    assert page.url == site.absolute("tramit", "es")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert re.search(r"PADRO-ALTA", page.locator("main").inner_text())
