"""PDF documents of the seu: HTML rendered by WeasyPrint, with the house stylesheets parsed once per thread.

Parsing the stylesheets took about half of each render; a receipt or an application's copy now
costs only its own layout. The font configuration and the parsed sheets are kept per thread,
since WeasyPrint's objects are not meant to be shared between threads.
"""

import threading

import weasyprint
from django.conf import settings
from django.template.loader import get_template
from weasyprint.text.fonts import FontConfiguration

BASE_STYLESHEET = "documents/pdf/base.css"

_local = threading.local()


def _fonts() -> FontConfiguration:
    if getattr(_local, "fonts", None) is None:
        _local.fonts, _local.sheets = FontConfiguration(), {}
    return _local.fonts


def _stylesheet(name: str) -> weasyprint.CSS:
    fonts = _fonts()
    if name not in _local.sheets:
        source = get_template(name).template.source
        _local.sheets[name] = weasyprint.CSS(string=source, font_config=fonts)
    return _local.sheets[name]


def pdf_render(*, html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF of `html` with the house stylesheet and these template stylesheets after it."""
    sheets = [_stylesheet(name) for name in (BASE_STYLESHEET, *stylesheets)]
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=sheets, font_config=_fonts()
    )
