"""Where placements sit: by slot of a layout, and the keys that order them.

``arrange`` is what every view of a page uses (the real view, design mode,
search, REST); ``order_key`` is what an add or a move stores.

A container widget (columns) has slots of its own: a placement in one of
them has the slot ``"<container id>/<name>"`` (``sub_slot``).  Such
placements go wherever their container goes (into the tray too); ``nested``
finds them.
"""

from compositepage import limits
from compositepage import lookup
from compositepage import ordering
from compositepage.layout import Layout
from compositepage.storage import Composition
from compositepage.storage import Placement
from compositepage.storage import query_composition

import copy
import re


SUB_SLOT = re.compile(r"^(?P<parent>[0-9a-f]{32})/(?P<name>[a-z][a-z0-9_-]{0,39})$")


def sub_slot(parent_id, name):
    """The slot name of a container's own slot ``name``."""
    return f"{parent_id}/{name}"


def parent_of(slot_name):
    """``(container id, own slot name)`` of a sub-slot, or None."""
    found = SUB_SLOT.match(slot_name) if isinstance(slot_name, str) else None
    return (found.group("parent"), found.group("name")) if found else None


def nested(composition: Composition | None) -> dict[str, list[Placement]]:
    """The placements in containers' slots, by sub-slot name, in order:
    every slot of every container, empty ones too.

    A placement in a slot its container no longer has stays out of it; the
    tray shows it (see ``arrange``).
    """
    found = {}
    if composition is None:
        return found
    types = lookup.widget_types()
    for placement in composition.placements.values():
        widget_type = types.get(placement.widget_type)
        if widget_type is not None and widget_type.is_container:
            for name, _title in widget_type.sub_slots(placement.settings):
                found[sub_slot(placement.id, name)] = []
    if found:
        for placement in composition.ordered():
            if placement.slot in found:
                found[placement.slot].append(placement)
    return found


def arrange(
    composition: Composition | None,
    layout: Layout | None,
    inside: dict[str, list[Placement]] | None = None,
) -> tuple[dict[str, list[Placement]], list[Placement]]:
    """Placements by slot of ``layout``, and those it cannot show.

    A placement is *unplaced* when the layout has no slot of its name, when
    the slot's rules do not allow its widget type, or when the slot already
    holds its maximum.  Nothing is ever deleted for that: switching back to a
    layout that shows it puts it back.

    :param composition: A stored composition, or None (nothing placed).
    :param layout: The layout the page is shown with, or None.
    :param inside: ``nested(composition)``, when the caller has it already.
    :returns: ``({slot name: [Placement, ...]}, [unplaced Placement, ...])``,
        slots in the layout's order, placements in their order.
    """
    slots = {slot.name: [] for slot in layout.slots} if layout is not None else {}
    unplaced = []
    if composition is None:
        return slots, unplaced
    if inside is None:
        inside = nested(composition)
    for placement in composition.ordered():
        if placement.slot in inside:
            # In a container's slot: it goes where its container goes.
            continue
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


def placed_in(composition, layout, slot_name):
    """The placements shown in ``slot_name`` (a page's slot or a
    container's), in order."""
    if parent_of(slot_name) is not None:
        return nested(composition).get(slot_name, [])
    return arrange(composition, layout)[0].get(slot_name, [])


def children(composition, container_id):
    """The placements in the slots of the container ``container_id``, slot
    by slot, each in order."""
    prefix = f"{container_id}/"
    return sorted(
        (p for p in composition.placements.values() if p.slot.startswith(prefix)),
        key=lambda p: (p.slot, p.order, p.id),
    )


def plain(placement, inside, slot=False):
    """A placement as plain data (``compositepage.api.get_composition``):
    with its slot when asked, and a container's own slots with theirs.

    :param inside: ``nested()`` of its composition.
    """
    data = {
        "id": placement.id,
        "widget_type": placement.widget_type,
        "settings": copy.deepcopy(placement.settings),
    }
    if slot:
        data["slot"] = placement.slot
    prefix = f"{placement.id}/"
    own = {k[len(prefix) :]: v for k, v in inside.items() if k.startswith(prefix)}
    if own:
        data["slots"] = {
            name: [plain(child, inside) for child in children]
            for name, children in own.items()
        }
    return data


def described(obj) -> dict:
    """The composition of ``obj`` as plain data (``api.get_composition``)."""
    composition = query_composition(obj)
    layout = lookup.layout_of(obj)
    inside = nested(composition)
    slots, unplaced = arrange(composition, layout, inside)
    return {
        "layout": layout.name if layout is not None else None,
        "version": composition.version if composition is not None else 0,
        "slots": {
            name: [plain(placement, inside) for placement in placements]
            for name, placements in slots.items()
        },
        "unplaced": [plain(p, inside, slot=True) for p in unplaced],
        "can_undo": composition is not None and composition.undo_head is not None,
        "can_redo": composition is not None and composition.redo_head is not None,
    }
