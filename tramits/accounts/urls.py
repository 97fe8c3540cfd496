from django.urls import path

from tramits.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("edita/", views.profile_edit, name="profile_edit"),
]
