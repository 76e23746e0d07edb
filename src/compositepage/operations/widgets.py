"""Operations on one widget: add, move, update, remove."""

from compositepage import _
from compositepage import conflicts
from compositepage import lookup
from compositepage import ordering
from compositepage import placing
from compositepage.errors import InvalidOperation
from compositepage.interfaces import IOperationKind
from compositepage.operations import checks
from compositepage.operations import Operation
from compositepage.operations import type_title
from compositepage.storage import Placement
from compositepage.storage import query_composition
from compositepage.validation import validate_settings
from zope.i18nmessageid import Message
from zope.interface import provider

import uuid


# Where a moved widget went.
MOVED = _(
    "msg_moved",
    default="${type} moved to ${slot}, position ${position} of ${count}.",
)
MOVED_SEVERAL = _("msg_moved_several", default="${count} widgets moved to ${slot}.")
UPDATED_ONE_MOVED = _(
    "msg_updated_one_moved", default="Settings saved. 1 widget moved to ${slot}."
)
UPDATED_MOVED = _(
    "msg_updated_moved",
    default="Settings saved. ${count} widgets moved to ${slot}.",
)
ADDED = _(
    "msg_added",
    default="${type} added to ${slot}, position ${position} of ${count}.",
)


def placed(context, placement_id, message):
    """``message`` saying where a placement now is ("Saved." when it is
    not placed in the page's layout)."""
    layout = lookup.layout_of(context)
    composition = query_composition(context)
    found = composition.placements.get(placement_id) if composition else None
    if found is None or layout is None:
        return _("msg_saved", default="Saved.")
    placements = placing.placed_in(composition, layout, found.slot)
    if found not in placements:
        return _("msg_saved", default="Saved.")
    return Message(
        message,
        mapping={
            "type": type_title(found.widget_type),
            "slot": checks.slot(layout, found.slot, composition).title,
            "position": placements.index(found) + 1,
            "count": len(placements),
        },
    )


def placed_several(context, slot_name, count, message):
    """``message`` saying that ``count`` widgets are now in the slot
    ``slot_name`` ("3 widgets moved to Sidebar.")."""
    layout = lookup.layout_of(context)
    slot = checks.slot(layout, slot_name, query_composition(context))
    return Message(message, mapping={"count": count, "slot": slot.title})


def data_of(placement):
    """A placement as the plain data an add stores."""
    return {
        "id": placement.id,
        "widget_type": placement.widget_type,
        "slot": placement.slot,
        "order": placement.order,
        "settings": placement.settings,
    }


def derived(widget_type_name, settings, context, permission_message):
    """What a widget type computes from settings; the user must be allowed
    to add (or change) widgets of the type."""
    widget_type = lookup.query_widget_type(widget_type_name)
    if widget_type is None:
        return {}
    checks.require(widget_type.permission, context, permission_message(widget_type))
    return widget_type.derive(settings, context)


@provider(IOperationKind)
class Add(Operation):
    name = "add"
    fields = ("slot", "widget_type", "settings", "index")
    change = _("change_add", default="${type} added")

    @classmethod
    def prepare(cls, context, composition, data):
        layout = lookup.layout_of(context)
        target = checks.slot(layout, data.get("slot"), composition)
        kind = checks.widget_type(data.get("widget_type"), context)
        checks.no_container_in_container(kind, target.name)
        arranged = placing.placed_in(composition, layout, target.name)
        checks.room(target, arranged, kind.name)
        maximum = lookup.get_setting("max_widgets_per_page")
        if composition is not None and composition.count >= maximum:
            raise InvalidOperation(
                _(
                    "error_page_full",
                    default="This page already holds ${max} widgets, the most allowed.",
                    mapping={"max": maximum},
                )
            )
        index = data.get("index")
        index = checks.index(
            len(arranged) if index is None else index, len(arranged), target
        )
        settings = kind.clean(
            validate_settings(kind, data.get("settings"), context), context
        )
        return cls(
            id=uuid.uuid4().hex,
            widget_type=kind.name,
            slot=target.name,
            order=placing.order_key(composition, target.name, arranged, index),
            settings=settings,
        )

    def apply(self, context, composition):
        # A container comes with the widgets in its slots (an undone removal).
        for data in (self.data, *self.data.get("children", ())):
            composition.placements[data["id"]] = Placement(
                id=data["id"],
                widget_type=data["widget_type"],
                slot=data["slot"],
                order=data["order"],
                settings=data["settings"],
                derived=derived(
                    data["widget_type"], data["settings"], context, checks.may_not_add
                ),
            )
            conflicts.stamp(
                composition.placements[data["id"]], ("edited", "placed"), self.stamp
            )
            composition.count += 1
        return Remove(id=self.data["id"])

    def describe(self, context):
        return placed(context, self.data["id"], ADDED)


@provider(IOperationKind)
class Move(Operation):
    name = "move"
    fields = ("id", "slot", "index")
    change = _("change_move", default="${type} moved")
    conflicts_with = ("placed", "removed")
    changes_links = False

    @classmethod
    def prepare(cls, context, composition, data):
        placement = checks.placement(composition, data.get("id"))
        layout = lookup.layout_of(context)
        target = checks.slot(layout, data.get("slot"), composition)
        if target.name.startswith(f"{placement.id}/"):
            raise InvalidOperation(
                _(
                    "error_into_itself",
                    default="A widget cannot be moved into itself.",
                )
            )
        checks.no_container_in_container(
            lookup.query_widget_type(placement.widget_type), target.name
        )
        arranged = placing.placed_in(composition, layout, target.name)
        staying = placement in arranged
        others = [p for p in arranged if p.id != placement.id]
        if not staying:
            checks.room(target, others, placement.widget_type)
        index = checks.index(data.get("index"), len(others), target)
        if staying and arranged.index(placement) == index:
            operation = cls(id=placement.id, slot=target.name, order=placement.order)
            operation.noop = True
            return operation
        return cls(
            id=placement.id,
            slot=target.name,
            order=placing.order_key(composition, target.name, others, index),
        )

    def apply(self, context, composition):
        # ``moves``: more widgets moved along (a cut pasted on its own page).
        back = []
        for move in (self.data, *self.data.get("moves", ())):
            placement = checks.placement(composition, move["id"])
            back.append(
                {"id": placement.id, "slot": placement.slot, "order": placement.order}
            )
            placement.slot, placement.order = move["slot"], move["order"]
            conflicts.stamp(placement, ("placed",), self.stamp)
        inverse = Move(**back[0])
        if back[1:]:
            inverse.data["moves"] = back[1:]
        return inverse

    def count(self):
        return 1 + len(self.data.get("moves", ()))

    def describe(self, context):
        if self.count() == 1:
            return placed(context, self.data["id"], MOVED)
        return placed_several(context, self.data["slot"], self.count(), MOVED_SEVERAL)

    def phrase(self, context, composition, inverse):
        if self.count() == 1:
            return super().phrase(context, composition, inverse)
        return _(
            "change_move_several",
            default="${count} widgets moved",
            mapping={"count": self.count()},
        )

    def changes_text(self, context, inverse):
        """Only a move within and between plain slots keeps the same widgets
        visible, and so the same text for site search."""
        layout = lookup.layout_of(context)
        if layout is None:
            return True
        moves = (self.data, *self.data.get("moves", ()))
        backs = (inverse.data, *inverse.data.get("moves", ()))
        for name in {move["slot"] for move in (*moves, *backs)}:
            slot = layout.get_slot(name)
            # A slot the layout lacks, or one with rules, may show or hide widgets.
            if slot is None or slot.max is not None or slot.allowed is not None:
                return True
        return False


@provider(IOperationKind)
class Update(Operation):
    name = "update"
    fields = ("id", "settings")
    change = _("change_update", default="settings of ${type} changed")
    conflicts_with = ("edited", "removed")

    @classmethod
    def prepare(cls, context, composition, data):
        placement = checks.placement(composition, data.get("id"))
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
        checks.require(kind.permission, context, checks.may_not_change(kind))
        settings = kind.clean(
            validate_settings(
                kind, data.get("settings"), context, partial_of=placement.settings
            ),
            context,
        )
        operation = cls(id=placement.id, settings=settings)
        operation.noop = settings == placement.settings
        moves = _rehome(composition, kind, placement, settings)
        if moves:
            operation.data["moves"] = moves
        return operation

    def apply(self, context, composition):
        placement = checks.placement(composition, self.data["id"])
        inverse = Update(id=placement.id, settings=placement.settings)
        # Changing a widget needs what adding it needs.
        placement.derived = derived(
            placement.widget_type, self.data["settings"], context, checks.may_not_change
        )
        placement.settings = self.data["settings"]
        conflicts.stamp(placement, ("edited",), self.stamp)
        back = []
        for move in self.data.get("moves", ()):
            child = checks.placement(composition, move["id"])
            back.append({"id": child.id, "slot": child.slot, "order": child.order})
            child.slot, child.order = move["slot"], move["order"]
            conflicts.stamp(child, ("placed",), self.stamp)
        if back:
            inverse.data["moves"] = back
        return inverse

    def describe(self, context):
        moves = self.data.get("moves")
        if not moves:
            return _("msg_updated", default="Settings saved.")
        # Fewer columns: where the widgets of those that went are now.
        return placed_several(
            context,
            moves[0]["slot"],
            len(moves),
            UPDATED_ONE_MOVED if len(moves) == 1 else UPDATED_MOVED,
        )


def _rehome(composition, kind, container, settings):
    """Where the widgets of the slots a container loses with ``settings``
    go (fewer columns): after those of its last remaining slot, in order.
    ``[{"id", "slot", "order"}, ...]``; nothing is lost."""
    if not kind.is_container:
        return []
    kept = [name for name, _title in kind.sub_slots(settings)]
    dropped = [
        name for name, _title in kind.sub_slots(container.settings) if name not in kept
    ]
    if not dropped or not kept:
        return []
    found = placing.nested(composition)
    last = placing.sub_slot(container.id, kept[-1])
    key = found[last][-1].order if found.get(last) else None
    moves = []
    for name in dropped:
        for child in found.get(placing.sub_slot(container.id, name), []):
            key = ordering.key_between(key, None)
            moves.append({"id": child.id, "slot": last, "order": key})
    return moves


@provider(IOperationKind)
class Remove(Operation):
    """Remove a widget (``id``), or several (``ids``: a cut)."""

    name = "remove"
    fields = ("id", "ids")
    change = _("change_remove", default="${type} removed")
    conflicts_with = ("edited", "removed")
    focus = None  # the widget is gone

    @classmethod
    def conflict(cls, composition, data, seen, base):
        for placement_id in checks.widget_ids(data) or [data.get("id")]:
            conflicts.find(composition, placement_id, cls.conflicts_with, seen, base)

    @classmethod
    def prepare(cls, context, composition, data):
        ids = checks.widget_ids(data)
        if ids is None:
            return cls(id=checks.placement(composition, data.get("id")).id)
        return cls(ids=[checks.placement(composition, pid).id for pid in ids])

    def apply(self, context, composition):
        removed = []
        for placement_id in self.data.get("ids") or [self.data["id"]]:
            placement = checks.placement(composition, placement_id)
            # A container goes with the widgets in its slots.
            inside = placing.children(composition, placement.id)
            for gone in (placement, *inside):
                del composition.placements[gone.id]
                composition.count -= 1
                removed.append(data_of(gone))
            conflicts.removal(composition, placement, self.stamp)
        inverse = Add(**removed[0])
        if removed[1:]:
            inverse.data["children"] = removed[1:]
        return inverse

    def phrase(self, context, composition, inverse):
        """A removal of ``ids`` is a cut's (undone on the page it was cut
        from): "Heading cut", "3 widgets cut"."""
        ids = self.data.get("ids")
        if not ids:
            return super().phrase(context, composition, inverse)
        if len(ids) == 1:
            return _(
                "change_cut",
                default="${type} cut",
                mapping={"type": type_title(inverse.widget_type_name(composition))},
            )
        return _(
            "change_cut_several",
            default="${count} widgets cut",
            mapping={"count": len(ids)},
        )

    def describe(self, context):
        if len(self.data.get("ids") or ()) > 1:
            return _(
                "msg_removed_several",
                default="${count} widgets removed. Undo brings them back.",
                mapping={"count": len(self.data["ids"])},
            )
        return _("msg_removed", default="Widget removed. Undo brings it back.")
