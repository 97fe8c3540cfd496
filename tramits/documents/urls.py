from django.urls import path

from tramits.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:csv>/descarrega/", views.download, name="download"),
]
