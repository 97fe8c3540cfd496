"""Reads of representations, and the expedients a citizen may see: their own and their represented persons'."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from tramits.expedients.models import Expedient, InterestedParty, InterestedRole
from tramits.representacions.models import Representation, RepresentationScope, RepresentationState
from tramits.terminis.calendar import official_today

# The roles in which a person's own expedient names them; a representative role is acting for someone else.
_OWN_ROLES = (InterestedRole.APPLICANT.value, InterestedRole.OTHER.value)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def represented_for(*, user, on: dt.date | None = None) -> QuerySet[Representation]:
    """The accepted representations the user holds that are in force on `on` (today by default)."""
    if not _authenticated(user):
        return Representation.objects.none()
    on = on or official_today()
    return (
        Representation.objects.filter(representative_id=user.pk, state=RepresentationState.ACCEPTED, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("represented_name", "pk")
    )


def representations_of(*, user) -> QuerySet[Representation]:
    """Every representation the user holds or has given, for "Les meves representacions"."""
    if not _authenticated(user):
        return Representation.objects.none()
    return (
        Representation.objects.filter(Q(representative_id=user.pk) | Q(represented_user_id=user.pk))
        .select_related("representative", "expedient")
        .order_by("-requested_at", "-pk")
    )


def representations_requested() -> QuerySet[Representation]:
    """Requests waiting for staff, oldest first."""
    return Representation.objects.filter(state=RepresentationState.REQUESTED).order_by("requested_at", "pk")


def _parties(document_numbers: Sequence[str]) -> QuerySet[InterestedParty]:
    return InterestedParty.objects.filter(
        expedient=OuterRef("pk"), role__in=_OWN_ROLES, document_number__in=list(document_numbers)
    )


def _represented_condition(representations: Sequence[Representation]) -> Q | None:
    """Expedients in which a represented person is party (not as someone's representative), within scope."""
    condition: Q | None = None
    for_all = [rep.represented_document_number for rep in representations if rep.scope == RepresentationScope.ALL]
    if for_all:
        condition = Q(Exists(_parties(for_all)))
    for rep in representations:
        if rep.scope == RepresentationScope.PROCEDURES:
            part = Q(Exists(_parties([rep.represented_document_number]))) & Q(
                procedure_code__in=list(rep.procedure_codes or [])
            )
            condition = part if condition is None else condition | part
    return condition


def expedients_for(*, user, representations: Sequence[Representation] | None = None) -> QuerySet[Expedient]:
    """The carpeta's expedients: the user's own and those of the persons they represent, newest first.

    Each row carries `is_own`, `represented_document` (the represented person's document number
    when it is not the user's own) and `filed_for` (the applicant's name when the user filed as
    their representative), so the list can say whose it is without more queries.
    Pass `representations` (from `represented_for`) when the caller has them already.
    """
    if not _authenticated(user):
        return Expedient.objects.none()
    own_party = InterestedParty.objects.filter(expedient=OuterRef("pk"), user_id=user.pk)
    own = Q(citizen_id=user.pk) | Q(Exists(own_party))
    if representations is None:
        representations = list(represented_for(user=user))
    represented = _represented_condition(representations)
    # Filed by the user as someone's representative: the row names the applicant they acted for.
    acting_as_representative = InterestedParty.objects.filter(
        expedient=OuterRef("pk"), user_id=user.pk, role=InterestedRole.REPRESENTATIVE
    )
    applicant = InterestedParty.objects.filter(expedient=OuterRef("pk"), role=InterestedRole.APPLICANT).order_by("pk")
    queryset = Expedient.objects.filter(own | represented if represented is not None else own).annotate(
        is_own=ExpressionWrapper(own, output_field=BooleanField()),
        filed_for=Case(
            When(Exists(acting_as_representative), then=Subquery(applicant.values("name")[:1])),
            default=Value(""),
            output_field=CharField(),
        ),
    )
    if represented is not None:
        documents = [rep.represented_document_number for rep in representations]
        queryset = queryset.annotate(
            represented_document=Subquery(_parties(documents).order_by("pk").values("document_number")[:1])
        )
    return queryset.order_by("-opened_at", "-pk")


def expedient_visible(*, user, expedient: Expedient) -> bool:
    """Whether the expedient is in the user's carpeta (their own, or a represented person's within scope)."""
    return expedients_for(user=user).filter(pk=expedient.pk).exists()


def representation_of_document(
    *, representations: Sequence[Representation], document_number: str | None
) -> Representation | None:
    return next((rep for rep in representations if rep.represented_document_number == document_number), None)
