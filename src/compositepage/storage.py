"""Where a page's composition lives: one annotation on the content item.

The annotation holds a small ``Composition`` root (layout name, version,
history heads) and a BTree of ``Placement`` records.  Each placement carries
its slot and its order key, so a move rewrites one placement and the root,
never a list of every widget; history entries form a linked list for the same
reason.  Reading never creates the annotation: see ``query_composition``.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.annotation.interfaces import IAnnotations


ANNOTATION_KEY = "compositepage.composition"


class Placement(Persistent):
    """One widget on a page: its type, where it sits and its settings.

    ``settings`` is plain data (JSON types only, content referenced by UUID);
    ``derived`` holds what the widget type computed from the settings when
    they were stored (e.g. cleaned HTML, text for search), so rendering and
    indexing do not recompute it.  Both dicts are replaced, never mutated.
    """

    def __init__(self, id, widget_type, slot, order, settings, derived):
        self.id = id
        self.widget_type = widget_type
        self.slot = slot
        self.order = order
        self.settings = settings
        self.derived = derived

    # Who last changed its settings and who last placed it: (version, user
    # id, ISO time), see compositepage.conflicts.
    edited = None
    placed = None

    def __repr__(self):
        return f"<Placement {self.id} {self.widget_type} in {self.slot}@{self.order}>"


class HistoryEntry(Persistent):
    """One undoable operation: what was done and how to take it back."""

    def __init__(self, forward, inverse, previous=None):
        self.forward = forward
        self.inverse = inverse
        self.previous = previous


class Composition(Persistent):
    """The root of a page's composition."""

    # The last change, the last replacement of every widget (version, user
    # id, ISO time) and the last removals: see compositepage.conflicts.
    changed = None
    replaced = None
    removed = None

    def __init__(self, layout):
        self.layout = layout
        self.version = 0
        self.count = 0
        self.placements = OOBTree()
        self.undo_head = None
        self.undo_size = 0
        self.redo_head = None

    def ordered(self):
        """All placements, sorted by slot and order key."""
        return sorted(self.placements.values(), key=lambda p: (p.slot, p.order, p.id))

    def in_slot(self, slot):
        """The placements of one slot, in order."""
        return sorted(
            (p for p in self.placements.values() if p.slot == slot),
            key=lambda p: (p.order, p.id),
        )


def forget_history(obj):
    """Drop the undo and redo history of ``obj`` (a fresh start, e.g. for
    content created by a script); the placements stay."""
    composition = query_composition(obj)
    if composition is not None:
        composition.undo_head = composition.redo_head = None
        composition.undo_size = 0


def query_composition(obj):
    """The stored composition of ``obj``, or None; never writes."""
    annotations = IAnnotations(obj, None)
    if annotations is None:
        return None
    return annotations.get(ANNOTATION_KEY)


def ensure_composition(obj, layout):
    """The stored composition of ``obj``, created on first write."""
    annotations = IAnnotations(obj)
    composition = annotations.get(ANNOTATION_KEY)
    if composition is None:
        composition = Composition(layout)
        annotations[ANNOTATION_KEY] = composition
    return composition
