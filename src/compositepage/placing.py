"""Where placements sit: by slot of a layout, and the keys that order them.

``arrange`` is what every view of a page uses (the real view, design mode,
search, REST); ``order_key`` is what an add or a move stores.
"""

from compositepage import limits
from compositepage import ordering
from compositepage.layout import Layout
from compositepage.storage import Composition
from compositepage.storage import Placement


def arrange(
    composition: Composition | None, layout: Layout | None
) -> tuple[dict[str, list[Placement]], list[Placement]]:
    """Placements by slot of ``layout``, and those it cannot show.

    A placement is *unplaced* when the layout has no slot of its name, when
    the slot's rules do not allow its widget type, or when the slot already
    holds its maximum.  Nothing is ever deleted for that: switching back to a
    layout that shows it puts it back.

    :param composition: A stored composition, or None (nothing placed).
    :param layout: The layout the page is shown with, or None.
    :returns: ``({slot name: [Placement, ...]}, [unplaced Placement, ...])``,
        slots in the layout's order, placements in their order.
    """
    slots = {slot.name: [] for slot in layout.slots} if layout is not None else {}
    unplaced = []
    if composition is None:
        return slots, unplaced
    for placement in composition.ordered():
        slot = layout.get_slot(placement.slot) if layout is not None else None
        kept = slots.get(placement.slot)
        if (
            slot is None
            or not slot.accepts(placement.widget_type)
            or (slot.max is not None and len(kept) >= slot.max)
        ):
            unplaced.append(placement)
        else:
            kept.append(placement)
    return slots, unplaced


def order_key(composition, slot_name, arranged, index):
    """A key placing a widget at ``index`` among the ``arranged`` widgets of
    ``slot_name`` (the slot's keys are respaced when there is no room)."""
    before = arranged[index - 1].order if index > 0 else None
    after = arranged[index].order if index < len(arranged) else None
    if before is not None and after is not None and not before < after:
        respace(composition, slot_name)
        return order_key(composition, slot_name, arranged, index)
    key = ordering.key_between(before, after)
    if len(key) > limits.MAX_ORDER_KEY_LENGTH:
        respace(composition, slot_name)
        return order_key(composition, slot_name, arranged, index)
    return key


def respace(composition, slot_name):
    """Give the placements of one slot evenly spread keys.

    Rare (hundreds of inserts at one spot).  Stored operations hold keys of
    the old spacing and would put widgets back in the wrong places, so the
    page's history starts afresh.
    """
    from compositepage import history

    placements = composition.in_slot(slot_name)
    keys = ordering.spread(len(placements))
    for placement, key in zip(placements, keys, strict=True):
        placement.order = key
    history.forget(composition)
