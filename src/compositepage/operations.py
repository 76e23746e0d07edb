"""Operations as plain data: one dict per change, applied through
``compositepage.api``.  The editor's write path and the REST API share it."""

from compositepage import _
from compositepage import api
from compositepage import lookup
from compositepage.errors import InvalidOperation
from compositepage.storage import query_composition
from zope.i18nmessageid import Message


# Each operation and the fields it takes ("version" is the editor's).
FIELDS = {
    "add": ("slot", "widget_type", "settings", "index"),
    "move": ("id", "slot", "index"),
    "update": ("id", "settings"),
    "remove": ("id",),
    "set_layout": ("layout",),
    "undo": (),
    "redo": (),
}
OPERATIONS = tuple(FIELDS)


def apply_operation(context, operation, version=None):
    """Apply one operation (plain data) through compositepage.api.

    :returns: ``(message, focus)``: a sentence saying what happened (a message
        id) and the id of the placement to focus, if any.
    :raises: ``InvalidOperation``, ``StaleVersion``, ``Unauthorized``.
    """
    if not isinstance(operation, dict):
        raise InvalidOperation(
            _("error_operation_object", default="An operation must be a JSON object.")
        )
    kind = operation.get("op")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise InvalidOperation(
            _(
                "error_operation_unknown",
                default="Unknown operation ${op}; use one of: ${ops}.",
                mapping={"op": repr(kind), "ops": ", ".join(OPERATIONS)},
            )
        )
    for field in operation:
        if field not in ("op", "version", *FIELDS[kind]):
            raise InvalidOperation(
                _(
                    "error_operation_field",
                    default="The operation ${op} has no field ${field} (it takes: ${fields}).",
                    mapping={
                        "op": repr(kind),
                        "field": repr(field),
                        "fields": ", ".join(FIELDS[kind]) or "-",
                    },
                )
            )
    if kind == "add":
        placement_id = api.add_widget(
            context,
            operation.get("slot"),
            operation.get("widget_type"),
            operation.get("settings"),
            index=operation.get("index"),
            version=version,
        )
        message = placed_message(context, placement_id, added=True)
        return message, placement_id
    if kind == "move":
        placement_id = operation.get("id")
        api.move_widget(
            context,
            placement_id,
            operation.get("slot"),
            operation.get("index"),
            version=version,
        )
        message = placed_message(context, placement_id, added=False)
        return message, placement_id
    if kind == "update":
        api.update_widget(
            context, operation.get("id"), operation.get("settings"), version=version
        )
        return _("msg_updated", default="Settings saved."), operation.get("id")
    if kind == "remove":
        api.remove_widget(context, operation.get("id"), version=version)
        return _("msg_removed", default="Widget removed. Undo brings it back."), None
    if kind == "set_layout":
        api.set_layout(context, operation.get("layout"), version=version)
        return _("msg_layout", default="Layout switched."), None
    composition = query_composition(context)
    if kind == "undo":
        change = _history_change(context, composition, "undo_head")
        api.undo(context, version=version)
        return _(
            "msg_undone_change",
            default="Undone: ${change}.",
            mapping={"change": change},
        ), None
    change = _history_change(context, composition, "redo_head")
    api.redo(context, version=version)
    return _(
        "msg_redone_change", default="Redone: ${change}.", mapping={"change": change}
    ), None


# What an operation of the undo history did, by its kind.
CHANGES = {
    "add": _("change_add", default="${type} added"),
    "move": _("change_move", default="${type} moved"),
    "update": _("change_update", default="settings of ${type} changed"),
    "remove": _("change_remove", default="${type} removed"),
    "set_layout": _("change_set_layout", default="layout switched"),
    "replace": _("change_replace", default="all widgets replaced"),
}


def _history_change(context, composition, head):
    """What the entry at the head of the undo or redo list did, as a
    phrase ("Heading moved"); None when there is no such entry (the API
    then refuses the undo or redo)."""
    entry = getattr(composition, head, None) if composition is not None else None
    if entry is None:
        return None
    forward, inverse = entry.forward, entry.inverse
    placement = composition.placements.get(forward.get("id"))
    name = (
        forward.get("widget_type")
        or inverse.get("widget_type")
        or (placement.widget_type if placement is not None else "")
    )
    widget_type = lookup.query_widget_type(name)
    return Message(
        CHANGES.get(forward["op"], CHANGES["update"]),
        mapping={"type": widget_type.title if widget_type is not None else name},
    )


# Where a moved widget went; the editor's script says it too (design.py).
MOVED = _(
    "msg_moved",
    default="${type} moved to ${slot}, position ${position} of ${count}.",
)


def placed_message(context, placement_id, added):
    """Where a placement now is, as a sentence for the live region."""
    layout = api.get_layout(context)
    slots, unplaced = api.arrange(query_composition(context), layout)
    for slot_name, placements in slots.items():
        for position, placement in enumerate(placements, start=1):
            if placement.id != placement_id:
                continue
            widget_type = lookup.query_widget_type(placement.widget_type)
            mapping = {
                "type": widget_type.title if widget_type else placement.widget_type,
                "slot": layout.get_slot(slot_name).title,
                "position": position,
                "count": len(placements),
            }
            if added:
                return _(
                    "msg_added",
                    default="${type} added to ${slot}, position ${position} of ${count}.",
                    mapping=mapping,
                )
            return Message(MOVED, mapping=mapping)
    return _("msg_saved", default="Saved.")
