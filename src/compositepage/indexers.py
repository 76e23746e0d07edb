"""Site search finds a composite page by the words in its widgets."""

from compositepage import api
from compositepage.interfaces import IComposite
from compositepage.placing import nested
from compositepage.storage import query_composition
from plone.app.contenttypes.indexers import SearchableText
from plone.indexer.decorator import indexer


@indexer(IComposite)
def searchable_text(obj):
    """The item's own text plus the text of the widgets visitors can see."""
    composition = query_composition(obj)
    inside = nested(composition)
    slots, unplaced = api.arrange(composition, api.get_layout(obj), inside)
    shown = [placement for placements in slots.values() for placement in placements]
    # The widgets in the slots of shown containers (columns) are shown too.
    for container in list(shown):
        for slot_name, placements in inside.items():
            if slot_name.startswith(f"{container.id}/"):
                shown.extend(placements)
    texts = [placement.derived.get("text", "") for placement in shown]
    return " ".join([SearchableText(obj), *filter(None, texts)])
