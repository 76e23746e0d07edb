"""The undo and redo history of a page's composition.

Each entry holds an operation in its stored form and the operation that
takes it back (see ``compositepage.operations``).  Entries form two linked
lists from the composition's ``undo_head`` and ``redo_head``, so recording
an operation writes one new record and the composition's root, whatever
the length of the history.
"""

from compositepage import lookup
from compositepage.storage import Composition
from compositepage.storage import HistoryEntry


def forget(composition: Composition) -> None:
    """Drop the undo and redo history; the placements stay."""
    composition.undo_head = composition.redo_head = None
    composition.undo_size = 0


def _push(composition, head, entry):
    entry.previous = getattr(composition, head)
    setattr(composition, head, entry)


def record(composition: Composition, forward: dict, inverse: dict) -> None:
    """Put an operation on the undo list, drop the redo list, keep it short.

    :param forward: The operation as applied, in its stored form.
    :param inverse: The operation that takes it back, in its stored form.
    """
    length = lookup.get_setting("history_length")
    composition.redo_head = None
    if length <= 0:
        forget(composition)
        return
    _push(composition, "undo_head", HistoryEntry(forward, inverse))
    composition.undo_size += 1
    # Cutting the list rewrites one more entry; doing it once every few
    # operations keeps most operations to three small records.
    if composition.undo_size >= length + max(5, length // 5):
        last = composition.undo_head
        for _ in range(length - 1):
            last = last.previous
        last.previous = None
        composition.undo_size = length


def latest(composition: Composition | None, redo: bool = False) -> HistoryEntry | None:
    """The entry the next undo (``redo``: the next redo) takes, or None."""
    if composition is None:
        return None
    return composition.redo_head if redo else composition.undo_head


def step(composition: Composition, redo: bool = False) -> HistoryEntry:
    """Move the latest entry from the undo list to the redo list (``redo``:
    back).  The caller applies the entry's inverse (``redo``: its forward)."""
    if redo:
        entry = composition.redo_head
        composition.redo_head = entry.previous
        _push(composition, "undo_head", entry)
        composition.undo_size += 1
    else:
        entry = composition.undo_head
        composition.undo_head = entry.previous
        composition.undo_size -= 1
        _push(composition, "redo_head", entry)
    return entry
