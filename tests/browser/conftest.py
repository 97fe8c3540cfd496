"""Fixtures of the browser checks: the demo site on a live server, one Chromium for the session, axe-core.

The checks only read pages, so they use the demo content that the shared `_demo_loaded` fixture
commits once into the test database, and each test runs in the usual rolled-back transaction;
reloading the whole demo site for every page and language would dominate the run time.

The server is pytest-django's own `LiveServer`, started here rather than through the `live_server`
fixture: any test that requests that fixture, even indirectly, becomes a transactional test whose
teardown flushes the database, which would drop the demo content after the first check.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test.utils import override_settings

# Playwright's sync API runs an event loop in the main thread; the ORM calls made by the fixtures
# are still synchronous and safe there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"

LANGUAGES = ["ca", "es", "en"]
GUIDE_CODE = "PADRO-ALTA"
SEARCH_QUERY = "padró"
LEGAL_NOTICE_SLUGS = ["avis-legal", "aviso-legal", "legal-notice"]

# Every public page type, by a short name used in test ids.
PAGE_KINDS = [
    "home",
    "topic_index",
    "topic",
    "life_event_index",
    "life_event",
    "tramit_index",
    "tramit",
    "news_index",
    "news",
    "legal_notice",
    "official_time",
    "calendar",
    "sitemap",
    "search",
    "login",
    "signup",
    "password_reset",
    "finder",
    "finder_outcome",
    "assistant",
    "verify",
    "incidents",
    "not_found",
]


def _first_live(model, locale):
    return model.objects.live().filter(locale=locale).order_by("path").first()


def public_paths() -> dict[tuple[str, str], str]:
    """The path of one page of each kind in each language, read from the loaded content."""
    from wagtail.models import Locale

    from content import models as pages

    by_model = {
        "home": pages.HomePage,
        "topic_index": pages.TopicIndexPage,
        "topic": pages.TopicPage,
        "life_event_index": pages.LifeEventIndexPage,
        "life_event": pages.LifeEventPage,
        "tramit_index": pages.TramitIndexPage,
        "news_index": pages.NewsIndexPage,
        "news": pages.NewsPage,
        "official_time": pages.OfficialTimePage,
        "calendar": pages.CalendarPage,
        "sitemap": pages.SitemapPage,
    }
    legal_ca = (
        pages.StandardPage.objects.live().filter(locale__language_code="ca", slug__in=LEGAL_NOTICE_SLUGS).first()
        or pages.StandardPage.objects.live().filter(locale__language_code="ca").order_by("path").first()
    )
    paths: dict[tuple[str, str], str] = {}
    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        for kind, model in by_model.items():
            page = _first_live(model, locale)
            if page is not None:
                paths[kind, language] = page.get_url()
        guide = pages.TramitPage.objects.live().filter(locale=locale, code=GUIDE_CODE).first()
        if guide is not None:
            paths["tramit", language] = guide.get_url()
        legal = legal_ca.get_translation_or_none(locale) if legal_ca else None
        if legal is not None and legal.live:
            paths["legal_notice", language] = legal.get_url()
        paths["search", language] = f"/{language}/cerca/?q={quote(SEARCH_QUERY)}"
        paths["login", language] = f"/{language}/comptes/login/"
        paths["signup", language] = f"/{language}/comptes/signup/"
        paths["password_reset", language] = f"/{language}/comptes/password/reset/"
        paths["finder", language] = f"/{language}/cercador/"
        paths["finder_outcome", language] = f"/{language}/cercador/?resposta=impostos&resposta=banc"
        paths["assistant", language] = f"/{language}/cercador/assistent/"
        paths["verify", language] = f"/{language}/verificar/"
        paths["incidents", language] = f"/{language}/incidencies/"
        paths["not_found", language] = f"/{language}/aquesta-pagina-no-existeix/"
    return paths


class Site:
    """The running site: its base URL and the path of each public page."""

    def __init__(self, url: str, paths: dict[tuple[str, str], str], thread=None):
        self.url = url
        self.paths = paths
        self.thread = thread  # the LiveServerThread serving this site

    def path(self, kind: str, language: str) -> str:
        try:
            return self.paths[kind, language]
        except KeyError:
            pytest.fail(f"The demo content has no {kind!r} page in {language!r}")

    def absolute(self, kind: str, language: str) -> str:
        return self.url + self.path(kind, language)


@pytest.fixture(scope="session")
def site(request, _demo_loaded, django_db_blocker) -> Iterator[Site]:
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        paths = public_paths()
    # The server thread reads the database only while a test (marked django_db) is running.
    server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    test_settings = override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"],
        # No manifest in tests: the live server serves static files from the finders.
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}},
    )
    try:
        with test_settings:
            yield Site(server.url, paths, server.thread)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (`make test` installs it).")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci --prefix tests/browser`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="ca-ES")
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def axe_violations(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the loaded page with the rules of these tags (WCAG 2.0-2.2 A/AA by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def duplicate_ids(page) -> list[str]:
    """Ids used more than once: axe no longer reports them (WCAG 2.2 dropped 4.1.1), labels still break."""
    return page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
            return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        }"""
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)
