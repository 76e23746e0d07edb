"""What the kinds of operations check before they change anything.

Each check raises ``InvalidOperation`` (a ValueError whose message names the
problem) or ``Unauthorized``, with a translatable sentence.
"""

from AccessControl import Unauthorized
from AccessControl.security import checkPermission
from compositepage import _
from compositepage import limits
from compositepage import lookup
from compositepage import placing
from compositepage.errors import InvalidOperation
from compositepage.layout import Slot
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message


DESIGN_PAGE = "compositepage.DesignPage"
MANAGE_LAYOUTS = "compositepage.ManageLayouts"


def require(permission, obj, message):
    if not checkPermission(permission, obj):
        raise Unauthorized(translate(message, context=getRequest()))


def may_not_design():
    return _(
        "error_may_not_design", default="You may not change the design of this page."
    )


def may_not_switch():
    return _(
        "error_may_not_switch", default="You may not switch the layout of this page."
    )


def may_not_add(widget_type):
    return _(
        "error_may_not_add",
        default="You may not add ${type} widgets to this page.",
        mapping={"type": widget_type.title},
    )


def may_not_change(widget_type):
    return _(
        "error_may_not_change",
        default="You may not change ${type} widgets on this page.",
        mapping={"type": widget_type.title},
    )


def layout(obj, name):
    """The enabled layout ``name`` available for ``obj``."""
    available = lookup.enabled_layouts(obj)
    if not isinstance(name, str) or name not in available:
        raise InvalidOperation(
            _(
                "error_no_layout",
                default="There is no layout ${layout} for this page (available: ${layouts}).",
                mapping={"layout": repr(name), "layouts": ", ".join(available)},
            )
        )
    return available[name]


def placement(composition, placement_id):
    """The placement ``placement_id`` of ``composition``."""
    if isinstance(placement_id, str) and composition is not None:
        found = composition.placements.get(placement_id)
        if found is not None:
            return found
    raise InvalidOperation(
        _(
            "error_no_widget",
            default="There is no widget ${id} on this page.",
            mapping={"id": repr(placement_id)},
        )
    )


def slot(layout, name, composition=None):
    """The slot ``name`` of ``layout``, or the slot ``"<id>/<name>"`` of a
    container widget of ``composition`` (a column)."""
    found = layout.get_slot(name) if isinstance(name, str) else None
    if found is None and placing.parent_of(name) is not None:
        found = _container_slot(layout, name, composition)
    if found is None:
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
    return found


def _container_slot(layout, name, composition):
    """The slot of a container widget, with the rules of its place: it takes
    what the container's slot takes, but no container."""
    parent_id, own = placing.parent_of(name)
    parent = composition.placements.get(parent_id) if composition is not None else None
    kind = lookup.query_widget_type(parent.widget_type) if parent is not None else None
    titles = dict(kind.sub_slots(parent.settings)) if kind is not None else {}
    if own not in titles:
        return None
    outer = layout.get_slot(parent.slot)
    enabled = lookup.get_setting("enabled_widget_types")
    types = lookup.widget_types()
    allowed = frozenset(
        name
        for name in (outer.allowed if outer is not None and outer.allowed else enabled)
        if name in types and not types[name].is_container
    )
    return Slot(
        name=name,
        title=Message(
            _("sub_slot_title", default="${slot}, ${column}"),
            mapping={
                "slot": outer.title
                if outer is not None
                else _("label_not_placed", default="Not placed"),
                "column": titles[own],
            },
        ),
        allowed=allowed,
        max=None,
    )


def no_container_in_container(widget_type, slot_name):
    """A container (columns) may not hold another container."""
    if (
        widget_type is not None
        and widget_type.is_container
        and placing.parent_of(slot_name)
    ):
        raise InvalidOperation(
            Message(CONTAINER_IN_CONTAINER, mapping={"type": widget_type.title})
        )


# Design mode's script says it too, when a drag or a keyboard move offers a
# container to a container's slot.
CONTAINER_IN_CONTAINER = _(
    "error_container_in_container",
    default="A ${type} widget may not hold another ${type} widget.",
)


def widget_type(name, obj):
    """The enabled widget type ``name``, which the user may add to ``obj``."""
    found = lookup.query_widget_type(name)
    enabled = lookup.get_setting("enabled_widget_types")
    if found is None or name not in enabled:
        names = ", ".join(t.name for t in lookup.enabled_widget_types())
        raise InvalidOperation(
            _(
                "error_no_widget_type",
                default="There is no widget type ${type} to add (available: ${types}).",
                mapping={"type": repr(name), "types": names},
            )
        )
    require(found.permission, obj, may_not_add(found))
    return found


def index(value, length, slot):
    """A position from 0 to ``length`` in ``slot``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidOperation(
            _("error_position_number", default="The position must be a whole number.")
        )
    if not 0 <= value <= length:
        raise InvalidOperation(
            _(
                "error_position_outside",
                default="Position ${index} is outside the slot ${slot}, which has "
                "positions 0 to ${last}.",
                mapping={"index": value, "slot": slot.title, "last": length},
            )
        )
    return value


def room(slot, arranged, widget_type_name):
    """That ``slot``, holding ``arranged``, takes one more of the type."""
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
                default="The slot ${slot} is full (it holds at most ${max}).",
                mapping={"slot": slot.title, "max": slot.max},
            )
        )


def version(composition, seen):
    """The version the caller saw is a whole number (None: not checked)."""
    if seen is not None and (isinstance(seen, bool) or not isinstance(seen, int)):
        raise InvalidOperation(
            _("error_version_number", default="The version must be a whole number.")
        )


def widget_ids(data):
    """The ``ids`` of an operation on several widgets (None: it has none)."""
    ids = data.get("ids")
    if ids is None:
        return None
    if (
        not isinstance(ids, list)
        or not ids
        or len(ids) > limits.MAX_OPERATIONS
        or not all(isinstance(pid, str) for pid in ids)
        or len(set(ids)) != len(ids)
    ):
        raise InvalidOperation(
            _(
                "error_ids_list",
                default="The ids must be a list of 1 to ${max} different widget ids.",
                mapping={"max": limits.MAX_OPERATIONS},
            )
        )
    return ids
