"""Build the demo site from the YAML files beside this module.

Idempotent: what exists already (by slug, translation or key) is left as it is, so a second
run creates nothing and never overwrites what editors changed.
"""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from content import models as pages
from content.editorial import editorial_setup
from content.permissions import CASE_HANDLERS, COMMUNICATIONS, GUIDE_APPROVERS, GUIDE_EDITORS
from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import BY_CODE, DEPARTMENTS
from tramits.catalogue.selectors import department_by_code
from tramits.finder.demo.loader import finder_demo_load
from tramits.terminis.calendar import holidays_seed

DATA = Path(__file__).parent
LANGUAGES = [code for code, _ in settings.LANGUAGES]
SECTIONS = {
    "tramits": (pages.TramitIndexPage, True),
    "ambits": (pages.TopicIndexPage, True),
    "moments": (pages.LifeEventIndexPage, True),
    "noticies": (pages.NewsIndexPage, True),
    "hora": (pages.OfficialTimePage, False),
    "calendari": (pages.CalendarPage, False),
    "mapa": (pages.SitemapPage, False),
}
DEMO_PASSWORD = "seu-demo-2026"  # noqa: S105 (demo accounts for a local try-out, printed by make run)
# One case handler for every department that receives filings (the catalogue's codes), so each
# inbox and the desk can be tried; atencio@ is the clerk at the citizens' desk (OAC).
DEMO_ACCOUNTS = [
    ("editor@seu.example", "Esther", "Editora", GUIDE_EDITORS, None),
    ("aprovacio@seu.example", "Àlex", "Aprovador", GUIDE_APPROVERS, None),
    ("comunicacio@seu.example", "Carla", "Comunicació", COMMUNICATIONS, None),
    ("padro@seu.example", "Pau", "Ribas", CASE_HANDLERS, "PADRO"),
    ("registre@seu.example", "Jordi", "Vilaseca", CASE_HANDLERS, "REGISTRE"),
    ("atencio@seu.example", "Núria", "Casals", CASE_HANDLERS, "ATENCIO"),
    ("mobilitat@seu.example", "Marta", "Vidal", CASE_HANDLERS, "MOBILITAT"),
    ("urbanisme@seu.example", "Oriol", "Batlle", CASE_HANDLERS, "URBANISME"),
    ("hisenda@seu.example", "Montserrat", "Puig", CASE_HANDLERS, "HISENDA"),
    ("educacio@seu.example", "Laia", "Camps", CASE_HANDLERS, "EDUCACIO"),
    ("socials@seu.example", "Roser", "Bosch", CASE_HANDLERS, "SOCIALS"),
    ("mediambient@seu.example", "Arnau", "Sala", CASE_HANDLERS, "MEDIAMBIENT"),
    ("viapublica@seu.example", "Gerard", "Font", CASE_HANDLERS, "VIAPUBLICA"),
]


def read(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class DemoLoader:
    def __init__(self):
        self.locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
        self.created = 0

    # Page helpers -------------------------------------------------------------------------

    def child(self, parent: Page, model: type[Page], fields: dict[str, Any]) -> Page:
        """The child of `parent` with this slug, created and published when missing."""
        existing = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing is not None:
            return existing
        page = model(locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def translation(self, source: Page, code: str, fields: dict[str, Any]) -> Page:
        """The translation of `source` into `code`, created from a copy and published when missing."""
        existing = source.get_translation_or_none(self.locales[code])
        if existing is not None:
            return existing.specific
        page = source.copy_for_translation(self.locales[code]).specific
        if fields.get("slug", page.slug) != page.slug:
            # Rename the fresh draft in place: a normal save would leave a redirect from the copied slug.
            page.slug = fields["slug"]
            page.set_url_path(page.get_parent())
            type(page).objects.filter(pk=page.pk).update(slug=page.slug, url_path=page.url_path)
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
        self.created += 1
        return page

    def multilingual(self, parents: dict[str, Page], model, data: dict, fields_for) -> dict[str, Page]:
        """One page per language: Catalan under its parent, the rest as its translations."""
        result = {"ca": self.child(parents["ca"], model, fields_for("ca", data["ca"]))}
        for code in LANGUAGES[1:]:
            if code in data and code in parents:
                result[code] = self.translation(result["ca"], code, fields_for(code, data[code]))
        return result

    # Steps --------------------------------------------------------------------------------

    def homes(self, data: dict) -> dict[str, Page]:
        # A flushed database (transactional tests) has lost the tree root that Wagtail's migration made.
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=self.locales["ca"])
        )
        home = pages.HomePage.objects.filter(locale=self.locales["ca"]).first()
        if home is None:
            home = self.child(root, pages.HomePage, {"slug": "inici", **basic(data["ca"])})
        site = Site.objects.filter(is_default_site=True).first()
        if site is None or site.root_page_id != home.pk:
            old_root = site.root_page if site else None
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "port": 80,
                    "root_page": home,
                    "site_name": settings.WAGTAIL_SITE_NAME,
                },
            )
            if old_root is not None and old_root.specific_class is Page:
                old_root.delete()  # Wagtail's welcome page
        homes = {"ca": home}
        for code in LANGUAGES[1:]:
            homes[code] = self.translation(home, code, basic(data[code]))
        return homes

    def sections(self, homes: dict[str, Page], data: dict) -> dict[str, dict[str, Page]]:
        result = {}
        for key, (model, in_menu) in SECTIONS.items():
            result[key] = self.multilingual(
                homes, model, data[key], lambda code, d, in_menu=in_menu: {**basic(d), "show_in_menus": in_menu}
            )
        return result

    def legal(self, homes: dict[str, Page], data: dict) -> dict[str, dict[str, Page]]:
        return {
            key: self.multilingual(homes, pages.StandardPage, item, lambda code, d: {**basic(d), "body": body(d)})
            for key, item in data.items()
        }

    def topics(self, index: dict[str, Page], data: list[dict]) -> dict[str, dict[str, Page]]:
        return {item["key"]: self.multilingual(index, pages.TopicPage, item, lambda code, d: basic(d)) for item in data}

    def tramits(self, index, topics, departments, data: list[dict]) -> dict[str, dict[str, Page]]:
        result = {}
        for item in data:
            procedure = BY_CODE[item["code"]]
            topic = topics[procedure.topic]

            def fields(code, d, procedure=procedure, topic=topic, item=item):
                return {
                    **basic(d),
                    "code": procedure.code,
                    "summary": d["summary"],
                    "who_can_apply": d.get("who_can_apply", ""),
                    "requirements": d.get("requirements", ""),
                    "documents": d.get("documents", ""),
                    "fees": d.get("fees", ""),
                    "term": d.get("term", ""),
                    "silence": procedure.silence,
                    "online": procedure.online,
                    "legal_basis": d.get("legal_basis", ""),
                    "search_description": d.get("search_keywords", ""),
                    "featured": bool(item.get("featured")),
                    "topic": topic.get(code, topic["ca"]),
                    "department": departments[procedure.department],
                }

            result[item["code"]] = self.multilingual(index, pages.TramitPage, item, fields)
        # Related procedures point at the guide in the same language.
        for item in data:
            for code, page in result[item["code"]].items():
                wanted = [result[other][code] for other in item.get("related", []) if code in result[other]]
                if not page.related.exists() and wanted:
                    page.related.set(wanted)
                    page.save_revision().publish()
        return result

    def life_events(self, index, tramits, data: list[dict]) -> None:
        for item in data:
            events = self.multilingual(index, pages.LifeEventPage, item, lambda code, d: {**basic(d), "body": body(d)})
            for code, page in events.items():
                wanted = [tramits[c][code] for c in item.get("tramits", []) if code in tramits[c]]
                if not page.tramits.exists() and wanted:
                    page.tramits.set(wanted)
                    page.save_revision().publish()

    def news(self, index, data: list[dict]) -> None:
        for item in data:
            self.multilingual(
                index,
                pages.NewsPage,
                item,
                lambda code, d, item=item: {**basic(d), "date": item["date"], "body": body(d)},
            )

    def snippets(self, data: dict, legal: dict) -> None:
        footer_ca = pages.SiteFooter.objects.filter(locale=self.locales["ca"]).first()
        for code in LANGUAGES:
            if pages.SiteFooter.objects.filter(locale=self.locales[code]).exists():
                continue
            links = [
                ("link", {"page": legal_page[code], "url": "", "text": legal_page[code].title})
                for legal_page in legal.values()
                if code in legal_page
            ]
            footer = pages.SiteFooter(locale=self.locales[code], links=links, **data["footer"][code])
            if footer_ca is not None:
                footer.translation_key = footer_ca.translation_key
            footer.save()
            footer_ca = footer_ca or footer
        banner_ca = pages.AlertBanner.objects.filter(locale=self.locales["ca"]).first()
        for code in LANGUAGES:
            if pages.AlertBanner.objects.filter(locale=self.locales[code]).exists():
                continue
            banner = pages.AlertBanner(locale=self.locales[code], active=False, **data["banner"][code])
            if banner_ca is not None:
                banner.translation_key = banner_ca.translation_key
            banner.save()
            banner_ca = banner_ca or banner

    def accounts(self, departments: dict[str, Department]) -> list[str]:
        lines = [
            "",
            "Demo accounts (admin at /admin/, password for all: " + DEMO_PASSWORD + "):",
            "  Staff use two-factor authentication: the first login asks you to add the account",
            "  to an authenticator app (TOTP) by scanning the QR code or typing the secret shown.",
        ]
        for email, first, last, group_name, department in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"first_name": first, "last_name": last, "is_staff": True}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            if department:
                departments[department].members.add(user)
            lines.append(f"  {email:28} {group_name}{f' ({department})' if department else ''}")
        return lines


def departments_ensure() -> dict[str, Department]:
    """The catalogue's departments by code, created in the catalogue's spelling when missing."""
    result = {}
    for code, dir3, ca, es, en in DEPARTMENTS:
        department = department_by_code(code=code)
        if department is None:
            department = Department.objects.create(code=code, dir3=dir3, name_ca=ca, name_es=es, name_en=en)
        result[code] = department
    return result


def basic(data: dict) -> dict[str, Any]:
    return {key: data[key] for key in ("title", "slug", "intro") if key in data}


def body(data: dict) -> list[tuple[str, str]]:
    return [("paragraph", data["body"])] if data.get("body") else []


@transaction.atomic
def demo_load(*, with_users: bool = False) -> dict[str, Any]:
    """Load (or complete) the demo site; returns what was created and the demo accounts."""
    loader = DemoLoader()
    departments = departments_ensure()
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year, this_year + 1):
        holidays_seed(year=year)

    site = read("site.yaml")
    homes = loader.homes(site["home"])
    sections = loader.sections(homes, site["sections"])
    legal = loader.legal(homes, site["legal"])
    topics = loader.topics(sections["ambits"], read("topics.yaml"))
    tramits = loader.tramits(sections["tramits"], topics, departments, read("tramits.yaml"))
    loader.life_events(sections["moments"], tramits, read("life_events.yaml"))
    loader.news(sections["noticies"], read("news.yaml"))
    footer_pages = {**legal, **{key: sections[key] for key in ("hora", "calendari", "mapa")}}
    loader.snippets(site, footer_pages)
    editorial_setup()
    loader.created += finder_demo_load()
    report: dict[str, Any] = {"created": loader.created, "pages": Page.objects.filter(depth__gt=1).count()}
    if with_users:
        report["accounts"] = loader.accounts(departments)
    return report
