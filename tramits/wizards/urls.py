from django.urls import path

from tramits.wizards import views

app_name = "wizards"
urlpatterns = [
    path("sollicitud/<str:reference>/", views.confirmation, name="confirmation"),
    path("sollicitud/<str:reference>/justificant/", views.receipt, name="receipt"),
    path("<str:code>/", views.start, name="start"),
    path("<str:code>/pas/<str:step>/", views.step, name="step"),
    path("<str:code>/continua/<uuid:key>/", views.resume, name="resume"),
    path("<str:code>/descarta/", views.discard, name="discard"),
]
