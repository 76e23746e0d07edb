"""The embed widget: a video or map from an allowed provider, in a sandbox."""

from compositepage import _
from compositepage.lookup import get_setting
from compositepage.urls import embed_address
from compositepage.urls import embed_allowed
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from compositepage.widget import WidgetUnavailable
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid


ASPECTS = {"16:9": 16 / 9, "4:3": 4 / 3, "1:1": 1.0}


def check_embed_url(value):
    allowlist = get_setting("embed_allowlist")
    if value and not embed_allowed(value, allowlist):
        suggestion = embed_address(value, allowlist)
        if suggestion is not None:
            raise Invalid(
                _(
                    "error_embed_page_address",
                    default="This is the address of the video's page, not its "
                    "embed address: use ${address} instead",
                    mapping={"address": suggestion},
                )
            )
        raise Invalid(
            _(
                "error_embed_not_allowed",
                default="This address is not from an allowed provider. Allowed "
                "addresses start with: ${providers}",
                mapping={"providers": ", ".join(get_setting("embed_allowlist") or ())},
            )
        )
    return True


class IEmbedSettings(model.Schema):
    url = schema.TextLine(
        title=_("label_embed_url", default="Address"),
        description=_(
            "help_embed_url",
            default="The embed address the provider gives, for example "
            "https://www.youtube-nocookie.com/embed/VIDEO-ID.",
        ),
        constraint=check_embed_url,
        required=True,
    )
    title = schema.TextLine(
        title=_("label_embed_title", default="Title"),
        description=_(
            "help_embed_title",
            default="What the embedded content is, for screen readers.",
        ),
        required=True,
    )
    aspect = schema.Choice(
        title=_("label_embed_aspect", default="Shape"),
        values=tuple(ASPECTS),
        default="16:9",
        required=True,
    )


class EmbedRenderer(WidgetRenderer):
    def update(self):
        url = self.settings.get("url")
        # The allow-list may have shrunk since the widget was stored.
        if not embed_allowed(url, get_setting("embed_allowlist")):
            raise WidgetUnavailable(
                _(
                    "unavailable_embed",
                    default="The provider of this embed is no longer allowed.",
                )
            )
        self.url = url
        self.title = self.settings.get("title") or ""
        self.ratio = {"16:9": "16x9", "4:3": "4x3", "1:1": "1x1"}.get(
            self.settings.get("aspect"), "16x9"
        )


def stub(settings, references):
    return DesignStub(
        kind="embed",
        title=settings.get("title") or "",
        aspect=round(ASPECTS.get(settings.get("aspect"), 16 / 9), 3),
    )
