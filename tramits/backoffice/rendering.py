"""PDF documents the back office produces: notes, resolutions and the printable index."""

import segno
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from tramits.documents.codes import csv_display
from tramits.expedients.models import Expedient
from tramits.expedients.selectors import ExpedientIndex
from tramits.registre.receipts import verification_url
from tramits.terminis.calendar import format_official_instant


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def note_pdf(*, expedient: Expedient, text: str, author: str) -> bytes:
    return _pdf(
        "backoffice/pdf/note.html",
        {"expedient": expedient, "text": text, "author": author, "at": format_official_instant(timezone.now())},
    )


def resolution_pdf(*, expedient: Expedient, title: str, text: str, author: str, csv: str) -> bytes:
    """The resolution with its CSV code and a QR code to the verification page printed on it."""
    url = verification_url(csv=csv, language="ca")
    return _pdf(
        "backoffice/pdf/resolution.html",
        {
            "expedient": expedient,
            "title": title,
            "text": text,
            "author": author,
            "at": format_official_instant(timezone.now()),
            "csv": csv_display(csv),
            "verification_url": url,
            "qr_data_uri": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
        },
    )


def index_pdf(*, expedient: Expedient, index: ExpedientIndex) -> bytes:
    return _pdf(
        "backoffice/pdf/index.html",
        {"expedient": expedient, "index": index, "at": format_official_instant(timezone.now())},
    )
