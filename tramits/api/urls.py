from django.urls import path

from tramits.finder.api import FinderSearchView

app_name = "api"
urlpatterns: list = [
    path("cercador/", FinderSearchView.as_view(), name="finder-search"),
]
