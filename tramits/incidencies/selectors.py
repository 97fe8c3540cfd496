"""Reads of technical incidents."""

from django.db.models import QuerySet

from tramits.incidencies.models import TechnicalIncident


def incidents_published() -> QuerySet[TechnicalIncident]:
    """The incidents the seu publishes, newest first."""
    return TechnicalIncident.objects.filter(published=True).order_by("-started_at", "-pk")
