from django.urls import path

from tramits.api import views
from tramits.finder.api import FinderSearchView

app_name = "api"
urlpatterns: list = [
    path("cercador/", FinderSearchView.as_view(), name="finder-search"),
    path("registre/entrades/", views.EntryListCreateView.as_view(), name="entry-list"),
    path("registre/entrades/<str:reference>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path("registre/entrades/<str:reference>/justificant/", views.EntryReceiptView.as_view(), name="entry-receipt"),
    path("expedients/", views.ExpedientListView.as_view(), name="expedient-list"),
    path("expedients/<str:reference>/", views.ExpedientDetailView.as_view(), name="expedient-detail"),
    path(
        "expedients/<str:reference>/documents/",
        views.ExpedientDocumentsView.as_view(),
        name="expedient-documents",
    ),
    path(
        "expedients/<str:reference>/documents/<int:sequence>/file/",
        views.ExpedientDocumentFileView.as_view(),
        name="expedient-document-file",
    ),
    path(
        "expedients/<str:reference>/transitions/",
        views.ExpedientTransitionView.as_view(),
        name="expedient-transitions",
    ),
    path(
        "expedients/<str:reference>/resolution/",
        views.ExpedientResolutionView.as_view(),
        name="expedient-resolution",
    ),
    path("expedients/<str:reference>/tasks/", views.ExpedientTasksView.as_view(), name="expedient-tasks"),
    path(
        "expedients/<str:reference>/tasks/<int:task_id>/answer/",
        views.TaskAnswerView.as_view(),
        name="expedient-task-answer",
    ),
    path("expedients/<str:reference>/timeline/", views.ExpedientTimelineView.as_view(), name="expedient-timeline"),
    path("tasks/", views.TaskInboxView.as_view(), name="task-inbox"),
]
