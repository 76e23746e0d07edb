"""The rich text widget: HTML edited with TinyMCE, cleaned once when stored."""

from compositepage import _
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from html import unescape
from plone.app.textfield import RichText
from plone.outputfilters import apply_filters
from plone.outputfilters.interfaces import IFilter
from plone.supermodel import model
from Products.CMFCore.utils import getToolByName
from zope.component import getAdapters

import re


# About one line of fuzzy text in design mode per this many characters.
CHARACTERS_PER_LINE = 90
# Control characters HTML text cannot hold (tab, line feed and carriage
# return can); text pasted from word processors brings form feeds.  lxml 6
# (Plone 6.2) refuses them in the safe-HTML transform instead of dropping them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
        html = self.settings.get("text") or ""
        if "resolveuid" in html:
            # Links to content by UUID become URLs at view time, so they
            # follow the content when it moves.
            filters = [f for _, f in getAdapters((self.context, self.request), IFilter)]
            html = apply_filters(filters, html)
        self.html = html

    def render(self):
        """The stored HTML, already safe: a page of many text widgets does not
        pay for a page template per widget (a ``template`` given in ZCML
        still takes over)."""
        if self.template is not None:
            return super().render()
        return f'<div class="compositepage-richtext">{self.html}</div>'

    @classmethod
    def clean(cls, settings, context, schema):
        """Clean the HTML with Plone's safe-HTML transform once, when stored:
        what is stored (and what the REST API gives) is already safe, and
        views do not clean it again."""
        transforms = getToolByName(context, "portal_transforms")
        text = CONTROL.sub("", settings.get("text") or "")
        html = transforms("safe_html", text, context=context) or ""
        if isinstance(html, bytes):
            html = html.decode("utf-8")
        return {**settings, "text": html}

    @classmethod
    def derive(cls, settings, context, schema):
        """The plain text, for site search."""
        transforms = getToolByName(context, "portal_transforms")
        text = transforms.convertTo(
            "text/plain", settings.get("text") or "", mimetype="text/html"
        )
        text = text.getData() if text is not None else ""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return {"text": " ".join(text.split())}


TAG = re.compile(r"<[^>]*>")


def stub(settings, references):
    html = settings.get("text") or ""
    # The first words, so text blocks can be told apart in the floor plan.
    words = " ".join(unescape(TAG.sub(" ", html)).split())
    return DesignStub(
        kind="text",
        title=words[:60],
        lines=max(1, min(40, round(len(words) / CHARACTERS_PER_LINE) or 1)),
    )
