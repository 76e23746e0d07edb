"""The teaser widget: another item of the site, with title, summary and image."""

from compositepage import _
from compositepage.pickers import content_choice
from compositepage.pickers import picker
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from compositepage.widgets.common import card_image
from compositepage.widgets.common import has_image
from plone.autoform import directives
from plone.supermodel import model
from zope import schema


class ITeaserSettings(model.Schema):
    target = content_choice(
        title=_("label_teaser_target", default="Item"),
        description=_("help_teaser_target", default="The item this teaser leads to."),
    )
    directives.widget("target", **picker())
    show_description = schema.Bool(
        title=_("label_teaser_show_description", default="Show the summary"),
        default=True,
        required=False,
    )
    show_image = schema.Bool(
        title=_("label_teaser_show_image", default="Show the lead image"),
        default=True,
        required=False,
    )


class TeaserRenderer(WidgetRenderer):
    def update(self):
        brain = self.referenced(
            "target",
            _(
                "unavailable_teaser",
                default="The item this teaser shows was deleted, or you may "
                "not see it.",
            ),
        )
        self.title = brain.Title
        self.url = brain.getURL()
        self.description = (
            brain.Description if self.settings.get("show_description", True) else ""
        )
        self.image = (
            card_image(self.request, brain)
            if self.settings.get("show_image", True)
            else None
        )


def stub(settings, references):
    brain = references.get(settings.get("target"))
    return DesignStub(
        kind="teaser",
        title=brain.Title if brain is not None else "",
        lines=2,
        # An image box only where the real teaser shows one: for a target
        # with a lead image.
        aspect=1.5
        if settings.get("show_image", True) and brain is not None and has_image(brain)
        else None,
    )
