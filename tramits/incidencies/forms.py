from wagtail.admin.forms import WagtailAdminModelForm

# What staff write. On an automatic incident the rest (times, kind, count) belongs to the services.
STAFF_FIELDS = [
    "description",
    "description_es",
    "description_en",
    "deadline_extension",
    "deadline_extension_es",
    "deadline_extension_en",
    "published",
]


class TechnicalIncidentForm(WagtailAdminModelForm):
    """Staff edit an automatic incident's texts only, so a save never undoes a count made meanwhile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._is_automatic_record():
            for name, field in self.fields.items():
                if name not in STAFF_FIELDS:
                    field.disabled = True

    def _is_automatic_record(self) -> bool:
        return self.instance.pk is not None and self.instance.is_automatic

    def save(self, commit=True):
        if not (commit and self._is_automatic_record()):
            return super().save(commit=commit)
        instance = super().save(commit=False)
        instance.save(update_fields=[*STAFF_FIELDS, "updated_at"])
        return instance
