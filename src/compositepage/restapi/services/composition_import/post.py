"""POST <item>/@composition-import: apply an exported composition to this page.

The document is what ``GET @composition?export=1`` gives.  The page's widgets
are replaced by the document's (unplaced ones included) through
``compositepage.api.replace_composition``: validated like any write, one
undoable operation, and nothing changes when it is refused.
"""

from AccessControl import Unauthorized
from compositepage import api
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.errors import translated
from compositepage.jsonbody import read_json
from compositepage.jsonbody import RequestProblem
from compositepage.restapi.serializer import EXPORT_FORMAT
from compositepage.restapi.serializer import plain_settings
from compositepage.restapi.serializer import serialize_composition
from compositepage.restapi.services.composition.patch import if_match
from compositepage.restapi.services.composition.patch import json_only
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import transaction


def widgets_of(document):
    """The document's widgets as replace_composition takes them."""
    widgets = []
    for slot, items in document["slots"].items():
        if not isinstance(items, list):
            raise InvalidOperation(f"The widgets of slot {slot!r} must be a list.")
        widgets.extend(
            {**item, "slot": slot} if isinstance(item, dict) else item for item in items
        )
    unplaced = document.get("unplaced") or []
    if not isinstance(unplaced, list):
        raise InvalidOperation("The unplaced widgets must be a list.")
    widgets.extend(unplaced)
    return [
        {
            **widget,
            "settings": plain_settings(
                widget.get("widget_type"), widget.get("settings")
            ),
        }
        if isinstance(widget, dict)
        else widget
        for widget in widgets
    ]


class CompositionImport(Service):
    def error(self, status, kind, message):
        transaction.doom()
        self.request.response.setStatus(status)
        return {"type": kind, "message": message}

    def reply(self):
        # Like plone.restapi's own write services: a JSON API authenticated
        # per request; JSON only, which browsers cannot post across sites
        # without CORS.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            json_only(self.request)
            document = read_json(self.request)
            version = if_match(self.request)
        except RequestProblem as problem:
            return self.error(problem.status, problem.kind, problem.message)
        if (
            not isinstance(document, dict)
            or document.get("compositepage_export") != EXPORT_FORMAT
            or not isinstance(document.get("slots"), dict)
            or not isinstance(document.get("layout"), str)
        ):
            return self.error(
                400,
                "BadRequest",
                "This is not a composition exported by GET @composition?export=1.",
            )
        try:
            api.replace_composition(
                self.context, document["layout"], widgets_of(document), version=version
            )
        except StaleVersion as error:
            transaction.doom()
            self.request.response.setStatus(412)
            return {
                "type": "PreconditionFailed",
                "message": translated(error, self.request),
                "composition": serialize_composition(self.context, self.request),
            }
        except InvalidOperation as error:
            return self.error(400, "BadRequest", translated(error, self.request))
        except Unauthorized as error:
            return self.error(403, "Unauthorized", str(error))
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return data
