from django.urls import path

from tramits.carpeta import views

app_name = "carpeta"
urlpatterns = [
    path("", views.home, name="home"),
]
