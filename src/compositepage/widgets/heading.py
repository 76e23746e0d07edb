"""The heading widget: a line of text at level 2, 3 or 4."""

from compositepage import _
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from html import escape
from plone.supermodel import model
from zope import schema


class IHeadingSettings(model.Schema):
    text = schema.TextLine(
        title=_("label_heading_text", default="Text"),
        max_length=200,
        required=True,
    )
    level = schema.Choice(
        title=_("label_heading_level", default="Level"),
        description=_(
            "help_heading_level",
            default="2 for a section of the page, 3 and 4 for parts of it.",
        ),
        values=(2, 3, 4),
        default=2,
        required=True,
    )


class HeadingRenderer(WidgetRenderer):
    """Markup built in Python: one heading does not need a page template (a
    ``template`` given in ZCML still takes over)."""

    def update(self):
        self.text = self.settings.get("text") or ""
        level = self.settings.get("level")
        self.level = level if level in (2, 3, 4) else 2

    def render(self):
        if self.template is not None:
            return super().render()
        tag = f"h{self.level}"
        return f'<{tag} class="compositepage-heading">{escape(self.text)}</{tag}>'


def stub(settings, references):
    level = settings.get("level")
    level = level if level in (2, 3, 4) else 2
    return DesignStub(
        kind="heading",
        title=settings.get("text") or "",
        lines=1,
        level=level,
        icon=f"type-h{level}",
    )
