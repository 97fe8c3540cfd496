from django.urls import path

from tramits.wizards import views

app_name = "wizards"
urlpatterns = [
    path("<str:code>/", views.start, name="start"),
]
