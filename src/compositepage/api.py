"""The Python API of compositepage: read and change the composition of a page.

Every write goes through these functions, whoever asks (the design view, the
REST API, scripts).  Each one checks the caller's permissions, checks the
``version`` the caller saw (``StaleVersion`` when the page changed since),
validates everything it is given (``InvalidOperation``, a ``ValueError``
whose message names the problem) *before* it changes anything, and then
applies the change as one undoable operation.

Reading never writes: a page that was never composed has no annotation, and
``get_composition`` answers with an empty composition in the default layout.
"""

from AccessControl import Unauthorized
from AccessControl.security import checkPermission
from compositepage import _
from compositepage import limits
from compositepage import lookup
from compositepage import ordering
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.events import CompositionChangedEvent
from compositepage.layout import Layout
from compositepage.layout import SLOT_NAME
from compositepage.storage import Composition
from compositepage.storage import ensure_composition
from compositepage.storage import HistoryEntry
from compositepage.storage import Placement
from compositepage.storage import query_composition
from compositepage.validation import validate_settings
from compositepage.widget import WidgetType
from plone.indexer.interfaces import IIndexer
from Products.CMFCore.utils import getToolByName
from z3c.caching.purge import Purge
from zope.component import queryMultiAdapter
from zope.event import notify
from zope.globalrequest import getRequest
from zope.i18n import translate

import copy
import uuid


__all__ = [
    "InvalidOperation",
    "StaleVersion",
    "add_widget",
    "get_composition",
    "get_layout",
    "get_layouts",
    "get_widget_types",
    "move_widget",
    "redo",
    "replace_composition",
    "remove_widget",
    "set_layout",
    "undo",
    "update_widget",
]

DESIGN_PAGE = "compositepage.DesignPage"
MANAGE_LAYOUTS = "compositepage.ManageLayouts"


# Reading ---------------------------------------------------------------------


def get_layouts(context: object | None = None) -> list[Layout]:
    """The enabled layouts available for ``context``, in the configured order.

    :param context: The content item (default: the site).
    :returns: A list of ``compositepage.layout.Layout``.
    """
    found = lookup.layouts_for(context)
    return [
        found[name] for name in lookup.get_setting("enabled_layouts") if name in found
    ]


def get_layout(obj: object) -> Layout | None:
    """The layout ``obj`` is shown with.

    The stored layout when it is registered for ``obj``; otherwise (never
    composed, or its layout was unregistered) the default layout, or the
    first enabled one.

    :param obj: A content item with the composite behavior.
    :returns: A ``compositepage.layout.Layout``, or None when none exists.
    """
    composition = query_composition(obj)
    if composition is not None:
        layout = lookup.query_layout(composition.layout, obj)
        if layout is not None:
            return layout
    layout = lookup.query_layout(lookup.get_setting("default_layout"), obj)
    if layout is not None:
        return layout
    layouts = get_layouts(obj)
    return layouts[0] if layouts else None


def get_widget_types(context: object | None = None) -> list[WidgetType]:
    """The enabled widget types; with ``context``, those the user may add there.

    :param context: The content item whose add permissions apply (optional).
    :returns: A list of ``compositepage.widget.WidgetType``.
    """
    types = lookup.widget_types()
    enabled = [
        types[name]
        for name in lookup.get_setting("enabled_widget_types")
        if name in types
    ]
    if context is None:
        return enabled
    return [wt for wt in enabled if checkPermission(wt.permission, context)]


def arrange(
    composition: Composition | None, layout: Layout | None
) -> tuple[dict[str, list[Placement]], list[Placement]]:
    """Placements by slot of ``layout``, and those it cannot show.

    A placement is *unplaced* when the layout has no slot of its name, when
    the slot's rules do not allow its widget type, or when the slot already
    holds its maximum.  Nothing is ever deleted for that: switching back to a
    layout that shows it puts it back.

    :returns: ``({slot name: [Placement, ...]}, [unplaced Placement, ...])``.
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


def _as_data(placement, slot=False):
    data = {
        "id": placement.id,
        "widget_type": placement.widget_type,
        "settings": copy.deepcopy(placement.settings),
    }
    if slot:
        data["slot"] = placement.slot
    return data


def get_composition(obj: object) -> dict:
    """The composition of ``obj`` as plain data.

    :param obj: A content item with the composite behavior.
    :returns: ``{"layout": name, "version": int, "slots": {slot: [{"id",
        "widget_type", "settings"}, ...]}, "unplaced": [{..., "slot"}],
        "can_undo": bool, "can_redo": bool}``; slots in layout order.
    """
    composition = query_composition(obj)
    layout = get_layout(obj)
    slots, unplaced = arrange(composition, layout)
    return {
        "layout": layout.name if layout is not None else None,
        "version": composition.version if composition is not None else 0,
        "slots": {
            name: [_as_data(placement) for placement in placements]
            for name, placements in slots.items()
        },
        "unplaced": [_as_data(placement, slot=True) for placement in unplaced],
        "can_undo": composition is not None and composition.undo_head is not None,
        "can_redo": composition is not None and composition.redo_head is not None,
    }


# Writing ---------------------------------------------------------------------


def _require(permission, obj, message):
    if not checkPermission(permission, obj):
        raise Unauthorized(translate(message, context=getRequest()))


def _may_not_design():
    return _(
        "error_may_not_design", default="You may not change the design of this page."
    )


def _may_not_switch():
    return _(
        "error_may_not_switch", default="You may not switch the layout of this page."
    )


def _may_not_add(widget_type):
    return _(
        "error_may_not_add",
        default="You may not add ${type} widgets to this page.",
        mapping={"type": widget_type.title},
    )


def _may_not_change(widget_type):
    return _(
        "error_may_not_change",
        default="You may not change ${type} widgets on this page.",
        mapping={"type": widget_type.title},
    )


def _check_version(composition, version):
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidOperation(
            _("error_version_number", default="The version must be a whole number.")
        )
    current = composition.version if composition is not None else 0
    if version != current:
        raise StaleVersion(current, version)


def _begin(obj, version):
    _require(DESIGN_PAGE, obj, _may_not_design())
    composition = query_composition(obj)
    _check_version(composition, version)
    return composition


def _placement(composition, placement_id):
    if isinstance(placement_id, str) and composition is not None:
        placement = composition.placements.get(placement_id)
        if placement is not None:
            return placement
    raise InvalidOperation(
        _(
            "error_no_widget",
            default="There is no widget ${id} on this page.",
            mapping={"id": repr(placement_id)},
        )
    )


def _slot(layout, name):
    slot = layout.get_slot(name) if isinstance(name, str) else None
    if slot is None:
        raise InvalidOperation(
            _(
                "error_no_slot",
                default="The layout ${layout} has no slot ${slot} (its slots: ${slots}).",
                mapping={
                    "layout": layout.title,
                    "slot": repr(name),
                    "slots": ", ".join(s.name for s in layout.slots),
                },
            )
        )
    return slot


def _widget_type(name, obj):
    widget_type = lookup.query_widget_type(name)
    if widget_type is None or name not in lookup.get_setting("enabled_widget_types"):
        names = ", ".join(wt.name for wt in get_widget_types())
        raise InvalidOperation(
            _(
                "error_no_widget_type",
                default="There is no widget type ${type} to add (available: ${types}).",
                mapping={"type": repr(name), "types": names},
            )
        )
    _require(widget_type.permission, obj, _may_not_add(widget_type))
    return widget_type


def _check_index(index, length, slot):
    if isinstance(index, bool) or not isinstance(index, int):
        raise InvalidOperation(
            _("error_position_number", default="The position must be a whole number.")
        )
    if not 0 <= index <= length:
        raise InvalidOperation(
            _(
                "error_position_outside",
                default="Position ${index} is outside the slot ${slot}, which has "
                "positions 0 to ${last}.",
                mapping={"index": index, "slot": slot.title, "last": length},
            )
        )


def _check_room(slot, arranged, widget_type_name):
    if not slot.accepts(widget_type_name):
        raise InvalidOperation(
            _(
                "error_slot_refuses",
                default="The slot ${slot} does not take ${type} widgets (it takes: ${types}).",
                mapping={
                    "slot": slot.title,
                    "type": widget_type_name,
                    "types": ", ".join(sorted(slot.allowed)),
                },
            )
        )
    if slot.max is not None and len(arranged) >= slot.max:
        raise InvalidOperation(
            _(
                "error_slot_full",
                default="The slot ${slot} holds at most ${max} widget(s).",
                mapping={"slot": slot.title, "max": slot.max},
            )
        )


def _order_key(composition, slot_name, arranged, index):
    """A key placing a widget at ``index`` among the ``arranged`` widgets."""
    before = arranged[index - 1].order if index > 0 else None
    after = arranged[index].order if index < len(arranged) else None
    if before is not None and after is not None and not before < after:
        _respace(composition, slot_name)
        return _order_key(composition, slot_name, arranged, index)
    key = ordering.key_between(before, after)
    if len(key) > limits.MAX_ORDER_KEY_LENGTH:
        _respace(composition, slot_name)
        return _order_key(composition, slot_name, arranged, index)
    return key


def _respace(composition, slot_name):
    # Rare (hundreds of inserts at one spot): rewrites the keys of one slot.
    # Stored operations hold keys of the old spacing and would put widgets
    # back in the wrong places, so the page's history starts afresh.
    placements = composition.in_slot(slot_name)
    keys = ordering.spread(len(placements))
    for placement, key in zip(placements, keys, strict=True):
        placement.order = key
    composition.undo_head = composition.redo_head = None
    composition.undo_size = 0


def _apply(obj, composition, operation):
    """Apply one stored operation and return the operation that undoes it."""
    kind = operation["op"]
    if kind == "add":
        widget_type = lookup.query_widget_type(operation["widget_type"])
        if widget_type is not None:
            _require(widget_type.permission, obj, _may_not_add(widget_type))
            derived = widget_type.derive(operation["settings"], obj)
        else:
            derived = {}
        composition.placements[operation["id"]] = Placement(
            id=operation["id"],
            widget_type=operation["widget_type"],
            slot=operation["slot"],
            order=operation["order"],
            settings=operation["settings"],
            derived=derived,
        )
        composition.count += 1
        return {"op": "remove", "id": operation["id"]}
    if kind == "remove":
        placement = _placement(composition, operation["id"])
        del composition.placements[operation["id"]]
        composition.count -= 1
        return {"op": "add", **_placement_data(placement)}
    if kind == "move":
        placement = _placement(composition, operation["id"])
        inverse = {
            "op": "move",
            "id": placement.id,
            "slot": placement.slot,
            "order": placement.order,
        }
        placement.slot = operation["slot"]
        placement.order = operation["order"]
        return inverse
    if kind == "update":
        placement = _placement(composition, operation["id"])
        inverse = {"op": "update", "id": placement.id, "settings": placement.settings}
        widget_type = lookup.query_widget_type(placement.widget_type)
        if widget_type is not None:
            # Changing a widget needs what adding it needs.
            _require(widget_type.permission, obj, _may_not_change(widget_type))
        placement.settings = operation["settings"]
        placement.derived = (
            widget_type.derive(operation["settings"], obj) if widget_type else {}
        )
        return inverse
    if kind == "set_layout":
        _require(MANAGE_LAYOUTS, obj, _may_not_switch())
        inverse = {"op": "set_layout", "layout": composition.layout}
        composition.layout = operation["layout"]
        return inverse
    if kind == "replace":
        if operation["layout"] != composition.layout:
            _require(MANAGE_LAYOUTS, obj, _may_not_switch())
        inverse = {
            "op": "replace",
            "layout": composition.layout,
            "placements": [_placement_data(p) for p in composition.ordered()],
        }
        for data in operation["placements"]:
            widget_type = lookup.query_widget_type(data["widget_type"])
            if widget_type is not None:
                _require(widget_type.permission, obj, _may_not_add(widget_type))
        composition.placements.clear()
        composition.count = 0
        composition.layout = operation["layout"]
        for data in operation["placements"]:
            widget_type = lookup.query_widget_type(data["widget_type"])
            composition.placements[data["id"]] = Placement(
                derived=widget_type.derive(data["settings"], obj)
                if widget_type
                else {},
                **data,
            )
            composition.count += 1
        return inverse
    raise InvalidOperation(
        _(
            "error_unknown_operation",
            default="Unknown operation ${op}.",
            mapping={"op": repr(kind)},
        )
    )


def _placement_data(placement):
    return {
        "id": placement.id,
        "widget_type": placement.widget_type,
        "slot": placement.slot,
        "order": placement.order,
        "settings": placement.settings,
    }


def _push(stack_head, entry, composition):
    entry.previous = getattr(composition, stack_head)
    setattr(composition, stack_head, entry)


def _record(composition, forward, inverse):
    """Put an operation on the undo stack, drop the redo stack, keep it short."""
    length = lookup.get_setting("history_length")
    composition.redo_head = None
    if length <= 0:
        composition.undo_head = None
        composition.undo_size = 0
        return
    _push("undo_head", HistoryEntry(forward, inverse), composition)
    composition.undo_size += 1
    # Cutting the list rewrites one more entry; doing it once every few
    # operations keeps most operations to three small records.
    if composition.undo_size >= length + max(5, length // 5):
        last = composition.undo_head
        for _ in range(length - 1):
            last = last.previous
        last.previous = None
        composition.undo_size = length


def _changes_text(obj, operation, inverse):
    """Whether the operation changes what site search should find: only a
    move within and between plain slots keeps the same widgets visible."""
    if operation["op"] != "move":
        return True
    layout = get_layout(obj)
    if layout is None:
        return True
    for name in (operation["slot"], inverse["slot"]):
        slot = layout.get_slot(name)
        # A slot the layout lacks, or one with rules, may show or hide widgets.
        if slot is None or slot.max is not None or slot.allowed is not None:
            return True
    return False


# The catalog metadata a change of the composition alone can alter.
DATE_COLUMNS = ("modified", "ModificationDate")


def _reindex(obj, operation, inverse):
    """Bring the catalog up to date with a change of the composition.

    Changes of what the page shows reindex its text and recompute its
    metadata as usual.  A move within and between plain slots changes
    nothing the catalog knows but the modification date: recomputing every
    metadata column (size, image scales, …) would be two thirds of the
    move's cost, so only the date index and the date columns are updated.
    A test checks that the record equals a full recomputation.
    """
    if _changes_text(obj, operation, inverse):
        obj.reindexObject(idxs=["modified", "SearchableText"])
        return
    obj.reindexObject(idxs=["modified"], update_metadata=0)
    catalog = getToolByName(obj, "portal_catalog", None)
    if catalog is None:
        return
    columns = catalog._catalog
    rid = columns.uids.get("/".join(obj.getPhysicalPath()))
    if rid is None:
        # Not catalogued yet: the queued reindex catalogues it whole.
        return
    record = list(columns.data[rid])
    for name in DATE_COLUMNS:
        position = columns.schema.get(name)
        if position is None:
            continue
        # What plone.indexer's wrapper answers: a named indexer, or else the
        # object's own attribute (the wrapper itself costs more to build).
        indexer = queryMultiAdapter((obj, catalog), IIndexer, name=name)
        value = indexer if indexer is not None else getattr(obj, name, None)
        record[position] = value() if callable(value) else value
    record = tuple(record)
    if columns.data[rid] != record:
        columns.data[rid] = record


def _finish(obj, composition, operation, inverse):
    composition.version += 1
    obj.setModificationDate()
    _reindex(obj, operation, inverse)
    notify(CompositionChangedEvent(obj, operation))
    notify(Purge(obj))
    return composition.version


def _commit(obj, composition, operation):
    inverse = _apply(obj, composition, operation)
    _record(composition, operation, inverse)
    return _finish(obj, composition, operation, inverse)


def _no_layout(name, available):
    return _(
        "error_no_layout",
        default="There is no layout ${layout} for this page (available: ${layouts}).",
        mapping={"layout": repr(name), "layouts": ", ".join(available)},
    )


def set_layout(obj: object, name: str, version: int | None = None) -> int:
    """Show ``obj`` with the layout ``name``.

    Widgets whose slot the new layout lacks become *unplaced*; switching back
    puts them back.  Needs the permission ``compositepage: Manage layouts``.

    :param obj: A content item with the composite behavior.
    :param name: The name of an enabled layout available for ``obj``.
    :param version: The version the caller saw (optional).
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    _require(MANAGE_LAYOUTS, obj, _may_not_switch())
    available = {layout.name: layout for layout in get_layouts(obj)}
    if not isinstance(name, str) or name not in available:
        raise InvalidOperation(_no_layout(name, available))
    current = get_layout(obj)
    if (composition.layout if composition is not None else current.name) == name:
        return composition.version if composition is not None else 0
    composition = ensure_composition(obj, current.name if current else name)
    return _commit(obj, composition, {"op": "set_layout", "layout": name})


def add_widget(
    obj: object,
    slot: str,
    widget_type: str,
    settings: dict | None = None,
    index: int | None = None,
    version: int | None = None,
) -> str:
    """Place a new widget of ``widget_type`` into ``slot`` at ``index``.

    :param obj: A content item with the composite behavior.
    :param slot: The name of a slot of the page's layout.
    :param widget_type: The name of an enabled widget type the user may add.
    :param settings: Plain-data settings (missing ones take their defaults).
    :param index: The position in the slot (default: at the end).
    :param version: The version the caller saw (optional).
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The id of the new placement.
    """
    composition = _begin(obj, version)
    layout = get_layout(obj)
    target = _slot(layout, slot)
    kind = _widget_type(widget_type, obj)
    arranged = arrange(composition, layout)[0][target.name]
    _check_room(target, arranged, kind.name)
    maximum = lookup.get_setting("max_widgets_per_page")
    if composition is not None and composition.count >= maximum:
        raise InvalidOperation(
            _(
                "error_page_full",
                default="This page already holds ${max} widgets, the most allowed.",
                mapping={"max": maximum},
            )
        )
    if index is None:
        index = len(arranged)
    _check_index(index, len(arranged), target)
    clean = kind.clean(validate_settings(kind, settings, obj), obj)
    composition = ensure_composition(obj, layout.name)
    placement_id = uuid.uuid4().hex
    operation = {
        "op": "add",
        "id": placement_id,
        "widget_type": kind.name,
        "slot": target.name,
        "order": _order_key(composition, target.name, arranged, index),
        "settings": clean,
    }
    _commit(obj, composition, operation)
    return placement_id


def move_widget(
    obj: object, placement_id: str, slot: str, index: int, version: int | None = None
) -> int:
    """Move a placement to position ``index`` of ``slot`` (the same or another).

    Also brings an unplaced widget back into a slot.

    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version (unchanged when the widget is already there).
    """
    composition = _begin(obj, version)
    placement = _placement(composition, placement_id)
    layout = get_layout(obj)
    target = _slot(layout, slot)
    arranged = arrange(composition, layout)[0][target.name]
    staying = placement in arranged
    others = [p for p in arranged if p.id != placement.id]
    if not staying:
        _check_room(target, others, placement.widget_type)
    _check_index(index, len(others), target)
    if staying and arranged.index(placement) == index:
        return composition.version
    operation = {
        "op": "move",
        "id": placement.id,
        "slot": target.name,
        "order": _order_key(composition, target.name, others, index),
    }
    return _commit(obj, composition, operation)


def update_widget(
    obj: object, placement_id: str, settings: dict, version: int | None = None
) -> int:
    """Change settings of a placement; settings it does not name are kept.

    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    placement = _placement(composition, placement_id)
    kind = lookup.query_widget_type(placement.widget_type)
    if kind is None:
        raise InvalidOperation(
            _(
                "error_type_gone",
                default="The widget type ${type} is no longer available: this "
                "widget can be moved or removed, not edited.",
                mapping={"type": repr(placement.widget_type)},
            )
        )
    _require(kind.permission, obj, _may_not_change(kind))
    clean = kind.clean(
        validate_settings(kind, settings, obj, partial_of=placement.settings), obj
    )
    if clean == placement.settings:
        return composition.version
    operation = {"op": "update", "id": placement.id, "settings": clean}
    return _commit(obj, composition, operation)


def remove_widget(obj: object, placement_id: str, version: int | None = None) -> int:
    """Remove a placement (undo puts it back).

    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    placement = _placement(composition, placement_id)
    return _commit(obj, composition, {"op": "remove", "id": placement.id})


def undo(obj: object, version: int | None = None) -> int:
    """Take back the page's latest operation, whoever made it.

    :raises: ``StaleVersion``, ``InvalidOperation`` (nothing to undo),
        ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    entry = composition.undo_head if composition is not None else None
    if entry is None:
        raise InvalidOperation(
            _("error_nothing_to_undo", default="There is nothing to undo on this page.")
        )
    _apply(obj, composition, entry.inverse)
    composition.undo_head = entry.previous
    composition.undo_size -= 1
    _push("redo_head", entry, composition)
    return _finish(obj, composition, entry.inverse, entry.forward)


def redo(obj: object, version: int | None = None) -> int:
    """Apply again the operation the latest undo took back.

    :raises: ``StaleVersion``, ``InvalidOperation`` (nothing to redo),
        ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    entry = composition.redo_head if composition is not None else None
    if entry is None:
        raise InvalidOperation(
            _("error_nothing_to_redo", default="There is nothing to redo on this page.")
        )
    _apply(obj, composition, entry.forward)
    composition.redo_head = entry.previous
    _push("undo_head", entry, composition)
    composition.undo_size += 1
    return _finish(obj, composition, entry.forward, entry.inverse)


def replace_composition(
    obj: object, layout: str, widgets: list[dict], version: int | None = None
) -> int:
    """Replace every widget of ``obj`` (e.g. with an exported composition).

    One undoable operation: undo brings the previous widgets and layout back.

    :param layout: The name of an enabled layout; switching needs
        ``compositepage: Manage layouts``.
    :param widgets: ``[{"slot", "widget_type", "settings"}, ...]`` in order.
        Widgets whose slot the layout lacks are kept unplaced, as after a
        layout switch.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version.
    """
    composition = _begin(obj, version)
    current = get_layout(obj)
    available = {item.name: item for item in get_layouts(obj)}
    if not isinstance(layout, str) or layout not in available:
        raise InvalidOperation(_no_layout(layout, available))
    if current is None or layout != current.name:
        _require(MANAGE_LAYOUTS, obj, _may_not_switch())
    if not isinstance(widgets, list):
        raise InvalidOperation(
            _("error_widgets_list", default="The widgets must be a list.")
        )
    maximum = lookup.get_setting("max_widgets_per_page")
    if len(widgets) > maximum:
        raise InvalidOperation(
            _(
                "error_too_many_widgets",
                default="${count} widgets are more than the ${max} allowed.",
                mapping={"count": len(widgets), "max": maximum},
            )
        )
    target = available[layout]
    per_slot = {}
    for number, widget in enumerate(widgets, start=1):
        if not isinstance(widget, dict):
            raise InvalidOperation(
                _(
                    "error_widget_object",
                    default="Widget ${number} must be an object.",
                    mapping={"number": number},
                )
            )
        slot = widget.get("slot")
        if not isinstance(slot, str) or not SLOT_NAME.match(slot):
            raise InvalidOperation(
                _(
                    "error_widget_slot_name",
                    default="Widget ${number} has no valid slot name.",
                    mapping={"number": number},
                )
            )
        try:
            kind = _widget_type(widget.get("widget_type"), obj)
            clean = kind.clean(
                validate_settings(kind, widget.get("settings"), obj), obj
            )
            rules = target.get_slot(slot)
            if rules is not None:
                _check_room(rules, per_slot.get(slot, []), kind.name)
        except InvalidOperation as error:
            raise InvalidOperation(
                _(
                    "error_widget_number",
                    default="Widget ${number} (slot ${slot}): ${problem}",
                    mapping={
                        "number": number,
                        "slot": repr(slot),
                        "problem": error.message,
                    },
                )
            )
        per_slot.setdefault(slot, []).append(
            {"widget_type": kind.name, "settings": clean}
        )
    placements = []
    for slot, items in per_slot.items():
        for item, key in zip(items, ordering.spread(len(items)), strict=True):
            placements.append(
                {"id": uuid.uuid4().hex, "slot": slot, "order": key, **item}
            )
    composition = ensure_composition(obj, current.name if current else layout)
    return _commit(
        obj, composition, {"op": "replace", "layout": layout, "placements": placements}
    )
