"""Compositions as JSON: what the REST API answers and accepts."""

from AccessControl.security import checkPermission
from compositepage import api
from compositepage import lookup
from compositepage import operations
from compositepage import references
from compositepage.storage import query_composition
from plone.restapi.interfaces import ISerializeToJsonSummary
from zope.component import getMultiAdapter

import copy


EXPORT_FORMAT = 1


def _serialize_settings(widget_type, settings, summaries):
    """Settings as stored, each reference as its summary in ``summaries``
    (by UUID), or with ``@id`` and ``title`` None when the content is gone
    or the user may not see it."""
    result = copy.deepcopy(settings)
    for name in widget_type.reference_fields if widget_type else ():
        value = result.get(name)
        uuids = value if isinstance(value, list) else [value] if value else []
        serialized = [
            summaries.get(uuid) or {"@id": None, "title": None, "UID": uuid}
            for uuid in uuids
        ]
        if isinstance(value, list):
            result[name] = serialized
        elif serialized:
            result[name] = serialized[0]
    return result


def _summaries(brains, request):
    """Each content item referred to, as plone.restapi summarizes content
    (``ISerializeToJsonSummary``: ``@id``, ``title`` ...) with its ``UID``;
    once per item, however many widgets refer to it."""
    return {
        uuid: {
            **getMultiAdapter((brain, request), ISerializeToJsonSummary)(),
            "UID": uuid,
        }
        for uuid, brain in brains.items()
        if brain is not None
    }


def _exported(widget):
    """A widget of an export: its type and settings (a container's own
    slots with theirs)."""
    exported = {"widget_type": widget["widget_type"], "settings": widget["settings"]}
    if "slots" in widget:
        exported["slots"] = {
            name: [_exported(child) for child in children]
            for name, children in widget["slots"].items()
        }
    return exported


def _every_widget(groups):
    """The widgets of lists of widgets, those in containers' slots too."""
    for widgets in groups:
        for widget in widgets:
            yield widget
            yield from _every_widget(widget.get("slots", {}).values())


def serialize_composition(context, request, export=False):
    """The composition of ``context`` as the REST API shows it.

    ``export``: a self-contained document of plain settings that
    ``@composition-import`` applies to another page.
    """
    data = api.get_composition(context)
    if not checkPermission(api.DESIGN_PAGE, context):
        # Visitors see what the real view shows: not the widgets it hides.
        data["unplaced"] = []
    if export:
        return {
            "compositepage_export": EXPORT_FORMAT,
            "layout": data["layout"],
            "slots": {
                slot: [_exported(w) for w in widgets]
                for slot, widgets in data["slots"].items()
            },
            "unplaced": [{"slot": w["slot"], **_exported(w)} for w in data["unplaced"]],
        }
    types = lookup.widget_types()
    everything = list(_every_widget([*data["slots"].values(), data["unplaced"]]))
    summaries = _summaries(references.resolve(context, everything, types), request)
    for widget in everything:
        widget["settings"] = _serialize_settings(
            types.get(widget["widget_type"]), widget["settings"], summaries
        )
    return {
        "@id": f"{context.absolute_url()}/@composition",
        **data,
    }


def plain_settings(widget_type_name, settings):
    """Settings from a client, with references given as {UID: ...} objects
    (as GET answers them) turned back into UUIDs."""
    widget_type = lookup.query_widget_type(widget_type_name)
    if not isinstance(settings, dict) or widget_type is None:
        return settings
    result = dict(settings)
    for name in widget_type.reference_fields:
        value = result.get(name)
        if isinstance(value, dict) and "UID" in value:
            result[name] = value["UID"]
        elif isinstance(value, list):
            result[name] = [
                item["UID"] if isinstance(item, dict) and "UID" in item else item
                for item in value
            ]
    return result


def plain_operation(context, operation):
    """An operation from a client, references as UUIDs (see plain_settings)."""
    if not isinstance(operation, dict) or "settings" not in operation:
        return operation
    found = operations.kind(operation.get("op"))
    if found is None or "settings" not in found.fields:
        # Refused as it is: an unknown kind, or a field the kind has not.
        return operation
    # The widget type the settings are of: named (add), or the placement's.
    name = found.from_stored(operation).widget_type_name(query_composition(context))
    return {**operation, "settings": plain_settings(name, operation["settings"])}
