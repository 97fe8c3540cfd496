"""The base of every procedure's wizard: formtools' named-URL wizard on the account's draft storage.

What it adds to formtools: steps are never skipped (a step is shown or accepted only when the
previous ones are answered), a tampered management form gets a message instead of an error page,
extra posted fields are not stored, files already uploaded are kept when a step is sent again,
a change link from the check page returns to it, and `done` runs inside the final POST (never on
a GET) through one service.
"""

from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView

from tramits.accounts.selectors import applicant_identity
from tramits.catalogue.procedures import get_procedure
from tramits.documents.storage import private_storage
from tramits.documents.uploads import filing_size_check
from tramits.representacions.selectors import represented_for
from tramits.submissions.application import in_each_language
from tramits.wizards.forms import CheckForm

CHECK_STEP = "revisio"
DONE_STEP = "enviament"
CHANGE_PARAMETER = "canvi"


class ProcedureWizard(NamedUrlWizardView):
    """Subclasses set `procedure_code`, `form_list` (ending with the check step) and `condition_dict`."""

    storage_name = "tramits.wizards.storage.DraftStorage"
    file_storage = private_storage()
    template_name = "wizards/step.html"
    procedure_code = ""
    # Finder parameters (tramits/finder/prefill.py) → (step, field, {parameter value: field value}).
    prefill: dict[str, tuple[str, str, dict[str, str]]] = {}

    # -- URLs and identity ---------------------------------------------------------------------------

    @classmethod
    def view(cls):
        return cls.as_view(url_name="wizards:step", done_step_name=DONE_STEP)

    def get_prefix(self, request, *args, **kwargs):
        return self.procedure_code

    def get_step_url(self, step):
        return reverse("wizards:step", kwargs={"code": self.procedure_code, "step": step})

    @property
    def procedure(self):
        return get_procedure(self.procedure_code)

    def representations(self) -> list:
        """The accepted representations in force that let the citizen file this procedure for someone else."""
        if not hasattr(self, "_representations"):
            self._representations = [
                item for item in represented_for(user=self.request.user) if item.covers(self.procedure_code)
            ]
        return self._representations

    # -- forms ---------------------------------------------------------------------------------------

    def get_form_kwargs(self, step=None):
        return {"wizard": self}

    def get_form_initial(self, step):
        initial = dict(super().get_form_initial(step))
        for parameter, value in (self.storage.extra_data.get("prefill") or {}).items():
            target = self.prefill.get(parameter)
            if target and target[0] == step and value in target[2]:
                initial[target[1]] = target[2][value]
        return initial

    def get_form(self, step=None, data=None, files=None):
        if files is self.request.FILES:
            # A step sent again without choosing the file again keeps the stored one.
            stored = self.storage.get_step_files(step or self.steps.current) or {}
            merged = MultiValueDict({name: [upload] for name, upload in stored.items()})
            for name in files:
                merged.setlist(name, files.getlist(name))
            files = merged
        return super().get_form(step=step, data=data, files=files)

    def process_step(self, form):
        """Only the form's own fields are stored: extra posted fields and the CSRF token are dropped."""
        own = {form.add_prefix(name) for name, field in form.fields.items() if not field.disabled}
        return {key: form.data.getlist(key) for key in form.data if key in own}

    def process_step_files(self, form):
        """Only the form's own file fields are stored: a file posted under another name is not kept."""
        own = {form.add_prefix(name) for name, field in form.fields.items() if isinstance(field, forms.FileField)}
        return {
            name: upload
            for name, upload in form.files.items()
            if name in own and not getattr(upload, "seu_stored_name", None)
        }

    # -- navigation ----------------------------------------------------------------------------------

    def first_unanswered_step(self, *, before: str | None = None) -> str | None:
        for step in self.get_form_list():
            if step == before:
                return None
            if self.storage.get_step_data(step) is None:
                return step
        return None

    def resume_step(self) -> str:
        current = self.storage.current_step
        if current in self.get_form_list() and self.first_unanswered_step(before=current) is None:
            return current
        return self.first_unanswered_step() or self.steps.first

    def remember_prefill(self, query) -> None:
        from tramits.finder.prefill import PARAMETERS

        prefill = {
            name: value
            for name, value in query.items()
            if name in PARAMETERS and value in PARAMETERS[name] and name in self.prefill
        }
        prefill.update(self.extra_prefill(query))
        if prefill:
            self.storage.extra_data = {**self.storage.extra_data, "prefill": prefill}

    def extra_prefill(self, query) -> dict[str, str]:
        """Procedure-specific parameters beyond the finder's (GEN-APORTACIO's expedient)."""
        return {}

    def dispatch(self, request, *args, **kwargs):
        if applicant_identity(user=request.user) is None:
            # The applicant is who the login and the profile prove, never what a form says: complete it first.
            messages.info(
                request,
                _("Abans de presentar la sol·licitud, completeu el perfil amb el nom i el document d'identitat."),
            )
            start = reverse("wizards:start", kwargs={"code": self.procedure_code})
            return redirect(f"{reverse('accounts:profile_edit')}?{urlencode({'next': start})}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        form_list = self.get_form_list()
        if step is None:
            self.remember_prefill(request.GET)
            return redirect(self.get_step_url(self.resume_step()))
        if step not in form_list:
            return redirect(self.get_step_url(self.resume_step()))
        missing = self.first_unanswered_step(before=step)
        if missing is not None:
            messages.info(request, _("Responeu primer aquesta pregunta."))
            return redirect(self.get_step_url(missing))
        self.storage.current_step = step
        return self.render(
            self.get_form(step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step))
        )

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        form_list = self.get_form_list()
        if step == CHECK_STEP and (filed := self.already_filed()) is not None:
            return redirect(filed)
        management = ManagementForm(request.POST, prefix=self.prefix)
        if step not in form_list or not management.is_valid() or management.cleaned_data["current_step"] != step:
            messages.error(
                request,
                _("El formulari ha arribat incomplet o modificat. Reviseu aquesta pàgina i torneu-la a enviar."),
            )
            return redirect(self.get_step_url(step if step in form_list else self.resume_step()))
        missing = self.first_unanswered_step(before=step)
        if missing is not None:
            messages.error(request, _("Responeu primer aquesta pregunta."))
            return redirect(self.get_step_url(missing))
        self.storage.current_step = step
        form = self.get_form(step, data=request.POST, files=request.FILES)
        if not form.is_valid() or not self.within_submission_limit(form, step):
            return self.render(form)
        self.storage.set_step_data(step, self.process_step(form))
        self.storage.set_step_files(step, self.process_step_files(form))
        self._forget_resolved_steps()
        if step == CHECK_STEP:
            return self.render_done(form, **kwargs)
        next_step = self.step_after(step, changing=request.POST.get(CHANGE_PARAMETER) == "1")
        self.storage.current_step = next_step
        return redirect(self.get_step_url(next_step))

    def step_after(self, step: str, *, changing: bool) -> str:
        """The next step; after a change from the check page, back to it unless a new question appeared."""
        if changing:
            return self.first_unanswered_step() or CHECK_STEP
        return self.get_next_step(step) or CHECK_STEP

    def _forget_resolved_steps(self) -> None:
        for name in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(name, None)
        for name in [name for name in self.__dict__ if name.startswith("_cleaned_data_cache_")]:
            delattr(self, name)

    def within_submission_limit(self, form, step) -> bool:
        """All the application's files together within the limit (this step's files are in `form.files`)."""
        if all(getattr(upload, "seu_stored_name", None) for upload in form.files.values()):
            return True
        try:
            filing_size_check([self.storage.file_total(except_step=step), *(f.size for f in form.files.values())])
        except ValidationError as error:
            form.add_error(None, error)
            return False
        return True

    # -- the final POST ------------------------------------------------------------------------------

    def already_filed(self) -> str | None:
        """The confirmation of the submission made from this draft, for a repeated final POST."""
        from tramits.wizards.services import draft_submission

        submission = draft_submission(user=self.request.user, draft_key=self.request.POST.get("draft_key", ""))
        return reverse("wizards:confirmation", kwargs={"reference": submission.reference}) if submission else None

    def render_done(self, form, **kwargs):
        final_forms = OrderedDict()
        for step in self.get_form_list():
            step_form = self.get_form(
                step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step)
            )
            if not step_form.is_valid():
                messages.error(self.request, _("Reviseu aquesta pàgina: hi ha respostes que falten o no són vàlides."))
                self.storage.current_step = step
                return redirect(self.get_step_url(step))
            final_forms[step] = step_form
        return self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        from tramits.wizards.services import FiledFile, draft_submit

        draft = self.storage.draft
        if draft is None:
            return redirect(self.get_step_url(self.resume_step()))
        stored = self.storage.stored_files()
        files = []
        for step, step_files in stored.items():
            if step not in form_dict:
                continue  # a step of a branch the citizen left: its files are not part of the application
            form = form_dict[step]
            for key, meta in step_files.items():
                field = key.removeprefix(f"{step}-")
                if field in form.fields and form.cleaned_data.get(field):
                    files.append(
                        FiledFile(
                            step=step,
                            field=field,
                            label=str(form.fields[field].label),
                            stored_name=meta["tmp_name"],
                            name=meta["name"],
                            content_type=meta["content_type"],
                            size=meta["size"],
                            sha256=meta.get("sha256", ""),
                        )
                    )
        steps = {step: form for step, form in form_dict.items() if step != CHECK_STEP}
        applicant_form = form_dict[next(iter(form_dict))]
        contact = applicant_form.answers()
        submission = draft_submit(
            user=self.request.user,
            draft_key=draft.key,
            procedure_code=self.procedure_code,
            subject=self.subject(form_dict),
            answers={step: form.answers() for step, form in steps.items()},
            steps=self.application_steps(steps),
            contact={"email": contact.get("email", ""), "phone": contact.get("phone", "")},
            represented=applicant_form.represented() if hasattr(applicant_form, "represented") else None,
            files=files,
            language=translation.get_language() or "ca",
            extra=self.filing_extra(form_dict),
        )
        self.storage.discard()
        return redirect(reverse("wizards:confirmation", kwargs={"reference": submission.reference}))

    def application_steps(self, steps: dict) -> list[dict]:
        """Each step's answers for the structured application: labels and displayed values in every language."""
        sections = []
        for step, form in steps.items():
            by_language = in_each_language(lambda form=form: (str(form.title), form.display_items()))
            answers = form.answers()
            items = by_language["ca"][1]
            sections.append(
                {
                    "step": step,
                    "title": {code: title for code, (title, _items) in by_language.items()},
                    "fields": [
                        {
                            "field": name,
                            "label": {code: rendered[1][index][1] for code, rendered in by_language.items()},
                            "value": answers.get(name),
                            "display": {code: rendered[1][index][2] for code, rendered in by_language.items()},
                        }
                        for index, (name, _label, _value) in enumerate(items)
                    ],
                }
            )
        return sections

    # -- what the procedure files --------------------------------------------------------------------

    def subject(self, form_dict) -> str:
        return self.procedure.title_ca

    def filing_extra(self, form_dict) -> dict:
        """Procedure-specific data for the register call (the expedient a GEN-APORTACIO goes to)."""
        return {}

    # -- rendering -----------------------------------------------------------------------------------

    def check_summary(self) -> list[dict]:
        """The answers so far, each with the URL of the step to change it."""
        sections = []
        for step in self.get_form_list():
            if step == CHECK_STEP:
                continue
            form = self.get_form(step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step))
            items = form.display_items() if form.is_valid() else []
            url = self.get_step_url(step) + f"?{CHANGE_PARAMETER}=1"
            sections.append(
                {
                    "title": form.title,
                    "url": url,
                    "valid": form.is_valid(),
                    "items": [
                        {"label": label, "value": value, "url": f"{url}#id_{step}-{name}"}
                        for name, label, value in items
                    ],
                }
            )
        return sections

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        steps = list(self.get_form_list())
        current = self.steps.current
        index = steps.index(current) if current in steps else 0
        previous = self.get_prev_step(current)
        context.update(
            procedure=self.procedure,
            procedure_title=self.procedure.title(translation.get_language() or "ca"),
            step_title=getattr(form, "title", ""),
            step_number=index + 1,
            step_count=len(steps),
            back_url=self.get_step_url(previous) if previous else None,
            changing=self.request.GET.get(CHANGE_PARAMETER) == "1" or self.request.POST.get(CHANGE_PARAMETER) == "1",
            is_check_step=current == CHECK_STEP,
            has_files=any(isinstance(field, forms.FileField) for field in form.fields.values()),
            draft=self.storage.draft,
            stored_files=self.storage.data["step_files"].get(current, {}),
        )
        if current == CHECK_STEP:
            context["check_sections"] = self.check_summary()
        return context


def check_step():
    return (CHECK_STEP, CheckForm)
