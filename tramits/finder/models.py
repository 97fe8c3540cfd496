"""The guided finder's question tree, the search synonyms and the assistant's question log."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from tramits.catalogue.procedures import BY_CODE
from tramits.finder.prefill import prefill_errors


def _language() -> str:
    return (get_language() or "ca")[:2]


def _in_language(obj, field: str) -> str:
    """The field in the active language, falling back to Catalan."""
    return getattr(obj, f"{field}_{_language()}", "") or getattr(obj, f"{field}_ca", "")


def split_codes(value: str) -> list[str]:
    return [code.strip().upper() for code in (value or "").replace(";", ",").split(",") if code.strip()]


def validate_codes(value: str) -> None:
    unknown = [code for code in split_codes(value) if code not in BY_CODE]
    if unknown:
        raise ValidationError(_("Codis desconeguts: %(codes)s"), params={"codes": ", ".join(unknown)})


def validate_prefill(value: str) -> None:
    errors = prefill_errors(value)
    if errors:
        raise ValidationError(_("Paràmetres no previstos: %(names)s"), params={"names": ", ".join(errors)})


class Question(ClusterableModel):
    """One question of the guided finder, with its answers; the same tree serves every language."""

    key = models.SlugField(
        _("identificador"),
        max_length=40,
        unique=True,
        help_text=_("Curt i estable: apareix a l'adreça de les respostes."),
    )
    is_start = models.BooleanField(_("és la primera pregunta"), default=False)
    text_ca = models.CharField(_("pregunta (català)"), max_length=200)
    text_es = models.CharField(_("pregunta (castellà)"), max_length=200)
    text_en = models.CharField(_("pregunta (anglès)"), max_length=200, blank=True)
    hint_ca = models.CharField(_("ajuda (català)"), max_length=300, blank=True)
    hint_es = models.CharField(_("ajuda (castellà)"), max_length=300, blank=True)
    hint_en = models.CharField(_("ajuda (anglès)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("modificada"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("is_start")]),
        MultiFieldPanel([FieldPanel("text_ca"), FieldPanel("text_es"), FieldPanel("text_en")], heading=_("Pregunta")),
        MultiFieldPanel([FieldPanel("hint_ca"), FieldPanel("hint_es"), FieldPanel("hint_en")], heading=_("Ajuda")),
        InlinePanel("answers", heading=_("Respostes"), label=_("resposta"), min_num=1),
    ]

    class Meta:
        ordering = ["key"]
        verbose_name = _("pregunta del cercador")
        verbose_name_plural = _("preguntes del cercador")
        constraints = [
            models.UniqueConstraint(
                fields=["is_start"], condition=models.Q(is_start=True), name="finder_one_start_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.text_ca}"

    @property
    def text(self) -> str:
        return _in_language(self, "text")

    @property
    def hint(self) -> str:
        return _in_language(self, "hint")


class Answer(Orderable):
    """An answer leads to another question or to one or more procedures (never both)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    key = models.SlugField(_("identificador"), max_length=40, help_text=_("Únic dins de la pregunta."))
    label_ca = models.CharField(_("resposta (català)"), max_length=200)
    label_es = models.CharField(_("resposta (castellà)"), max_length=200)
    label_en = models.CharField(_("resposta (anglès)"), max_length=200, blank=True)
    next_question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_answers",
        verbose_name=_("següent pregunta"),
    )
    codes = models.CharField(
        _("tràmits"),
        max_length=300,
        blank=True,
        validators=[validate_codes],
        help_text=_("Codis del catàleg separats per comes, per exemple PADRO-VOLANT, PADRO-CERTIFICAT."),
    )
    explanation_ca = models.CharField(_("explicació (català)"), max_length=300, blank=True)
    explanation_es = models.CharField(_("explicació (castellà)"), max_length=300, blank=True)
    explanation_en = models.CharField(_("explicació (anglès)"), max_length=300, blank=True)
    prefill = models.CharField(
        _("dades per al formulari"),
        max_length=200,
        blank=True,
        validators=[validate_prefill],
        help_text=_("Què ja sabem per al formulari del tràmit, per exemple ambit=lleida."),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("next_question")]),
        MultiFieldPanel(
            [FieldPanel("label_ca"), FieldPanel("label_es"), FieldPanel("label_en")], heading=_("Resposta")
        ),
        FieldPanel("codes"),
        MultiFieldPanel(
            [FieldPanel("explanation_ca"), FieldPanel("explanation_es"), FieldPanel("explanation_en")],
            heading=_("Explicació del resultat"),
        ),
        FieldPanel("prefill"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("resposta")
        verbose_name_plural = _("respostes")
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="finder_answer_key_per_question")]

    def __str__(self) -> str:
        return f"{self.question.key}/{self.key}"

    def clean(self):
        super().clean()
        if self.next_question_id and self.codes.strip():
            raise ValidationError(_("Una resposta porta a una altra pregunta o a uns tràmits, no a totes dues coses."))

    @property
    def label(self) -> str:
        return _in_language(self, "label")

    @property
    def explanation(self) -> str:
        return _in_language(self, "explanation")

    @property
    def code_list(self) -> list[str]:
        return split_codes(self.codes)


class SynonymLanguage(models.TextChoices):
    ALL = "", _("Tots els idiomes")
    CA = "ca", _("Català")
    ES = "es", _("Castellà")
    EN = "en", _("Anglès")


class Synonym(models.Model):
    """A citizen's word or phrase and the words of the guides it stands for."""

    term = models.CharField(
        _("paraula o expressió"), max_length=100, help_text=_("Com ho diu la gent, per exemple «empadronar».")
    )
    expansions = models.TextField(
        _("equivalents"),
        validators=[MaxLengthValidator(1000)],
        help_text=_("Paraules de les fitxes que vol dir, separades per comes, per exemple «alta, padró»."),
    )
    language = models.CharField(
        _("idioma"), max_length=2, choices=SynonymLanguage.choices, blank=True, default=SynonymLanguage.ALL
    )
    updated_at = models.DateTimeField(_("modificat"), auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("expansions"), FieldPanel("language")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("sinònim de cerca")
        verbose_name_plural = _("sinònims de cerca")
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="finder_synonym_unique_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"


class AssistantQuestion(models.Model):
    """What a citizen asked the assistant: the text only, to improve synonyms and guides."""

    text = models.CharField(_("pregunta"), max_length=500)

    class Meta:
        verbose_name = _("pregunta a l'assistent")
        verbose_name_plural = _("preguntes a l'assistent")

    def __str__(self) -> str:
        return self.text
