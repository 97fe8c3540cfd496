"""Factories of technical incidents and of the submissions they count."""

import datetime as dt

import factory
from django.utils import timezone

from tests.tramits.expedients.factories import UserFactory
from tramits.incidencies.models import IncidentKind, TechnicalIncident
from tramits.submissions.models import Submission


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A stored submission, as the wizard's final POST leaves it before registration."""

    class Meta:
        model = Submission

    user = factory.SubFactory(UserFactory)
    procedure_code = "GEN-INSTANCIA"
    idempotency_key = factory.Sequence(lambda n: f"clau-{n:06d}")
    subject = "Instància genèrica"


class TechnicalIncidentFactory(factory.django.DjangoModelFactory):
    """A hand-made incident, closed, published; traits for the other states."""

    class Meta:
        model = TechnicalIncident

    kind = IncidentKind.OTHER
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=3))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(hours=1))
    description = "La passarel·la de signatura no responia."

    class Params:
        open = factory.Trait(ended_at=None)
        unpublished = factory.Trait(published=False)
        register_outage = factory.Trait(kind=IncidentKind.REGISTER_UNREACHABLE, description="")
