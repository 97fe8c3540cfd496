"""Pages of the public site. They hold content, never workflow: forms post elsewhere."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import BodyBlock, LinkBlock
from content.permissions import GuidePermissionTester
from tramits.catalogue.procedures import CODE_CHOICES, Silence, get_procedure
from tramits.terminis.models import Holiday

RICH = ["bold", "italic", "link", "document-link", "ol", "ul"]


class BasePage(Page):
    """Shared fields: a plain-language introduction shown under the h1 and in listings."""

    intro = models.TextField(_("introducció"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True


class HomePage(BasePage):
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("contingut"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.TopicIndexPage",
        "content.LifeEventIndexPage",
        "content.TramitIndexPage",
        "content.NewsIndexPage",
        "content.StandardPage",
        "content.OfficialTimePage",
        "content.CalendarPage",
        "content.SitemapPage",
    ]
    max_count_per_parent = 1
    content_panels = [*BasePage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("pàgina d'inici")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.live().filter(locale=self.locale).order_by("path")
        context["life_events"] = LifeEventPage.objects.live().filter(locale=self.locale).order_by("path")
        context["featured"] = TramitPage.objects.live().filter(locale=self.locale, featured=True).order_by("title")[:6]
        context["news"] = NewsPage.objects.live().filter(locale=self.locale).order_by("-date")[:3]
        return context


class TopicIndexPage(BasePage):
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.TopicPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("índex d'àmbits")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.child_of(self).live()
        return context


class TopicPage(BasePage):
    """An àmbit (padró, mobilitat...): the procedures and life events of one subject."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("contingut"))

    parent_page_types = ["content.TopicIndexPage"]
    subpage_types: list[str] = []
    content_panels = [*BasePage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("àmbit")
        verbose_name_plural = _("àmbits")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tramits"] = TramitPage.objects.live().filter(topic=self).order_by("title")
        return context


class LifeEventIndexPage(BasePage):
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.LifeEventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("índex de moments vitals")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["life_events"] = LifeEventPage.objects.child_of(self).live()
        return context


class LifeEventPage(BasePage):
    """A moment of life ("m'he mudat") that gathers the procedures it usually needs."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("contingut"))
    tramits = ParentalManyToManyField(
        "content.TramitPage", blank=True, related_name="life_events", verbose_name=_("tràmits")
    )

    parent_page_types = ["content.LifeEventIndexPage"]
    subpage_types: list[str] = []
    content_panels = [*BasePage.content_panels, FieldPanel("body"), FieldPanel("tramits")]

    class Meta:
        verbose_name = _("moment vital")
        verbose_name_plural = _("moments vitals")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tramit_list"] = self.tramits.live().order_by("title")
        return context


class TramitIndexPage(BasePage):
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.TramitPage"]
    max_count_per_parent = 1

    def permissions_for_user(self, user):
        return GuidePermissionTester(user, self)

    class Meta:
        verbose_name = _("índex de tràmits")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tramits"] = (
            TramitPage.objects.child_of(self).live().select_related("topic").order_by("topic__title", "title")
        )
        return context


class TramitPage(BasePage):
    """The guide (fitxa) of one procedure of the catalogue."""

    code = models.CharField(_("codi del tràmit"), max_length=40, choices=CODE_CHOICES)
    summary = models.TextField(_("resum"), help_text=_("Què és i per a què serveix, en dues o tres frases."))
    topic = models.ForeignKey(
        "content.TopicPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("àmbit"),
    )
    department = models.ForeignKey(
        "catalogue.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departament responsable"),
    )
    who_can_apply = RichTextField(_("qui ho pot demanar"), features=RICH, blank=True)
    requirements = RichTextField(_("requisits"), features=RICH, blank=True)
    documents = RichTextField(_("documentació que cal aportar"), features=RICH, blank=True)
    fees = RichTextField(_("taxes"), features=RICH, blank=True)
    term = models.CharField(_("termini de resolució"), max_length=120, blank=True)
    silence = models.CharField(_("silenci administratiu"), max_length=10, choices=Silence.choices, blank=True)
    online = models.BooleanField(_("es pot tramitar en línia"), default=True)
    in_person = RichTextField(
        _("presencialment"),
        features=RICH,
        blank=True,
        help_text=_("Si es deixa en blanc, es mostren l'adreça i l'horari de l'OAC."),
    )
    legal_basis = RichTextField(_("normativa"), features=RICH, blank=True)
    related = ParentalManyToManyField("self", blank=True, symmetrical=False, verbose_name=_("tràmits relacionats"))
    featured = models.BooleanField(_("destacat a l'inici"), default=False)

    parent_page_types = ["content.TramitIndexPage"]
    subpage_types: list[str] = []

    def permissions_for_user(self, user):
        return GuidePermissionTester(user, self)

    content_panels = [
        TitleFieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("topic"), FieldPanel("department"), FieldPanel("featured")],
            heading=_("Catàleg"),
        ),
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("who_can_apply"),
        FieldPanel("requirements"),
        FieldPanel("documents"),
        FieldPanel("fees"),
        MultiFieldPanel([FieldPanel("term"), FieldPanel("silence")], heading=_("Termini i silenci")),
        MultiFieldPanel([FieldPanel("online"), FieldPanel("in_person")], heading=_("Canals")),
        FieldPanel("legal_basis"),
        FieldPanel("related"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("code", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("who_can_apply"),
        index.SearchField("requirements"),
        index.SearchField("documents"),
        index.FilterField("code"),
        index.FilterField("locale_id"),
    ]

    class Meta:
        verbose_name = _("fitxa de tràmit")
        verbose_name_plural = _("fitxes de tràmit")

    def clean(self):
        # One guide per code and language; `locale` lives on Page, so no database constraint can say it.
        super().clean()
        clash = TramitPage.objects.filter(code=self.code, locale_id=self.locale_id).exclude(
            translation_key=self.translation_key
        )
        if self.code and clash.exists():
            raise ValidationError({"code": _("Ja hi ha una fitxa amb aquest codi en aquest idioma.")})

    @property
    def procedure(self):
        return get_procedure(self.code)

    @property
    def online_url(self) -> str:
        """Where "Tramita en línia" leads: the procedure's wizard."""
        return reverse("wizards:start", kwargs={"code": self.code})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_tramits"] = self.related.live().filter(locale=self.locale)
        context["contact"] = SiteFooter.for_locale(self.locale)
        return context


class NewsIndexPage(BasePage):
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("índex de notícies")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().order_by("-date")
        context["news_page"] = Paginator(news, 10).get_page(request.GET.get("pagina"))
        return context


class NewsPage(BasePage):
    date = models.DateField(_("data"), default=timezone.localdate)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("contingut"))

    parent_page_types = ["content.NewsIndexPage"]
    subpage_types: list[str] = []
    content_panels = [*BasePage.content_panels, FieldPanel("date"), FieldPanel("body")]

    class Meta:
        verbose_name = _("notícia")
        verbose_name_plural = _("notícies")


class StandardPage(BasePage):
    """Legal notice, privacy, accessibility statement and any other plain page."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("contingut"))

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]
    content_panels = [*BasePage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("pàgina estàndard")


class OfficialTimePage(BasePage):
    """The official date and time of the seu (Llei 39/2015 art. 31), Europe/Madrid."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("data i hora oficials")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["now"] = timezone.localtime()
        return context


class CalendarPage(BasePage):
    """The published calendar of non-business days that terms are counted on."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("calendari de dies inhàbils")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        this_year = timezone.localdate().year
        try:
            year = int(request.GET.get("any", this_year))
        except ValueError:
            year = this_year
        year = min(max(year, this_year - 5), this_year + 2)
        context.update(
            year=year,
            holidays=Holiday.objects.filter(date__year=year),
            previous_year=year - 1 if year > this_year - 5 else None,
            next_year=year + 1 if year < this_year + 2 else None,
        )
        return context


class SitemapPage(BasePage):
    """A readable map of the whole site, in the visitor's language."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("mapa del web")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        home = self.get_parent()
        context["sitemap_sections"] = [
            {"page": section, "children": list(section.get_children().live().public().specific().order_by("title"))}
            for section in home.get_children().live().public().specific()
        ]
        return context


@register_snippet
class SiteFooter(TranslatableMixin, models.Model):
    """Contact details of the OAC and the footer links, one per language."""

    office_name = models.CharField(_("nom de l'oficina"), max_length=150)
    address = models.TextField(_("adreça"))
    opening_hours = models.TextField(_("horari"))
    phone = models.CharField(_("telèfon"), max_length=30, blank=True)
    email = models.EmailField(_("correu electrònic"), blank=True)
    links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("enllaços del peu"),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("links"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("peu i contacte")
        verbose_name_plural = _("peu i contacte")

    def __str__(self) -> str:
        return f"{self.office_name} ({self.locale})"

    @classmethod
    def for_locale(cls, locale):
        return cls.objects.filter(locale=locale).first() or cls.objects.order_by("id").first()


class AlertLevel(models.TextChoices):
    INFO = "info", _("Informació")
    WARNING = "warning", _("Avís")


@register_snippet
class AlertBanner(TranslatableMixin, models.Model):
    """A site-wide notice (e.g. the seu will be down for maintenance on Sunday)."""

    message = models.CharField(_("missatge"), max_length=300)
    level = models.CharField(_("nivell"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.INFO)
    link = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enllaç"),
    )
    active = models.BooleanField(_("actiu"), default=False)
    starts_at = models.DateTimeField(_("des de"), null=True, blank=True)
    ends_at = models.DateTimeField(_("fins a"), null=True, blank=True)

    panels = [
        FieldPanel("message"),
        FieldPanel("level"),
        FieldPanel("link"),
        FieldPanel("active"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("avís general")
        verbose_name_plural = _("avisos generals")

    def __str__(self) -> str:
        return self.message

    @classmethod
    def current(cls, locale):
        now = timezone.now()
        return (
            cls.objects.filter(locale=locale, active=True)
            .filter(models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=now))
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
            .select_related("link")
            .first()
        )
