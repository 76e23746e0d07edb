"""The Python API of compositepage: read and change the composition of a page.

Every write goes through these functions or through the same operations
(``compositepage.operations``), whoever asks: the editor, the REST API,
scripts.  Each write checks the caller's permissions, checks the
``version`` the caller saw (``StaleVersion`` when the page changed since),
validates everything it is given (``InvalidOperation``, a ``ValueError``
whose message names the problem) *before* it changes anything, and then
applies the change as one undoable operation.

The writing functions share two parameters, documented here once:

- ``obj``: a content item with the composite behavior;
- ``version``: the version of its composition the caller saw
  (``get_composition(obj)["version"]``); None does not check it.

Reading never writes: a page that was never composed has no annotation, and
``get_composition`` answers with an empty composition in the default layout.

>>> from compositepage import api
>>> heading = api.add_widget(page, "main", "heading", {"text": "Welcome"})
>>> api.get_composition(page)["slots"]["main"][0]["settings"]["text"]
'Welcome'
"""

from AccessControl.security import checkPermission
from compositepage import lookup
from compositepage import placing
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.layout import Layout
from compositepage.operations import perform
from compositepage.operations.checks import DESIGN_PAGE
from compositepage.operations.checks import MANAGE_LAYOUTS
from compositepage.placing import arrange
from compositepage.widget import WidgetType


__all__ = [
    "DESIGN_PAGE",
    "MANAGE_LAYOUTS",
    "InvalidOperation",
    "StaleVersion",
    "add_widget",
    "arrange",
    "get_composition",
    "get_layout",
    "get_layouts",
    "get_widget_types",
    "move_widget",
    "paste_widgets",
    "redo",
    "remove_widget",
    "replace_composition",
    "set_layout",
    "undo",
    "update_widget",
]


def get_layouts(context: object | None = None) -> list[Layout]:
    """The enabled layouts available for ``context``, in the configured order.

    :param context: The content item (default: the site).
    :returns: A list of ``compositepage.layout.Layout``.
    """
    return list(lookup.enabled_layouts(context).values())


def get_layout(obj: object) -> Layout | None:
    """The layout ``obj`` is shown with.

    The stored layout when it is registered for ``obj``; otherwise (never
    composed, or its layout was unregistered) the default layout, or the
    first enabled one.

    :param obj: A content item with the composite behavior.
    :returns: A ``compositepage.layout.Layout``, or None when none exists.
    """
    return lookup.layout_of(obj)


def get_widget_types(context: object | None = None) -> list[WidgetType]:
    """The enabled widget types; with ``context``, those the user may add there.

    :param context: The content item whose add permissions apply (optional).
    :returns: A list of ``compositepage.widget.WidgetType``.
    """
    enabled = lookup.enabled_widget_types()
    if context is None:
        return enabled
    return [wt for wt in enabled if checkPermission(wt.permission, context)]


def get_composition(obj: object) -> dict:
    """The composition of ``obj`` as plain data.

    :param obj: A content item with the composite behavior.
    :returns: ``{"layout": name, "version": int, "slots": {slot: [{"id",
        "widget_type", "settings"}, ...]}, "unplaced": [{..., "slot"}],
        "can_undo": bool, "can_redo": bool}``; slots in layout order.  A
        container widget (columns) also has ``"slots": {"col-1": [...]}``.
    """
    return placing.described(obj)


def add_widget(
    obj: object,
    slot: str,
    widget_type: str,
    settings: dict | None = None,
    index: int | None = None,
    version: int | None = None,
) -> str:
    """Place a new widget of ``widget_type`` into ``slot`` at ``index``.

    :param slot: The name of a slot of the page's layout.
    :param widget_type: The name of an enabled widget type the user may add.
    :param settings: Plain-data settings (missing ones take their defaults).
    :param index: The position in the slot (default: at the end).
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The id of the new placement.
    """
    operation = {"op": "add", "slot": slot, "widget_type": widget_type}
    operation.update(settings=settings, index=index)
    return perform(obj, operation, version).operation.focus


def move_widget(
    obj: object, placement_id: str, slot: str, index: int, version: int | None = None
) -> int:
    """Move a placement to position ``index`` of ``slot`` (the same or another).

    Also brings an unplaced widget back into a slot.

    :param placement_id: The id of a widget of ``obj``.
    :param slot: The name of a slot of the page's layout, or a column's
        (``"<columns widget id>/col-2"``).
    :param index: The position in the slot after the move, from 0.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version (unchanged when the widget is already there).
    """
    operation = {"op": "move", "id": placement_id, "slot": slot, "index": index}
    return perform(obj, operation, version).version


def update_widget(
    obj: object, placement_id: str, settings: dict, version: int | None = None
) -> int:
    """Change settings of a placement; settings it does not name are kept.

    :param placement_id: The id of a widget of ``obj``.
    :param settings: Plain-data settings, validated as for ``add_widget``.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version (unchanged when nothing changed).
    """
    operation = {"op": "update", "id": placement_id, "settings": settings}
    return perform(obj, operation, version).version


def remove_widget(obj: object, placement_id: str, version: int | None = None) -> int:
    """Remove a placement (undo puts it back).

    :param placement_id: The id of a widget of ``obj``.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version.
    """
    return perform(obj, {"op": "remove", "id": placement_id}, version).version


def paste_widgets(
    obj: object,
    source: str,
    ids: list[str],
    slot: str,
    index: int | None = None,
    cut: bool = False,
    version: int | None = None,
) -> list[str]:
    """Place copies of widgets of the page ``source`` into ``slot`` of ``obj``.

    New placements with fresh ids and the same settings (a columns widget
    with its columns' widgets); the target slot's rules apply as for adds.
    Needs View on the source page; with ``cut``, also the permission to
    design it: the originals are removed from it in the same transaction
    (its own undo brings them back).  Into the same page, it duplicates.

    :param source: The UUID of the page the widgets were copied from.
    :param ids: Their placement ids there, in the order to paste them.
    :param slot: The slot of ``obj`` to paste into.
    :param index: The position of the first pasted widget (default: the end).
    :param cut: Whether the originals are removed from ``source``.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The ids of the new placements (not those in their columns).
    """
    operation = {"op": "paste", "source": source, "ids": ids, "slot": slot}
    operation.update(index=index, cut=cut)
    return perform(obj, operation, version).operation.top()


def set_layout(obj: object, name: str, version: int | None = None) -> int:
    """Show ``obj`` with the layout ``name``.

    Widgets whose slot the new layout lacks become *unplaced*; switching back
    puts them back.  Needs the permission ``compositepage: Manage layouts``.

    :param name: The name of an enabled layout available for ``obj``.
    :raises: ``StaleVersion``, ``InvalidOperation``, ``Unauthorized``.
    :returns: The new version (unchanged when it already has that layout).
    """
    return perform(obj, {"op": "set_layout", "layout": name}, version).version


def undo(obj: object, version: int | None = None) -> int:
    """Take back the page's latest operation, whoever made it.

    :raises: ``StaleVersion``, ``InvalidOperation`` (nothing to undo),
        ``Unauthorized``.
    :returns: The new version.
    """
    return perform(obj, {"op": "undo"}, version).version


def redo(obj: object, version: int | None = None) -> int:
    """Apply again the operation the latest undo took back.

    :raises: ``StaleVersion``, ``InvalidOperation`` (nothing to redo),
        ``Unauthorized``.
    :returns: The new version.
    """
    return perform(obj, {"op": "redo"}, version).version


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
    operation = {"op": "replace", "layout": layout, "widgets": widgets}
    return perform(obj, operation, version).version
