"""Giving a content item its own copy of another item's composition.

Working copies and translations start from the composition of the item they
come from.  They must not share its persistent records: plone.app.iterate's
folderish copier copies annotations by reference, and a shared composition
would let the draft edit the live page.
"""

from compositepage.storage import ANNOTATION_KEY
from compositepage.storage import forget_history
from compositepage.storage import query_composition
from zope.annotation.interfaces import IAnnotations

import copy


# The attributes that hold the heads of a composition's history lists.
HISTORY_HEADS = ("undo_head", "redo_head")


def history_heads(composition):
    """The heads of the history lists of ``composition``, by their ``id()``:
    what a copy or a version of it leaves out."""
    heads = (getattr(composition, name, None) for name in HISTORY_HEADS)
    return {id(head): head for head in heads if head is not None}


def copy_composition(source, target, layout=None):
    """Give ``target`` a deep copy of the composition of ``source``.

    The copy has the layout (or ``layout``, when given), the placements and
    their settings, the version of the original and a history of its own
    (empty).  Nothing of it is shared with ``source``.

    :param source: The content item copied from.
    :param target: The content item that gets the copy.
    :param layout: The name of the layout of the copy (default: the source's).
    :returns: The new composition, or None when ``source`` has none (the
        target is then left as it is).
    """
    composition = query_composition(source)
    if composition is None:
        return None
    # deepcopy returns what the memo holds for an object: None for the heads
    # of the history, so the history (which a copy starts without) is not
    # copied only to be dropped.
    memo = dict.fromkeys(history_heads(composition))
    copied = copy.deepcopy(composition, memo)
    if layout is not None:
        copied.layout = layout
    IAnnotations(target)[ANNOTATION_KEY] = copied
    forget_history(target)
    return copied
