"""Template tags of the site chrome: language switcher, alert banner, footer, navigation."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from content.models import AlertBanner, SiteFooter

register = template.Library()


def _home_for(language: str) -> Page | None:
    return Page.objects.filter(depth=2, locale__language_code=language).live().first()


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this same page in each language (its translation, else that language's home)."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    # One query for every live translation of the page, instead of two per language.
    translations = (
        {
            other.locale.language_code: other
            for other in Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
        }
        if isinstance(page, Page)
        else {}
    )
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            target = translations.get(code) or _home_for(code)
            url = target.get_url(request) if target else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code) if request else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": links}


@register.simple_tag
def alert_banner():
    return AlertBanner.current(Locale.get_active())


@register.simple_tag
def site_footer():
    return SiteFooter.for_locale(Locale.get_active())


@register.simple_tag(takes_context=True)
def site_home(context):
    return _home_for(translation.get_language()) or _home_for(settings.LANGUAGE_CODE)


@register.simple_tag
def main_sections(home):
    if home is None:
        return []
    return home.get_children().live().in_menu()
