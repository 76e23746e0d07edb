"""Helpers shared by the built-in widgets."""

from compositepage import _
from compositepage.urls import is_safe_link
from zope.component import getMultiAdapter
from zope.component.hooks import getSite
from zope.interface import Invalid


def check_link(value):
    """Constraint of link settings: http(s), mailto or a path in the site."""
    if value and not is_safe_link(value):
        raise Invalid(
            _(
                "error_unsafe_link",
                default="Use an address starting with https://, http://, "
                "mailto: or / (a page of this site).",
            )
        )
    return True


def image_tag(request, brain, scale, alt=None, css_class=None):
    """An <img> for a brain's image scale, from catalog metadata when it can.

    Uses the site's ``@@image_scale`` view, which builds the tag from the
    ``image_scales`` metadata (no object is loaded) and caches it.
    """
    # One @@image_scale view per request, not one per image.
    scaling = request.get("compositepage.image_scale")
    if scaling is None:
        scaling = getMultiAdapter((getSite(), request), name="image_scale")
        request.set("compositepage.image_scale", scaling)
    kwargs = {"scale": scale, "css_class": css_class}
    if alt is not None:
        kwargs["alt"] = alt
    return scaling.tag(brain, "image", **kwargs)


def _image_info(brain):
    """The catalog metadata of a brain's image (``image_scales``), or {}."""
    try:
        info = brain.image_scales["image"][0]
    except (AttributeError, KeyError, IndexError, TypeError):
        return {}
    return info if isinstance(info, dict) else {}


def image_aspect(brain, default=1.5):
    """Width / height of a brain's image, from catalog metadata."""
    info = _image_info(brain)
    try:
        return round(info["width"] / info["height"], 3)
    except (KeyError, TypeError, ZeroDivisionError):
        return default


def image_width(brain, scale):
    """How wide a brain's image is shown at ``scale``, in pixels, from
    catalog metadata (a scale is never wider than the image); 0 if unknown."""
    info = _image_info(brain)
    found = (info.get("scales") or {}).get(scale, info)
    try:
        return int(found["width"])
    except (KeyError, TypeError, ValueError):
        return 0


def has_image(brain):
    scales = getattr(brain, "image_scales", None)
    return bool(scales) and "image" in scales


def card_image(request, brain):
    """The image of a card (teaser, listing card) for a brain, or None when
    it has none: as wide as the card, rounded with it, in proportion."""
    if not has_image(brain):
        return None
    return image_tag(
        request, brain, "preview", alt="", css_class="card-img-top img-fluid"
    )


def shorten(text, length=60):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
