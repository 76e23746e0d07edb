"""Vocabularies of layouts, widget types and the choices of widget settings."""

from compositepage import lookup
from plone.namedfile.interfaces import IAvailableSizes
from zope.component import queryUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _vocabulary(titles):
    return SimpleVocabulary(
        [SimpleTerm(value=name, token=name, title=title) for name, title in titles]
    )


@provider(IVocabularyFactory)
def all_layouts(context=None):
    """Every registered layout (for the control panel)."""
    return _vocabulary(sorted(lookup.all_layout_titles().items()))


@provider(IVocabularyFactory)
def all_widget_types(context=None):
    """Every registered widget type (for the control panel), the enabled
    ones first in their palette order, then the others by name: the form
    saves the ticked ones in this order, so saving keeps the palette's."""
    types = lookup.widget_types()
    enabled = lookup.get_setting("enabled_widget_types")
    place = {name: index for index, name in enumerate(enabled)}
    return _vocabulary(
        (name, types[name].title)
        for name in sorted(types, key=lambda name: (place.get(name, len(place)), name))
    )


@provider(IVocabularyFactory)
def layouts(context=None):
    """The enabled layouts available for ``context`` (for editors)."""
    from compositepage import api

    return _vocabulary(
        (layout.name, layout.title) for layout in api.get_layouts(context)
    )


@provider(IVocabularyFactory)
def listing_styles(context=None):
    """How a listing widget shows its items."""
    from compositepage import _

    return SimpleVocabulary(
        [
            SimpleTerm("list", "list", _("style_list", default="List")),
            SimpleTerm("cards", "cards", _("style_cards", default="Cards")),
        ]
    )


# Plone's image scales are bounded by width only when their height is this.
UNBOUNDED = 65536


def _scale_name(name):
    """The title of an image scale: Plone's own scales by name, translated;
    a site's own scales as they are named."""
    from compositepage import _

    titles = {
        "icon": _("scale_icon", default="Icon"),
        "tile": _("scale_tile", default="Tile"),
        "thumb": _("scale_thumb", default="Thumbnail"),
        "mini": _("scale_mini", default="Mini"),
        "preview": _("scale_preview", default="Preview"),
        "teaser": _("scale_teaser", default="Teaser"),
        "large": _("scale_large", default="Large"),
        "larger": _("scale_larger", default="Larger"),
        "great": _("scale_great", default="Great"),
        "huge": _("scale_huge", default="Huge"),
        "listing": _("scale_listing", default="Listing"),
    }
    return titles.get(name, name.capitalize())


@provider(IVocabularyFactory)
def image_scales(context=None):
    """The site's image scales, smallest first, titled by the size an editor
    gets ("Preview: 400 px wide") rather than Plone's "preview 400x65536"."""
    from compositepage import _

    sizes = queryUtility(IAvailableSizes)
    available = (sizes() if sizes is not None else None) or {}
    terms = []
    for name, (width, height) in sorted(
        available.items(), key=lambda item: (item[1][0], item[0])
    ):
        mapping = {
            "name": _scale_name(name),
            "width": width,
            "height": height,
        }
        if height >= UNBOUNDED:
            title = _(
                "image_scale_wide", default="${name}: ${width} px wide", mapping=mapping
            )
        else:
            title = _(
                "image_scale_box",
                default="${name}: up to ${width} × ${height} px",
                mapping=mapping,
            )
        terms.append(SimpleTerm(name, name, title))
    return SimpleVocabulary(terms)
