from django.urls import path

from tramits.incidencies import views

app_name = "incidencies"
urlpatterns = [
    path("", views.incident_list, name="list"),
]
