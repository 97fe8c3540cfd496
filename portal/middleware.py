"""Project-wide middleware."""

from django.middleware.locale import LocaleMiddleware
from django.urls import get_urlconf, is_valid_path


class SeuLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but a 404 from a language-neutral URL stays a 404.

    Wagtail's catch-all route makes every path look valid under a language prefix, so the stock
    middleware would turn `/tramit/UNKNOWN` into a redirect to `/ca/tramit/UNKNOWN/`.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and is_valid_path(request.path_info, getattr(request, "urlconf", get_urlconf())):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
