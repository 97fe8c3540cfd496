"""Staff screens in the Wagtail admin: inbox, expedient, actions and the desk form.

Each screen shows only what the user's departments may see: an expedient nobody of theirs may
see is a 404; acting on one that belongs to another department is a 403. Every change goes
through a service, which checks the same rule again inside its transaction.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tramits.backoffice import selectors
from tramits.backoffice.forms import (
    ArchiveForm,
    AssignForm,
    CorrectionAnswerForm,
    CorrectionRequestForm,
    DeskFilingForm,
    DocumentAddForm,
    InboxFilterForm,
    NoteForm,
    ResolveForm,
    StartForm,
    TaskAnswerForm,
    TaskRequestForm,
)
from tramits.backoffice.rendering import index_pdf
from tramits.backoffice.services import identified_party, note_add, resolution_issue
from tramits.backoffice.timeline import timeline_items
from tramits.catalogue.procedures import get_procedure
from tramits.expedients import services as expedients
from tramits.expedients.filing import filing_expedient_of, filing_register
from tramits.expedients.models import ExpedientDocument, State, Task, TaskState
from tramits.expedients.selectors import (
    expedient_can_act,
    expedient_can_view,
    expedient_documents,
    expedient_index,
    expedient_index_export,
    expedient_tasks_visible,
    tasks_inbox,
    user_department_ids,
)
from tramits.expedients.terms import CORRECTION_BUSINESS_DAYS, correction_deadline
from tramits.registre.applications import application_steps_in, entry_application
from tramits.registre.models import Channel, IdentificationMethod, Register, RegisterEntry
from tramits.registre.services import (
    AttachmentUpload,
    IdempotencyKeyConflict,
    RegisterEntryInvalid,
    register_receipt_ensure,
)
from tramits.terminis.calendar import format_official_instant, official_today

PAGE_SIZE = 25
HEADER_ICON = "folder-open-inverse"

BOX_LABELS = {
    "new": gettext_lazy("Nous"),
    "mine": gettext_lazy("Assignats a mi"),
    "due_soon": gettext_lazy("Vencen aviat"),
    "overdue": gettext_lazy("Vençuts"),
    "all": gettext_lazy("Tots"),
}
BOX_HINTS = {
    "new": gettext_lazy("Iniciats i sense assignar."),
    "mine": gettext_lazy("Oberts i assignats a vós."),
    "due_soon": gettext_lazy("La data màxima de resolució és d'aquí a 5 dies hàbils o menys."),
    "overdue": gettext_lazy("Ha passat la data màxima de resolució i no s'han resolt."),
    "all": gettext_lazy("Tots els expedients del departament."),
}


def _procedure_title(code: str) -> str:
    procedure = get_procedure(code)
    return procedure.title((get_language() or "ca")[:2]) if procedure else ""


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    """A back-office page with the admin's furniture and the user's departments at hand."""

    header_icon = HEADER_ICON

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("backoffice:inbox"), "label": _("Expedients")},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self) -> list[dict]:
        return [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def department_ids(self) -> set[int]:
        return user_department_ids(user=self.request.user)


# Lists ---------------------------------------------------------------------------------------


class InboxView(StaffView):
    template_name = "backoffice/inbox.html"
    page_title = gettext_lazy("Safata d'expedients")

    def extra_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        departments = selectors.user_departments(user=self.request.user)
        context["departments"] = departments
        if not departments:
            return context
        wanted = self.request.GET.get("department", "")
        department = next((item for item in departments if str(item.pk) == wanted), departments[0])
        box = self.request.GET.get("box", "new")
        if box not in selectors.BOXES:
            box = "new"
        form = InboxFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        on = official_today()
        expedients_list = selectors.inbox_expedients(
            user=self.request.user,
            department=department,
            box=box,
            state=filters.get("state", ""),
            procedure_code=filters.get("procedure", ""),
            due_before=filters.get("due_before"),
            text=filters.get("q", ""),
            on=on,
        )
        page = Paginator(expedients_list, PAGE_SIZE).get_page(self.request.GET.get("p"))
        rows = list(page.object_list)
        days_left = selectors.business_days_left(due_dates=[row.due_date for row in rows], on=on)
        counts = selectors.inbox_counts(user=self.request.user, department=department, on=on)
        context.update(
            department=department,
            box=box,
            box_hint=BOX_HINTS[box],
            tabs=[(name, BOX_LABELS[name], counts[name]) for name in selectors.BOXES],
            form=form,
            page_obj=page,
            rows=[
                {
                    "expedient": row,
                    "applicant": row.applicants[0] if row.applicants else None,
                    "procedure_title": _procedure_title(row.procedure_code),
                    "days_left": days,
                }
                for row, days in zip(rows, days_left, strict=True)
            ],
            filtered=bool(filters and any(filters.values())),
        )
        return context


class TasksView(StaffView):
    """What other departments asked of mine: reports and tasks to answer."""

    template_name = "backoffice/tasks.html"
    page_title = gettext_lazy("Encàrrecs al meu departament")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("estat", TaskState.PENDING)
        if show not in (TaskState.PENDING, "all"):
            show = TaskState.PENDING
        tasks = tasks_inbox(user=self.request.user, state=None if show == "all" else show)
        page = Paginator(tasks, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(page_obj=page, tasks=list(page.object_list), show=show)
        return context


# The expedient -------------------------------------------------------------------------------


class ExpedientMixin:
    """Loads the expedient of the URL: 404 unless one of the user's departments may see it."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.expedient = selectors.expedient_for_staff(reference=kwargs["reference"])
        if self.expedient is None:
            raise Http404

    def require_view(self) -> None:
        if not expedient_can_view(user=self.request.user, expedient=self.expedient):
            raise Http404

    def require_act(self) -> None:
        if not expedient_can_act(user=self.request.user, expedient=self.expedient):
            raise PermissionDenied(_("Només el departament responsable pot actuar en aquest expedient."))


class ExpedientDetailView(ExpedientMixin, StaffView):
    template_name = "backoffice/expedient_detail.html"

    def get(self, request, *args, **kwargs):
        self.require_view()
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.expedient.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        expedient = self.expedient
        user = self.request.user
        can_act = expedient_can_act(user=user, expedient=expedient)
        tasks = list(expedient_tasks_visible(user=user, expedient=expedient))
        documents = list(expedient_documents(expedient=expedient).select_related("added_by"))
        (days_left,) = selectors.business_days_left(due_dates=[expedient.due_date])
        application = entry_application(entry=expedient.opening_entry)
        context.update(
            expedient=expedient,
            procedure_title=_procedure_title(expedient.procedure_code),
            application_steps=application_steps_in(document=application, language=get_language() or "ca")
            if application
            else [],
            days_left=days_left,
            entry=expedient.opening_entry,
            registered_at=format_official_instant(expedient.opening_entry.registered_at),
            parties=list(expedient.interested_parties.order_by("pk")),
            timeline=timeline_items(expedient=expedient),
            documents=documents,
            index=expedient_index(expedient=expedient),
            tasks=[
                {
                    "task": task,
                    "can_answer": task.state == TaskState.PENDING and task.to_department_id in self.department_ids,
                }
                for task in tasks
            ],
            corrections_pending=list(selectors.corrections_pending(expedient=expedient)),
            corrections=list(selectors.corrections_all(expedient=expedient)),
            can_act=can_act,
            is_open=expedient.state != State.ARCHIVED,
            actions=self.actions(can_act) if can_act else [],
            assigned_to_me=expedient.assigned_to_id == user.pk,
        )
        return context

    def actions(self, can_act: bool) -> list[dict]:
        """The actions the expedient's state allows, as links to their forms."""
        state, reference = self.expedient.state, self.expedient.reference
        items = []

        def add(name: str, label: str, destructive: bool = False) -> None:
            items.append(
                {"url": reverse(f"backoffice:{name}", args=[reference]), "label": label, "destructive": destructive}
            )

        if state == State.ARCHIVED:
            return items
        add("assign", _("Assigna"))
        if state == State.INITIATED:
            add("start", _("Comença la tramitació"))
        if state in (State.INITIATED, State.IN_PROGRESS):
            add("correction_request", _("Requereix una esmena"))
        if state == State.PENDING_CORRECTION:
            add("correction_answer", _("Registra l'esmena presentada"))
        add("document_add", _("Afegeix un document"))
        add("note_add", _("Afegeix una nota"))
        add("task_request", _("Demana un informe o una tasca a un altre departament"))
        if state in (State.INITIATED, State.IN_PROGRESS):
            add("resolve", _("Resol"), destructive=True)
        if state == State.RESOLVED:
            add("archive", _("Arxiva"), destructive=True)
        return items


# Actions -------------------------------------------------------------------------------------


class ActionView(ExpedientMixin, StaffView):
    """One action on one expedient: a form on GET, the service on POST, back to the expedient after."""

    template_name = "backoffice/action.html"
    form_class = None
    submit_label = gettext_lazy("Desa")
    destructive = False
    intro = ""

    def dispatch(self, request, *args, **kwargs):
        # The admin turns PermissionDenied into a redirect home; acting on another department's
        # expedient is answered with a plain 403 that says why.
        try:
            self.require_permission()
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as error:
            return self.forbidden(str(error))

    def forbidden(self, message: str) -> TemplateResponse:
        detail_url = ""
        if expedient_can_view(user=self.request.user, expedient=self.expedient):
            detail_url = reverse("backoffice:detail", args=[self.expedient.reference])
        context = {
            "message": message or _("Només el departament responsable pot actuar en aquest expedient."),
            "detail_url": detail_url,
            "reference": self.expedient.reference,
        }
        return TemplateResponse(self.request, "backoffice/forbidden.html", context, status=403)

    def require_permission(self) -> None:
        self.require_act()

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self):
        if self.request.method == "POST":
            return self.form_class(self.request.POST, self.request.FILES, **self.get_form_kwargs())
        return self.form_class(**self.get_form_kwargs())

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("backoffice:detail", args=[self.expedient.reference]), "label": self.expedient.reference},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(
            expedient=self.expedient,
            submit_label=self.submit_label,
            destructive=self.destructive,
            intro=self.get_intro(),
            cancel_url=reverse("backoffice:detail", args=[self.expedient.reference]),
        )
        return context

    def get_intro(self) -> str:
        return str(self.intro)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(form)
            except ValidationError as error:
                _errors_to_form(form, error)
            except expedients.TransitionNotAllowed:
                form.add_error(
                    None,
                    _("Ara no es pot fer: l'expedient és en estat «%(state)s».")
                    % {"state": State(self.expedient.state).label},
                )
            except expedients.ExpedientClosed:
                form.add_error(None, _("L'expedient està arxivat i no admet canvis."))
            except (expedients.CorrectionNotPending, expedients.TaskNotPending):
                form.add_error(None, _("Ja s'havia respost; no cal fer res més."))
            else:
                messages.success(request, message)
                return redirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("backoffice:detail", args=[self.expedient.reference])

    def perform(self, form) -> str:
        raise NotImplementedError


def _errors_to_form(form, error: ValidationError) -> None:
    """Put a service's messages on the form's fields when they name one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class AssignView(ActionView):
    form_class = AssignForm
    page_title = gettext_lazy("Assigna l'expedient")
    submit_label = gettext_lazy("Assigna")

    def get_form_kwargs(self):
        return {
            "colleagues": selectors.department_colleagues(department=self.expedient.department),
            "initial": {"assignee": self.expedient.assigned_to_id},
        }

    def perform(self, form):
        assignee = form.cleaned_data["assignee"]
        expedients.expedient_assign(expedient=self.expedient, assignee=assignee, actor=self.request.user)
        if assignee is None:
            return _("L'expedient ha quedat sense assignar.")
        return _("Expedient assignat a %(person)s.") % {"person": assignee.get_full_name() or assignee.email}


class StartView(ActionView):
    form_class = StartForm
    page_title = gettext_lazy("Comença la tramitació")
    submit_label = gettext_lazy("Comença la tramitació")
    intro = gettext_lazy("L'expedient passarà a l'estat «En tramitació».")

    def perform(self, form):
        expedients.expedient_transition(expedient=self.expedient, to_state=State.IN_PROGRESS, actor=self.request.user)
        return _("L'expedient és en tramitació.")


class CorrectionRequestView(ActionView):
    form_class = CorrectionRequestForm
    page_title = gettext_lazy("Requereix una esmena")
    submit_label = gettext_lazy("Envia el requeriment")

    def get_intro(self):
        deadline = correction_deadline(requested_on=official_today())
        return _(
            "L'interessat tindrà %(days)s dies hàbils per esmenar, fins al %(deadline)s inclòs. "
            "Mentrestant el termini de resolució queda suspès."
        ) % {"days": CORRECTION_BUSINESS_DAYS, "deadline": deadline.strftime("%d/%m/%Y")}

    def perform(self, form):
        document = form.cleaned_data.get("document")
        upload = None
        if document:
            upload = expedients.DocumentUpload(document[0].name, document[0], document[1])
        correction = expedients.correction_request(
            expedient=self.expedient,
            actor=self.request.user,
            description=form.cleaned_data["description"],
            document=upload,
        )
        return _("Requeriment enviat. Termini per esmenar: fins al %(deadline)s.") % {
            "deadline": correction.deadline.strftime("%d/%m/%Y")
        }


class CorrectionAnswerView(ActionView):
    form_class = CorrectionAnswerForm
    page_title = gettext_lazy("Registra l'esmena presentada")
    submit_label = gettext_lazy("Registra l'esmena")
    intro = gettext_lazy("Per a una esmena presentada en paper. El termini de resolució torna a córrer.")

    def perform(self, form):
        correction = selectors.corrections_pending(expedient=self.expedient).first()
        if correction is None:
            raise expedients.CorrectionNotPending(self.expedient.reference)
        expedients.correction_answer(
            correction=correction,
            actor=self.request.user,
            text=form.cleaned_data["text"],
            documents=[
                expedients.DocumentUpload(upload.name, upload, content_type)
                for upload, content_type in form.cleaned_data["documents"]
            ],
        )
        return _("Esmena registrada.")


class DocumentAddView(ActionView):
    form_class = DocumentAddForm
    page_title = gettext_lazy("Afegeix un document")
    submit_label = gettext_lazy("Afegeix el document")

    def perform(self, form):
        upload, content_type = form.cleaned_data["file"]
        document = expedients.document_add(
            expedient=self.expedient,
            actor=self.request.user,
            title=form.cleaned_data["title"],
            document_type=form.cleaned_data["document_type"],
            upload=expedients.DocumentUpload(upload.name, upload, content_type),
        )
        return _("Document %(identifier)s afegit a l'índex.") % {"identifier": document.identifier}


class NoteAddView(ActionView):
    form_class = NoteForm
    page_title = gettext_lazy("Afegeix una nota")
    submit_label = gettext_lazy("Afegeix la nota")

    def perform(self, form):
        note_add(expedient=self.expedient, actor=self.request.user, text=form.cleaned_data["text"])
        return _("Nota afegida a l'expedient.")


class TaskRequestView(ActionView):
    form_class = TaskRequestForm
    page_title = gettext_lazy("Demana un informe o una tasca")
    submit_label = gettext_lazy("Envia l'encàrrec")

    def get_form_kwargs(self):
        return {"expedient": self.expedient}

    def perform(self, form):
        task = expedients.task_request(
            expedient=self.expedient,
            actor=self.request.user,
            to_department=form.cleaned_data["to_department"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            business_days=form.cleaned_data["business_days"],
        )
        return _("Encàrrec enviat a %(department)s, amb termini fins al %(day)s.") % {
            "department": task.to_department.name,
            "day": task.due_date.strftime("%d/%m/%Y"),
        }


class TaskAnswerView(ActionView):
    """The asked department answers its task; it may see the expedient but act on nothing else."""

    form_class = TaskAnswerForm
    page_title = gettext_lazy("Respon l'encàrrec")
    submit_label = gettext_lazy("Envia la resposta")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = get_object_or_404(
            Task.objects.select_related("from_department", "to_department"), pk=kwargs["task"], expedient=self.expedient
        )

    def require_permission(self):
        if self.task.to_department_id not in self.department_ids:
            if not expedient_can_view(user=self.request.user, expedient=self.expedient):
                raise Http404
            raise PermissionDenied(_("Només el departament que rep l'encàrrec hi pot respondre."))

    def get_intro(self):
        return _("%(from)s demana: %(description)s") % {
            "from": self.task.from_department.name,
            "description": self.task.description,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        return context

    def perform(self, form):
        report = form.cleaned_data.get("report")
        expedients.task_answer(
            task=self.task,
            actor=self.request.user,
            answer=form.cleaned_data["answer"],
            state=form.cleaned_data["state"],
            report=expedients.DocumentUpload(report[0].name, report[0], report[1]) if report else None,
            report_title=form.cleaned_data["report_title"],
        )
        return _("Resposta enviada a %(department)s.") % {"department": self.task.from_department.name}


class ResolveView(ActionView):
    form_class = ResolveForm
    page_title = gettext_lazy("Resol l'expedient")
    submit_label = gettext_lazy("Resol i registra la sortida")
    destructive = True
    intro = gettext_lazy(
        "Es genera el document de la resolució amb codi segur de verificació, s'incorpora a l'expedient "
        "i es registra al registre de sortida."
    )

    def perform(self, form):
        resolution_issue(
            expedient=self.expedient,
            actor=self.request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
        )
        self.expedient.refresh_from_db()
        return _("Expedient resolt. Registre de sortida %(entry)s.") % {
            "entry": self.expedient.resolution_entry.reference if self.expedient.resolution_entry else "—"
        }


class ArchiveView(ActionView):
    form_class = ArchiveForm
    page_title = gettext_lazy("Arxiva l'expedient")
    submit_label = gettext_lazy("Arxiva")
    destructive = True

    def perform(self, form):
        expedients.expedient_archive(
            expedient=self.expedient, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("Expedient arxivat.")


# Downloads -----------------------------------------------------------------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def document_download(request, reference: str, document: int):
    expedient = selectors.expedient_for_staff(reference=reference)
    if expedient is None or not expedient_can_view(user=request.user, expedient=expedient):
        raise Http404
    item = get_object_or_404(ExpedientDocument, pk=document, expedient=expedient)
    return _no_store(
        FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file_name, content_type=item.content_type)
    )


INDEX_DOWNLOADS = ("json", "xml", "csv", "pdf")


def index_download(request, reference: str, export_format: str):
    expedient = selectors.expedient_for_staff(reference=reference)
    if expedient is None or not expedient_can_view(user=request.user, expedient=expedient):
        raise Http404
    if export_format not in INDEX_DOWNLOADS:
        raise Http404
    if export_format == "pdf":
        content, content_type = (
            index_pdf(expedient=expedient, index=expedient_index(expedient=expedient)),
            "application/pdf",
        )
    else:
        content, content_type = expedient_index_export(expedient=expedient, export_format=export_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="index-{expedient.reference}.{export_format}"'
    return _no_store(response)


def _entry_visible(request, entry: RegisterEntry) -> bool:
    """Whoever registered it, and the departments that may see the expedient it opened."""
    if entry.submitted_by_id == request.user.pk:
        return True
    opened = getattr(entry, "opened_expedient", None)
    return opened is not None and expedient_can_view(user=request.user, expedient=opened)


def receipt_download(request, entry: str):
    """The receipt (justificant) of an incoming entry, rendered now if the background task has not yet."""
    item = RegisterEntry.objects.filter(reference=entry.strip().upper(), register=Register.INCOMING).first()
    if item is None or not _entry_visible(request, item):
        raise Http404
    receipt = register_receipt_ensure(entry=item)
    return _no_store(
        FileResponse(
            receipt.file.open("rb"), as_attachment=True, filename=receipt.file_name, content_type=receipt.content_type
        )
    )


# Desk filing at the OAC ----------------------------------------------------------------------


class DeskFilingView(StaffView):
    """A paper filing at the desk becomes a register entry and an expedient, once even if sent twice."""

    template_name = "backoffice/desk_form.html"
    page_title = gettext_lazy("Registre presencial (OAC)")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", DeskFilingForm())
        return context

    def post(self, request, *args, **kwargs):
        form = DeskFilingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                entry, _expedient = self.register(form)
            except (RegisterEntryInvalid, expedients.ExpedientInvalid) as error:
                _errors_to_form(form, error)
            except IdempotencyKeyConflict:
                form.add_error(
                    None,
                    _("Aquest formulari ja es va registrar amb unes altres dades. Comenceu un registre nou."),
                )
            except expedients.ExpedientClosed:
                # Archived between the form's check and the filing.
                form.add_error("expedient_number", _("Aquest expedient està arxivat: no s'hi poden aportar documents."))
            else:
                return redirect("backoffice:desk_done", entry=entry.reference)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def register(self, form: DeskFilingForm):
        data = form.cleaned_data
        representative = None
        if form.has_representative:
            representative = identified_party(
                name=data["representative_name"],
                document_type=data["representative_document_type"],
                document_number=data["representative_document_number"],
                identified_by=IdentificationMethod.IN_PERSON_ID,
            )
        return filing_register(
            channel=Channel.IN_PERSON,
            applicant=identified_party(
                name=data["applicant_name"],
                document_type=data["applicant_document_type"],
                document_number=data["applicant_document_number"],
                identified_by=data["applicant_identified_by"],
            ),
            representative=representative,
            subject=data["subject"],
            procedure_code=data["procedure_code"],
            department=form.department,
            expedient_number=data["expedient_number"],
            attachments=[
                AttachmentUpload(upload.name, upload, content_type) for upload, content_type in data["attachments"]
            ],
            idempotency_key=data["idempotency_key"],
            actor=self.request.user,
        )


class DeskDoneView(StaffView):
    template_name = "backoffice/desk_done.html"
    page_title = gettext_lazy("Sol·licitud registrada")
    header_icon = "form"

    def get(self, request, *args, **kwargs):
        self.entry = (
            RegisterEntry.objects.select_related("opened_expedient")
            .filter(reference=kwargs["entry"].strip().upper(), register=Register.INCOMING)
            .first()
        )
        if self.entry is None or not _entry_visible(request, self.entry):
            raise Http404
        return super().get(request, *args, **kwargs)

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("backoffice:desk"), "label": _("Registre presencial (OAC)")},
            {"url": "", "label": self.entry.reference},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entry=self.entry,
            expedient=filing_expedient_of(entry=self.entry),
            registered_at=format_official_instant(self.entry.registered_at),
            effective_at=format_official_instant(self.entry.effective_at) if self.entry.is_effective_later else "",
            attachments=list(self.entry.attachments.all()),
            new_filing_url=reverse_lazy("backoffice:desk"),
        )
        return context
