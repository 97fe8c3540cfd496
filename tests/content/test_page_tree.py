"""Page-tree rules: which page types may live where."""

import pytest

from content import models as m

ALL_TYPES = [
    m.HomePage,
    m.TopicIndexPage,
    m.TopicPage,
    m.LifeEventIndexPage,
    m.LifeEventPage,
    m.TramitIndexPage,
    m.TramitPage,
    m.NewsIndexPage,
    m.NewsPage,
    m.StandardPage,
    m.OfficialTimePage,
    m.CalendarPage,
    m.SitemapPage,
]
ALLOWED_CHILDREN = {
    m.HomePage: {
        m.TopicIndexPage,
        m.LifeEventIndexPage,
        m.TramitIndexPage,
        m.NewsIndexPage,
        m.StandardPage,
        m.OfficialTimePage,
        m.CalendarPage,
        m.SitemapPage,
    },
    m.TopicIndexPage: {m.TopicPage},
    m.LifeEventIndexPage: {m.LifeEventPage},
    m.TramitIndexPage: {m.TramitPage},
    m.NewsIndexPage: {m.NewsPage},
    m.StandardPage: {m.StandardPage},
    m.TopicPage: set(),
    m.LifeEventPage: set(),
    m.TramitPage: set(),
    m.NewsPage: set(),
    m.OfficialTimePage: set(),
    m.CalendarPage: set(),
    m.SitemapPage: set(),
}


@pytest.mark.parametrize("parent", ALL_TYPES, ids=lambda model: model.__name__)
def test_allowed_children(parent):
    allowed = set(parent.allowed_subpage_models())
    assert allowed == ALLOWED_CHILDREN[parent]


def test_home_only_under_root():
    from wagtail.models import Page

    assert set(m.HomePage.allowed_parent_page_models()) == {Page}


def test_singleton_sections_per_home(demo_site):
    home = m.HomePage.objects.filter(locale__language_code="ca").get()
    for model in (m.TopicIndexPage, m.TramitIndexPage, m.NewsIndexPage, m.OfficialTimePage, m.CalendarPage):
        assert not model.can_create_at(home), model.__name__


def test_guide_code_unique_per_language(demo_site):
    from django.core.exceptions import ValidationError

    existing = m.TramitPage.objects.get(code="PADRO-ALTA", locale__language_code="ca")
    index = existing.get_parent()
    clash = m.TramitPage(title="Còpia", slug="copia", code="PADRO-ALTA", summary="x", locale=existing.locale)
    with pytest.raises(ValidationError) as error:
        index.add_child(instance=clash)
    assert "code" in error.value.message_dict
