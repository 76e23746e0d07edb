"""The heading widget: a line of text at level 2, 3 or 4."""

from compositepage import _
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
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
    def update(self):
        self.text = self.settings.get("text") or ""
        self.level = self.settings.get("level") or 2


def stub(settings, references):
    return DesignStub(
        kind="heading",
        title=settings.get("text") or "",
        lines=1,
        level=settings.get("level") or 2,
    )
