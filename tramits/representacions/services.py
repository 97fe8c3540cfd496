"""Writes of representations: requested by the representative, decided by staff, revoked by either citizen."""

import datetime as dt
import logging
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tramits.accounts.identity import guess_type, validate_document
from tramits.accounts.models import User
from tramits.catalogue.procedures import get_procedure
from tramits.expedients.models import Event, EventKind, Expedient
from tramits.representacions.models import (
    LIVE_STATES,
    REPRESENTATION_PROCEDURE,
    Representation,
    RepresentationScope,
    RepresentationState,
)
from tramits.terminis.calendar import official_today

logger = logging.getLogger(__name__)


class RepresentationError(Exception):
    """Base of the representations' domain errors."""


class RepresentationInvalid(ValidationError, RepresentationError):
    """The request is not valid; the messages say why, per field, in the active language."""


class RepresentationNotPending(RepresentationError):
    """Only a requested representation can be accepted or rejected."""


class RepresentationNotLive(RepresentationError):
    """Only a requested or accepted representation can be revoked."""


class RepresentationPermissionDenied(PermissionDenied, RepresentationError):
    """Staff decide; only the representative or the represented person revoke."""


def _event(representation: Representation, kind: str, *, actor, at: dt.datetime, description: str = "") -> None:
    """The decision as evidence on the GEN-REPRESENTACIO expedient, when there is one."""
    if representation.expedient_id is None:
        return
    expedient = representation.expedient
    Event.objects.create(
        expedient=expedient,
        created_at=at,
        actor=actor,
        department=expedient.department if actor is not None and actor.is_staff else None,
        kind=kind,
        description=(description or "")[:500],
        params={
            "representation": representation.pk,
            "scope": representation.scope,
            "procedure_codes": list(representation.procedure_codes or []),
            "valid_from": representation.valid_from.isoformat(),
            "valid_until": representation.valid_until.isoformat() if representation.valid_until else None,
        },
    )


def _locked(representation: Representation) -> Representation:
    return (
        Representation.objects.select_for_update(of=("self",))
        .select_related("expedient__department")
        .get(pk=representation.pk)
    )


def _refresh(target: Representation, source: Representation) -> Representation:
    for field in Representation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return source


def representation_request(
    *,
    representative: User,
    represented_name: str,
    represented_document_number: str,
    represented_document_type: str = "",
    scope: RepresentationScope | str = RepresentationScope.ALL,
    procedure_codes: Sequence[str] = (),
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    expedient: Expedient | None = None,
) -> Representation:
    """Record a request to act for another person; staff accept or reject it (GEN-REPRESENTACIO)."""
    errors: dict[str, list[str]] = {}
    name = " ".join((represented_name or "").split())
    if not name or len(name) > 200:
        errors["represented_name"] = [_("Cal el nom i cognoms de la persona representada (com a molt 200 caràcters).")]
    document_type = represented_document_type or guess_type(represented_document_number)
    number = ""
    try:
        number = validate_document(represented_document_number, document_type)
    except ValidationError as error:
        errors["represented_document_number"] = error.messages
    if number and number == (representative.document_number or ""):
        errors["represented_document_number"] = [_("No podeu sol·licitar representar-vos a vós mateix.")]
    codes = sorted({(code or "").strip().upper() for code in procedure_codes if (code or "").strip()})
    if scope not in RepresentationScope.values:
        errors["scope"] = [_("Abast de la representació desconegut.")]
    elif scope == RepresentationScope.PROCEDURES and not codes:
        errors["procedure_codes"] = [_("Indiqueu almenys un tràmit.")]
    elif scope == RepresentationScope.ALL:
        codes = []
    unknown = [code for code in codes if get_procedure(code) is None]
    if unknown:
        errors["procedure_codes"] = [_("Aquests tràmits no existeixen: %(codes)s.") % {"codes": ", ".join(unknown)}]
    today = official_today()
    valid_from = valid_from or today
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("La data final no pot ser anterior a la inicial.")]
    if expedient is not None and expedient.procedure_code != REPRESENTATION_PROCEDURE:
        errors["expedient"] = [_("L'expedient ha de ser d'una sol·licitud de representació.")]
    if errors:
        raise RepresentationInvalid(errors)
    duplicate = RepresentationInvalid(
        {"represented_document_number": [_("Ja teniu una representació sol·licitada o vigent per a aquesta persona.")]}
    )
    represented_user = User.objects.filter(document_number=number).exclude(pk=representative.pk).first()
    try:
        with transaction.atomic():
            if Representation.objects.filter(
                representative=representative, represented_document_number=number, state__in=LIVE_STATES
            ).exists():
                raise duplicate
            representation = Representation.objects.create(
                representative=representative,
                represented_name=name,
                represented_document_type=document_type,
                represented_document_number=number,
                represented_user=represented_user,
                scope=scope,
                procedure_codes=codes,
                valid_from=valid_from,
                valid_until=valid_until,
                expedient=expedient,
            )
    except IntegrityError:
        raise duplicate from None
    logger.info("representacions.requested representation=%s representative=%s", representation.pk, representative.pk)
    return representation


def representation_expedient_attach(*, representation: Representation, expedient: Expedient) -> Representation:
    """Link the request to its GEN-REPRESENTACIO expedient once the filing has opened it."""
    if expedient.procedure_code != REPRESENTATION_PROCEDURE:
        raise RepresentationInvalid({"expedient": [_("L'expedient ha de ser d'una sol·licitud de representació.")]})
    with transaction.atomic():
        current = _locked(representation)
        if current.expedient_id not in (None, expedient.pk):
            raise RepresentationInvalid({"expedient": [_("La representació ja té un altre expedient.")]})
        current.expedient = expedient
        current.save(update_fields=["expedient"])
    return _refresh(representation, current)


def _require_staff(actor) -> None:
    if actor is not None and not (actor.is_active and actor.is_staff):
        raise RepresentationPermissionDenied(_("Només el personal de l'Ajuntament pot resoldre una representació."))


def representation_accept(
    *, representation: Representation, actor, valid_until: dt.date | None = None
) -> Representation:
    """Staff accept the representation; from then on the representative sees and acts for that person."""
    _require_staff(actor)
    now = timezone.now()
    with transaction.atomic():
        current = _locked(representation)
        if current.state != RepresentationState.REQUESTED:
            raise RepresentationNotPending(current.pk)
        if valid_until is not None:
            if valid_until < current.valid_from:
                raise RepresentationInvalid({"valid_until": [_("La data final no pot ser anterior a la inicial.")]})
            current.valid_until = valid_until
        current.state = RepresentationState.ACCEPTED
        current.decided_at = now
        current.decided_by = actor
        current.save(update_fields=["state", "decided_at", "decided_by", "valid_until"])
        _event(current, EventKind.REPRESENTATION_ACCEPTED, actor=actor, at=now)
    logger.info("representacions.accepted representation=%s", current.pk)
    return _refresh(representation, current)


def representation_reject(*, representation: Representation, actor, reason: str) -> Representation:
    """Staff reject the request, saying why."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RepresentationInvalid({"reason": [_("Cal indicar el motiu.")]})
    now = timezone.now()
    with transaction.atomic():
        current = _locked(representation)
        if current.state != RepresentationState.REQUESTED:
            raise RepresentationNotPending(current.pk)
        current.state = RepresentationState.REJECTED
        current.decided_at = now
        current.decided_by = actor
        current.decision_reason = reason
        current.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
        _event(current, EventKind.REPRESENTATION_REJECTED, actor=actor, at=now, description=reason)
    logger.info("representacions.rejected representation=%s", current.pk)
    return _refresh(representation, current)


def representation_revoke(*, representation: Representation, actor: User) -> Representation:
    """The representative renounces, or the represented person withdraws it; effective at once."""
    now = timezone.now()
    with transaction.atomic():
        current = _locked(representation)
        if actor is None or actor.pk not in (current.representative_id, current.represented_user_id):
            raise RepresentationPermissionDenied(_("Només les persones de la representació la poden revocar."))
        if current.state not in LIVE_STATES:
            raise RepresentationNotLive(current.pk)
        current.state = RepresentationState.REVOKED
        current.revoked_at = now
        current.revoked_by = actor
        current.save(update_fields=["state", "revoked_at", "revoked_by"])
        _event(current, EventKind.REPRESENTATION_REVOKED, actor=actor, at=now)
    logger.info("representacions.revoked representation=%s", current.pk)
    return _refresh(representation, current)
