from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content import views as content_views


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("tramits.api.urls")),
    path("tramit/<str:code>", content_views.tramit_redirect, name="tramit_redirect"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}, name="sitemap"),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("comptes/", include("allauth.urls")),
    path("perfil/", include("tramits.accounts.urls")),
    path("cerca/", content_views.search, name="search"),
    path("tramitar/", include("tramits.wizards.urls")),
    path("carpeta/", include("tramits.carpeta.urls")),
    path("verificar/", include("tramits.documents.urls")),
    path("cercador/", include("tramits.finder.urls")),
    path("incidencies/", include("tramits.incidencies.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
