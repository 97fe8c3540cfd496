"""The back office's URLs, mounted under /admin/expedients/ by wagtail_hooks."""

from django.urls import path

from tramits.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("encarrecs/", views.TasksView.as_view(), name="tasks"),
    path("registre-presencial/", views.DeskFilingView.as_view(), name="desk"),
    path("registre-presencial/<str:entry>/", views.DeskDoneView.as_view(), name="desk_done"),
    path("registre/<str:entry>/justificant/", views.receipt_download, name="receipt"),
    path("<str:reference>/", views.ExpedientDetailView.as_view(), name="detail"),
    path("<str:reference>/assigna/", views.AssignView.as_view(), name="assign"),
    path("<str:reference>/comenca/", views.StartView.as_view(), name="start"),
    path("<str:reference>/esmena/", views.CorrectionRequestView.as_view(), name="correction_request"),
    path("<str:reference>/esmena/resposta/", views.CorrectionAnswerView.as_view(), name="correction_answer"),
    path("<str:reference>/document/", views.DocumentAddView.as_view(), name="document_add"),
    path("<str:reference>/nota/", views.NoteAddView.as_view(), name="note_add"),
    path("<str:reference>/encarrec/", views.TaskRequestView.as_view(), name="task_request"),
    path("<str:reference>/encarrec/<int:task>/resposta/", views.TaskAnswerView.as_view(), name="task_answer"),
    path("<str:reference>/resol/", views.ResolveView.as_view(), name="resolve"),
    path("<str:reference>/arxiva/", views.ArchiveView.as_view(), name="archive"),
    path("<str:reference>/documents/<int:document>/", views.document_download, name="document"),
    path("<str:reference>/index.<str:export_format>", views.index_download, name="index"),
]
