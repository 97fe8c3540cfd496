"""StreamField blocks for editorial pages; each block carries its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        choices=[("info", _("Informació")), ("warning", _("Avís important"))], default="info", label=_("tipus")
    )
    title = blocks.CharBlock(label=_("títol"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "components/blocks/callout.html"
        label = _("Destacat")
        preview_value = {"level": "info", "title": "Recordeu", "text": "<p>Cal portar el DNI original.</p>"}


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("pàgina"), required=False)
    url = blocks.URLBlock(label=_("adreça externa"), required=False)
    text = blocks.CharBlock(label=_("text de l'enllaç"))

    class Meta:
        icon = "link"
        template = "components/blocks/link.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="components/blocks/heading.html", label=_("Encapçalament")
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
        template="components/blocks/paragraph.html",
        label=_("Paràgraf"),
    )
    callout = CalloutBlock()
    links = blocks.ListBlock(LinkBlock(), template="components/blocks/links.html", label=_("Llista d'enllaços"))
