from django import template

from tramits.terminis.calendar import format_official_instant

register = template.Library()


@register.filter
def official_instant(value) -> str:
    """An instant as the register states it: 22/11/2026 14:03:05 CET (UTC+01:00)."""
    return format_official_instant(value) if value else ""
