from django.urls import path

from tramits.carpeta import views

app_name = "carpeta"
urlpatterns = [
    path("", views.home, name="home"),
    path("expedients/<str:reference>/", views.expedient_detail, name="expedient"),
    path("expedients/<str:reference>/documents/<int:pk>/", views.expedient_document, name="document"),
    path("justificants/<int:pk>/", views.receipt, name="receipt"),
    path("notificacions/<int:pk>/", views.notification, name="notification"),
    path("notificacions/<int:pk>/document/", views.notification_document, name="notification_document"),
    path("representacions/", views.representations, name="representations"),
    path("representacions/<int:pk>/revoca/", views.representation_revoke_view, name="representation_revoke"),
]
