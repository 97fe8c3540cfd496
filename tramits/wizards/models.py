import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    """A wizard in progress, saved to the account at each step so it can be resumed on any device.

    `data` is the wizard storage (current step, the raw answers per step, references to the
    uploaded files in private storage, extra data). One open draft per citizen and procedure;
    filing it deletes the draft and hands its files to the submission.
    """

    key = models.UUIDField(_("clau"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuari"), on_delete=models.CASCADE, related_name="drafts"
    )
    procedure_code = models.CharField(_("codi del tràmit"), max_length=40)
    data = models.JSONField(_("respostes"), default=dict)
    created_at = models.DateTimeField(_("creat"), default=timezone.now)
    updated_at = models.DateTimeField(_("desat"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("esborrany")
        verbose_name_plural = _("esborranys")
        constraints = [
            models.UniqueConstraint(fields=["user", "procedure_code"], name="wizards_one_draft_per_procedure"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} ({self.updated_at:%Y-%m-%d})"

    @property
    def current_step(self) -> str | None:
        return (self.data or {}).get("step")

    def stored_file_names(self) -> list[str]:
        """The private-storage names of every file the draft refers to."""
        names = []
        for step_files in ((self.data or {}).get("step_files") or {}).values():
            names.extend(item["tmp_name"] for item in step_files.values() if item.get("tmp_name"))
        return names
