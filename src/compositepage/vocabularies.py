"""Vocabularies of layouts and widget types."""

from compositepage import lookup
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
    """Every registered widget type (for the control panel)."""
    types = lookup.widget_types()
    return _vocabulary(sorted((name, types[name].title) for name in types))


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
