"""The floor of a change, for the benchmark only.

``PATCH <page>/@bench-floor`` is design mode's write (``PATCH
@composition?expand=design``, the same service) which, when its operation
changed nothing (a no-op), then does in the same request what any change of
the page does through Plone's public API: set the page's modification date
and ``reindexObject(idxs=["modified"])``, committed with the request.  Timed
beside moves and no-ops, it shows how much of a move is the move and how
much is Plone's.

``?extent=date`` stops after the modification date (for the move profile).

Loaded only into the benchmark's throw-away instance (bench.py copies
``benchfloor.zcml`` into its ``etc/package-includes``), never into a site.
"""

from compositepage.restapi.services.composition.patch import CompositionPatch
from compositepage.storage import query_composition


def version(context):
    composition = query_composition(context)
    return composition.version if composition is not None else 0


class FloorPatch(CompositionPatch):
    def reply(self):
        before = version(self.context)
        answer = super().reply()
        if self.request.response.getStatus() != 200 or version(self.context) != before:
            raise ValueError("@bench-floor takes no-ops only")
        self.context.setModificationDate()
        if self.request.form.get("extent") != "date":
            self.context.reindexObject(idxs=["modified"])
        return answer
