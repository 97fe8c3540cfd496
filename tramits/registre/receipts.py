"""The receipt (justificant de registre): an HTML template rendered to PDF, with the CSV code and a QR code."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tramits.catalogue.procedures import get_procedure
from tramits.documents.codes import csv_display
from tramits.documents.pdf import pdf_render
from tramits.registre.models import RegisterEntry
from tramits.terminis.calendar import format_official_instant


def verification_url(*, csv: str, language: str) -> str:
    with translation.override(language):
        path = reverse("documents:verify")
    return f"{settings.SITE_URL}{path}?{urlencode({'csv': csv_display(csv)})}"


def receipt_title(entry: RegisterEntry) -> str:
    with translation.override(entry.language):
        return _("Justificant de registre %(reference)s") % {"reference": entry.reference}


def receipt_html(*, entry: RegisterEntry, csv: str) -> str:
    """The receipt as HTML, in the applicant's language."""
    url = verification_url(csv=csv, language=entry.language)
    procedure = get_procedure(entry.procedure_code) if entry.procedure_code else None
    with translation.override(entry.language):
        return render_to_string(
            "registre/receipt.html",
            {
                "entry": entry,
                "title": receipt_title(entry),
                "registered_at": format_official_instant(entry.registered_at),
                "effective_at": format_official_instant(entry.effective_at) if entry.is_effective_later else "",
                "received_at": format_official_instant(entry.received_at) if entry.received_at else "",
                "procedure_title": procedure.title(entry.language) if procedure else "",
                "unit_name": entry.unit.name if entry.unit_id else entry.unit_name,
                "attachments": list(entry.attachments.all()),
                "csv": csv_display(csv),
                "verification_url": url,
                "qr_data_uri": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
            },
        )


def receipt_pdf(*, entry: RegisterEntry, csv: str) -> bytes:
    """The receipt as PDF bytes."""
    return pdf_render(html=receipt_html(entry=entry, csv=csv), stylesheets=("registre/receipt.css",))
