"""POST <item>/@composition-import: apply an exported composition to this page.

The document is what ``GET @composition?export=1`` gives.  The page's widgets
are replaced by the document's (unplaced ones included) through
the operation ``replace``: validated like any write, one
undoable operation, and nothing changes when it is refused.
"""

from AccessControl import Unauthorized
from compositepage import _
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.errors import translated
from compositepage.operations import perform
from compositepage.restapi.serializer import EXPORT_FORMAT
from compositepage.restapi.serializer import plain_settings
from compositepage.restapi.services.writing import WriteService


def widgets_of(document):
    """The document's widgets as replace_composition takes them."""
    widgets = []
    for slot, items in document["slots"].items():
        if not isinstance(items, list):
            raise InvalidOperation(
                _(
                    "error_import_slot_not_list",
                    default="The widgets of slot ${slot} must be a list.",
                    mapping={"slot": repr(slot)},
                )
            )
        widgets.extend(
            {**item, "slot": slot} if isinstance(item, dict) else item for item in items
        )
    unplaced = document.get("unplaced") or []
    if not isinstance(unplaced, list):
        raise InvalidOperation(
            _(
                "error_import_unplaced_not_list",
                default="The unplaced widgets must be a list.",
            )
        )
    widgets.extend(unplaced)
    return [_plain(widget) for widget in widgets]


def _plain(widget):
    """A widget with its references as UUIDs (a container's widgets too)."""
    if not isinstance(widget, dict):
        return widget
    plain = {
        **widget,
        "settings": plain_settings(widget.get("widget_type"), widget.get("settings")),
    }
    if isinstance(widget.get("slots"), dict):
        plain["slots"] = {
            name: [_plain(child) for child in children]
            if isinstance(children, list)
            else children
            for name, children in widget["slots"].items()
        }
    return plain


class CompositionImport(WriteService):
    def write(self, document, version):
        if (
            not isinstance(document, dict)
            or document.get("compositepage_export") != EXPORT_FORMAT
            or not isinstance(document.get("slots"), dict)
            or not isinstance(document.get("layout"), str)
        ):
            return self.error(
                400,
                "BadRequest",
                _(
                    "error_not_an_export",
                    default="This is not a composition exported by "
                    "GET @composition?export=1.",
                ),
            )
        try:
            operation = {
                "op": "replace",
                "layout": document["layout"],
                "widgets": widgets_of(document),
            }
            # If-Match in its strict HTTP meaning: any change since refuses.
            perform(self.context, operation, version, merge=False)
        except StaleVersion as error:
            return self.stale(translated(error, self.request))
        except InvalidOperation as error:
            return self.error(400, "BadRequest", translated(error, self.request))
        except Unauthorized as error:
            return self.error(403, "Unauthorized", str(error))
        return self.composition()
