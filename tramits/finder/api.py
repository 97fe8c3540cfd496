"""`GET /api/v1/cercador/`: the procedures that match a text, for anyone, rate-limited."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tramits.finder.selectors import MAX_QUERY_LENGTH, MAX_RESULTS, procedure_search

LANGUAGE_CHOICES = [code for code, _name in settings.LANGUAGES]


class FinderThrottle(AnonRateThrottle):
    """Per client address, in the default cache; `DEFAULT_THROTTLE_RATES["finder"]` overrides it."""

    scope = "finder"
    default_rate = "60/minute"

    def get_rate(self) -> str:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope, self.default_rate)


class FinderQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH, help_text="What the citizen is looking for, in their own words."
    )
    lang = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, default="ca", help_text="Language of the titles and links returned."
    )


class FinderResultSerializer(serializers.Serializer):
    codi = serializers.CharField(help_text="Procedure code of the catalogue, e.g. PADRO-ALTA.")
    titol = serializers.CharField(help_text="Title of the procedure's guide in the requested language.")
    url = serializers.URLField(help_text="Absolute address of the guide.")
    score = serializers.FloatField(help_text="Relevance between 0 and 1; results come best first.")


class FinderResponseSerializer(serializers.Serializer):
    results = FinderResultSerializer(many=True)


class FinderSearchView(APIView):
    """The best procedures for a text: at most ten, best first."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [FinderThrottle]

    @extend_schema(
        operation_id="cercador_search",
        summary="Find procedures for a citizen's words",
        description=(
            "Anonymous and rate-limited. Accent- and case-insensitive, tolerant of small typos, "
            "with the synonyms editors keep in the admin. At most "
            f"{MAX_RESULTS} results, best first; an empty list when nothing matches."
        ),
        parameters=[FinderQuerySerializer],
        responses={
            200: FinderResponseSerializer,
            400: OpenApiResponse(description="`q` missing, empty, too long or with NUL bytes, or `lang` unknown."),
            429: OpenApiResponse(description="Too many requests from this client; see `Retry-After`."),
        },
        examples=[
            OpenApiExample(
                "Moving within the city",
                value={
                    "results": [
                        {
                            "codi": "PADRO-CANVI-DOMICILI",
                            "titol": "Canvi de domicili dins de Lleida",
                            "url": "https://seu.example/ca/tramits/canvi-de-domicili/",
                            "score": 0.83,
                        }
                    ]
                },
                response_only=True,
            )
        ],
        tags=["cercador"],
    )
    def get(self, request: Request) -> Response:
        query = FinderQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hits = procedure_search(query=query.validated_data["q"], language=query.validated_data["lang"])
        results = [
            {
                "codi": hit.code,
                "titol": hit.title,
                "url": request.build_absolute_uri(hit.url or f"/tramit/{hit.code}"),
                "score": hit.score,
            }
            for hit in hits[:MAX_RESULTS]
        ]
        return Response(FinderResponseSerializer({"results": results}).data)
