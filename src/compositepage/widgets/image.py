"""The image widget: an Image item of the site, shown at a scale."""

from compositepage import _
from compositepage.pickers import content_choice
from compositepage.pickers import picker
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from compositepage.widgets.common import check_link
from compositepage.widgets.common import has_image
from compositepage.widgets.common import image_aspect
from compositepage.widgets.common import image_tag
from compositepage.widgets.common import image_width
from plone.autoform import directives
from plone.supermodel import model
from Products.CMFCore.utils import getToolByName
from zope import schema
from zope.component.hooks import getSite
from zope.interface import Invalid
from zope.interface import invariant


# The scale an image widget shows when its settings name none.
DEFAULT_SCALE = "large"


class IImageSettings(model.Schema):
    image = content_choice(
        title=_("label_image_image", default="Image"),
        description=_("help_image_image", default="An image of this site."),
    )
    directives.widget("image", **picker(selectableTypes=["Image"]))
    alt = schema.TextLine(
        title=_("label_image_alt", default="Alternative text"),
        description=_(
            "help_image_alt",
            default="What the image shows, for people who cannot see it. "
            "Leave it empty when the image is only decoration.",
        ),
        required=False,
    )
    scale = schema.Choice(
        title=_("label_image_scale", default="Size"),
        vocabulary="compositepage.ImageScales",
        default=DEFAULT_SCALE,
        required=True,
    )
    link = schema.TextLine(
        title=_("label_image_link", default="Link"),
        description=_(
            "help_image_link",
            default="Optional address the image leads to.",
        ),
        constraint=check_link,
        required=False,
    )

    @invariant
    def image_is_an_image(data):
        uuid = getattr(data, "image", None)
        if not uuid:
            return
        catalog = getToolByName(getSite(), "portal_catalog")
        brains = catalog(UID=uuid)
        if not brains or not has_image(brains[0]):
            raise Invalid(
                _("error_not_an_image", default="The chosen item is not an image.")
            )


class ImageRenderer(WidgetRenderer):
    def update(self):
        brain = self.referenced(
            "image",
            _(
                "unavailable_image",
                default="The image was deleted, or you may not see it.",
            ),
        )
        self.link = self.settings.get("link")
        self.tag = image_tag(
            self.request,
            brain,
            self.settings.get("scale") or DEFAULT_SCALE,
            alt=self.settings.get("alt") or "",
            css_class="img-fluid",
        )


def stub(settings, references):
    brain = references.get(settings.get("image"))
    return DesignStub(
        kind="image",
        title=settings.get("alt") or (brain.Title if brain is not None else ""),
        aspect=image_aspect(brain) if brain is not None else 1.5,
        # As narrow as the scale the page shows (a thumbnail is no banner).
        width=(
            image_width(brain, settings.get("scale") or DEFAULT_SCALE)
            if brain is not None
            else 0
        ),
    )
