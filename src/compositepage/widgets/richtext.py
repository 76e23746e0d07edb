"""The rich text widget: HTML edited with TinyMCE, cleaned once when stored."""

from compositepage import _
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from plone.app.textfield import RichText
from plone.outputfilters import apply_filters
from plone.outputfilters.interfaces import IFilter
from plone.supermodel import model
from Products.CMFCore.utils import getToolByName
from zope.component import getAdapters


# About one line of fuzzy text in design mode per this many characters.
CHARACTERS_PER_LINE = 90


class IRichTextSettings(model.Schema):
    text = RichText(
        title=_("label_richtext_text", default="Text"),
        default_mime_type="text/html",
        output_mime_type="text/x-html-safe",
        allowed_mime_types=("text/html",),
        required=True,
    )


class RichTextRenderer(WidgetRenderer):
    def update(self):
        html = self.derived.get("html", "")
        if "resolveuid" in html:
            # Links to content by UUID become URLs at view time, so they
            # follow the content when it moves.
            filters = [f for _, f in getAdapters((self.context, self.request), IFilter)]
            html = apply_filters(filters, html)
        self.html = html

    @classmethod
    def derive(cls, settings, context, schema):
        """Clean the HTML with Plone's safe-HTML transform once, on save."""
        raw = settings.get("text") or ""
        transforms = getToolByName(context, "portal_transforms")
        html = transforms("safe_html", raw, context=context) or ""
        if isinstance(html, bytes):
            html = html.decode("utf-8")
        text = transforms.convertTo("text/plain", html, mimetype="text/html")
        text = text.getData() if text is not None else ""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return {"html": html, "text": " ".join(text.split())}


def stub(settings, references):
    text = settings.get("text") or ""
    return DesignStub(
        kind="text",
        title="",
        lines=max(1, min(40, round(len(text) / CHARACTERS_PER_LINE) or 1)),
    )
