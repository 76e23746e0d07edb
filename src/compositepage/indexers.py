"""Site search finds a composite page by the words in its widgets."""

from compositepage import api
from compositepage.interfaces import IComposite
from compositepage.storage import query_composition
from plone.app.contenttypes.indexers import SearchableText
from plone.indexer.decorator import indexer


@indexer(IComposite)
def searchable_text(obj):
    """The item's own text plus the text of the widgets visitors can see."""
    slots, unplaced = api.arrange(query_composition(obj), api.get_layout(obj))
    texts = [
        placement.derived.get("text", "")
        for placements in slots.values()
        for placement in placements
    ]
    return " ".join([SearchableText(obj), *filter(None, texts)])
