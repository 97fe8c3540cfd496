"""OpenAPI generation: only the internal API (not Wagtail's admin API), and how our own classes are documented."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

API_PREFIX = "/api/v1/"


def only_internal_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "tramits.api.authentication.StaffSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


def _known_choice_sets() -> dict[tuple[str, ...], str]:
    from tramits.accounts.identity import DocumentType
    from tramits.catalogue.procedures import TermUnit
    from tramits.documents.models import Origin, ProductionState
    from tramits.expedients.models import (
        EventKind,
        ExpedientDocumentType,
        InterestedRole,
        State,
        TaskKind,
        TaskState,
    )
    from tramits.registre.models import Channel, IdentificationMethod, Register

    named = {
        "ExpedientState": State,
        "TaskState": TaskState,
        "TaskKind": TaskKind,
        "EventKind": EventKind,
        "ExpedientDocumentType": ExpedientDocumentType,
        "IdentityDocumentType": DocumentType,
        "IdentificationMethod": IdentificationMethod,
        "Channel": Channel,
        "Register": Register,
        "Origin": Origin,
        "ProductionState": ProductionState,
        "InterestedRole": InterestedRole,
        "TermUnit": TermUnit,
    }
    return {tuple(str(value) for value in choices.values): name for name, choices in named.items()}


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    """One named component per choice set, so fields that share a name (state, kind) keep their own values."""

    target_class = "tramits.api.serializers.EnumField"

    def map_serializer_field(self, auto_schema, direction):
        values = [str(value) for value in self.target.choices]
        name = self.target.enum_name or _known_choice_sets().get(tuple(values))
        if name is None:
            raise ValueError(f"EnumField {self.target.field_name!r} needs an enum_name")
        component = ResolvedComponent(
            name=f"{name}Enum",
            type=ResolvedComponent.SCHEMA,
            schema={"type": "string", "enum": values},
            object=f"{name}Enum",
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
