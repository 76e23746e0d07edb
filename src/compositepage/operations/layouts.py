"""Operations on the whole page: switch its layout, replace its widgets."""

from compositepage import _
from compositepage import conflicts
from compositepage import lookup
from compositepage import ordering
from compositepage.errors import InvalidOperation
from compositepage.interfaces import IOperationKind
from compositepage.layout import SLOT_NAME
from compositepage.operations import checks
from compositepage.operations import Operation
from compositepage.operations.widgets import data_of
from compositepage.placing import arrange
from compositepage.storage import Placement
from compositepage.storage import query_composition
from compositepage.validation import validate_settings
from zope.interface import provider

import uuid


# The title of design mode's tray of unplaced widgets (design_tray.pt).
TRAY = _("label_tray", default="Not placed in this layout")


@provider(IOperationKind)
class SetLayout(Operation):
    name = "set_layout"
    fields = ("layout",)
    change = _("change_set_layout", default="layout switched")

    @classmethod
    def prepare(cls, context, composition, data):
        checks.require(checks.MANAGE_LAYOUTS, context, checks.may_not_switch())
        layout = checks.layout(context, data.get("layout"))
        operation = cls(layout=layout.name)
        current = (
            composition.layout
            if composition is not None
            else lookup.layout_of(context).name
        )
        operation.noop = current == layout.name
        return operation

    def apply(self, context, composition):
        checks.require(checks.MANAGE_LAYOUTS, context, checks.may_not_switch())
        inverse = SetLayout(layout=composition.layout)
        # For describe(): which widgets this switch took out of their slots.
        self.previous = composition.layout
        composition.layout = self.data["layout"]
        return inverse

    def describe(self, context):
        """How many widgets the switch put in the tray, and which tray."""
        layout = lookup.layout_of(context)
        if layout is None:
            return _("msg_layout", default="Layout switched.")
        mapping = {"layout": layout.title, "tray": TRAY}
        if self.noop:
            return _(
                "msg_layout_same",
                default="The page already has the layout ${layout}.",
                mapping=mapping,
            )
        composition = query_composition(context)
        unplaced = {p.id for p in arrange(composition, layout)[1]}
        previous = lookup.query_layout(getattr(self, "previous", None), context)
        if previous is not None:
            unplaced -= {p.id for p in arrange(composition, previous)[1]}
        mapping["count"] = len(unplaced)
        if not unplaced:
            return _(
                "msg_layout_none_unplaced",
                default="Layout switched to ${layout}; no widget went to the tray.",
                mapping=mapping,
            )
        if len(unplaced) == 1:
            return _(
                "msg_layout_one_unplaced",
                default="Layout switched to ${layout}. 1 widget has no place in "
                "it and went to the tray “${tray}” below the floor plan.",
                mapping=mapping,
            )
        return _(
            "msg_layout_unplaced",
            default="Layout switched to ${layout}. ${count} widgets have no place "
            "in it and went to the tray “${tray}” below the floor plan.",
            mapping=mapping,
        )


def _widget(context, target, per_slot, number, widget, slot=None):
    """One widget of a replacement, validated: (slot, {id, type, settings});
    ``slot`` is given for a widget in a container's slot."""
    if not isinstance(widget, dict):
        raise InvalidOperation(
            _(
                "error_widget_object",
                default="Widget ${number} must be an object.",
                mapping={"number": number},
            )
        )
    inside = slot is not None
    slot = slot if inside else widget.get("slot")
    if not inside and (not isinstance(slot, str) or not SLOT_NAME.match(slot)):
        raise InvalidOperation(
            _(
                "error_widget_slot_name",
                default="Widget ${number} has no valid slot name.",
                mapping={"number": number},
            )
        )
    try:
        kind = checks.widget_type(widget.get("widget_type"), context)
        checks.no_container_in_container(kind, slot)
        settings = kind.clean(
            validate_settings(kind, widget.get("settings"), context), context
        )
        rules = target.get_slot(slot)
        if rules is not None:
            checks.room(rules, per_slot.get(slot, []), kind.name)
        own = widget.get("slots") or {}
        names = [name for name, _title in kind.sub_slots(settings)]
        if not isinstance(own, dict) or any(name not in names for name in own):
            raise InvalidOperation(
                _(
                    "error_widget_own_slots",
                    default="Its slots must be some of: ${names}.",
                    mapping={"names": ", ".join(names) or "-"},
                )
            )
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
    item = {"id": uuid.uuid4().hex, "widget_type": kind.name, "settings": settings}
    per_slot.setdefault(slot, []).append(item)
    for name, children in own.items():
        # A container's widgets, in its slots.
        for child in children if isinstance(children, list) else [children]:
            _widget(context, target, per_slot, number, child, f"{item['id']}/{name}")


def _count(count):
    maximum = lookup.get_setting("max_widgets_per_page")
    if count > maximum:
        raise InvalidOperation(
            _(
                "error_too_many_widgets",
                default="${count} widgets are more than the ${max} allowed.",
                mapping={"count": count, "max": maximum},
            )
        )


@provider(IOperationKind)
class Replace(Operation):
    """Every widget of the page replaced (an imported composition)."""

    name = "replace"
    fields = ("layout", "widgets")
    change = _("change_replace", default="all widgets replaced")

    @classmethod
    def prepare(cls, context, composition, data):
        target = checks.layout(context, data.get("layout"))
        current = lookup.layout_of(context)
        if current is None or target.name != current.name:
            checks.require(checks.MANAGE_LAYOUTS, context, checks.may_not_switch())
        widgets = data.get("widgets")
        if not isinstance(widgets, list):
            raise InvalidOperation(
                _("error_widgets_list", default="The widgets must be a list.")
            )
        per_slot = {}
        _count(len(widgets))
        for number, widget in enumerate(widgets, start=1):
            _widget(context, target, per_slot, number, widget)
        # A container's widgets count too.
        _count(sum(map(len, per_slot.values())))
        placements = []
        for slot, items in per_slot.items():
            for item, key in zip(items, ordering.spread(len(items)), strict=True):
                placements.append({"slot": slot, "order": key, **item})
        return cls(layout=target.name, placements=placements)

    def apply(self, context, composition):
        if self.data["layout"] != composition.layout:
            checks.require(checks.MANAGE_LAYOUTS, context, checks.may_not_switch())
        inverse = Replace(
            layout=composition.layout,
            placements=[data_of(p) for p in composition.ordered()],
        )
        kinds = {}
        for data in self.data["placements"]:
            kind = lookup.query_widget_type(data["widget_type"])
            if kind is not None:
                checks.require(kind.permission, context, checks.may_not_add(kind))
            kinds[data["id"]] = kind
        composition.placements.clear()
        composition.count = 0
        composition.layout = self.data["layout"]
        composition.replaced = tuple(self.stamp)
        for data in self.data["placements"]:
            kind = kinds[data["id"]]
            composition.placements[data["id"]] = Placement(
                derived=kind.derive(data["settings"], context) if kind else {},
                **data,
            )
            conflicts.stamp(
                composition.placements[data["id"]], ("edited", "placed"), self.stamp
            )
            composition.count += 1
        return inverse

    def describe(self, context):
        return _("msg_replaced", default="All widgets replaced.")
