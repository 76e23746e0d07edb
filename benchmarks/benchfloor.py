"""The floor of a change, for the benchmark only.

``@@bench-floor-write`` is the editor's write endpoint whose answer, when the
operation changed nothing (a no-op), then does in the same request what any
change of the page must do at least: set the page's modification date and
bring its catalog dates up to date, as a move does.  Timed beside moves and
no-ops, it shows how much of a move is the move and how much is Plone's.

``?extent=`` takes part of that floor (``date``: the modification date only;
``index``: and the date index; ``floor``, the default: and the date metadata
columns), or more: ``every-column``, the date index and every metadata
column recomputed (``reindexObject(idxs=["modified"])``).

Loaded only into the benchmark's throw-away instance (bench.py copies
``benchfloor.zcml`` into its ``etc/package-includes``), never into a site.
"""

from compositepage import api
from compositepage.browser.design import DesignWriteView
from compositepage.storage import query_composition
from urllib.parse import parse_qs


# A move within one plain slot: what _reindex gets from such a move.
IN_MAIN = {"op": "move", "slot": "main"}


def date_index(obj):
    obj.reindexObject(idxs=["modified"], update_metadata=0)


def date_columns(obj):
    # The date index and the date metadata columns, as a move updates them.
    api._reindex(obj, IN_MAIN, IN_MAIN)


def every_column(obj):
    obj.reindexObject(idxs=["modified"])


# What follows the modification date, by ``?extent=``.
EXTENTS = {
    "date": (),
    "index": (date_index,),
    "floor": (date_columns,),
    "every-column": (every_column,),
}


class FloorWriteView(DesignWriteView):
    def __call__(self):
        version = self._version()
        answer = super().__call__()
        if self.request.response.getStatus() != 200 or self._version() != version:
            raise ValueError("bench-floor-write takes no-ops only")
        query = parse_qs(self.request.get("QUERY_STRING", ""))
        self.context.setModificationDate()
        for step in EXTENTS[query.get("extent", ["floor"])[0]]:
            step(self.context)
        return answer

    def _version(self):
        composition = query_composition(self.context)
        return composition.version if composition is not None else 0
