"""Reads of the wizards for the carpeta: the citizen's drafts and where to resume them."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from tramits.catalogue.procedures import get_procedure
from tramits.wizards import conf
from tramits.wizards.models import Draft


@dataclass(frozen=True)
class DraftItem:
    draft: Draft
    title: str
    resume_url: str
    discard_url: str
    updated_at: object
    expires_on: object


def drafts_of(user) -> QuerySet[Draft]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Draft.objects.none()
    return Draft.objects.filter(user=user).order_by("-updated_at")


def drafts_for(user) -> list[DraftItem]:
    """The user's drafts with the procedure's title, the resume URL and when the draft will be deleted."""
    language = (get_language() or "ca")[:2]
    items = []
    for draft in drafts_of(user):
        procedure = get_procedure(draft.procedure_code)
        items.append(
            DraftItem(
                draft=draft,
                title=procedure.title(language) if procedure else draft.procedure_code,
                resume_url=reverse("wizards:resume", kwargs={"code": draft.procedure_code, "key": draft.key}),
                discard_url=reverse("wizards:discard", kwargs={"code": draft.procedure_code}),
                updated_at=draft.updated_at,
                expires_on=timezone.localdate(draft.updated_at) + timezone.timedelta(days=conf.draft_ttl_days()),
            )
        )
    return items
