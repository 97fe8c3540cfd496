from django.urls import path

from tramits.finder import views

app_name = "finder"
urlpatterns = [
    path("", views.step, name="step"),
    path("assistent/", views.assistant, name="assistant"),
]
