"""POST <item>/@composition-import: apply an exported composition to this page.

The document is what ``GET @composition?export=1`` gives.  The page's widgets
are replaced by the document's, through ``compositepage.api`` and validated
like any write, all in one transaction: the first refusal changes nothing.
Widgets the document keeps unplaced are not imported (they have no slot in its
layout); the answer counts them.
"""

from AccessControl import Unauthorized
from compositepage import api
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.jsonbody import read_json
from compositepage.jsonbody import RequestProblem
from compositepage.restapi.serializer import EXPORT_FORMAT
from compositepage.restapi.serializer import plain_settings
from compositepage.restapi.serializer import serialize_composition
from compositepage.restapi.services.composition.patch import if_match
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import transaction


class CompositionImport(Service):
    def error(self, status, kind, message):
        transaction.doom()
        self.request.response.setStatus(status)
        return {"type": kind, "message": message}

    def reply(self):
        # Like plone.restapi's own write services: a JSON API authenticated
        # per request, which browsers cannot post across sites without CORS.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            document = read_json(self.request)
            version = if_match(self.request)
        except RequestProblem as problem:
            kind = "PayloadTooLarge" if problem.status == 413 else "BadRequest"
            return self.error(problem.status, kind, problem.message)
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
            self.apply(document, version)
        except StaleVersion as error:
            transaction.doom()
            self.request.response.setStatus(412)
            return {
                "type": "PreconditionFailed",
                "message": str(error),
                "composition": serialize_composition(self.context, self.request),
            }
        except InvalidOperation as error:
            return self.error(400, "BadRequest", str(error))
        except Unauthorized as error:
            return self.error(403, "Unauthorized", str(error))
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        data["skipped"] = len(document.get("unplaced") or [])
        return data

    def apply(self, document, version):
        context = self.context
        current = api.get_composition(context)
        if version is not None and version != current["version"]:
            raise StaleVersion(current["version"], version)
        if document["layout"] != current["layout"]:
            api.set_layout(context, document["layout"])
        existing = [w["id"] for ws in current["slots"].values() for w in ws]
        existing += [w["id"] for w in current["unplaced"]]
        for placement_id in existing:
            api.remove_widget(context, placement_id)
        for slot, widgets in document["slots"].items():
            if not isinstance(widgets, list):
                raise InvalidOperation(f"The widgets of slot {slot!r} must be a list.")
            for number, widget in enumerate(widgets, start=1):
                if not isinstance(widget, dict):
                    raise InvalidOperation(
                        f"Widget {number} of slot {slot!r} must be an object."
                    )
                try:
                    api.add_widget(
                        context,
                        slot,
                        widget.get("widget_type"),
                        plain_settings(
                            widget.get("widget_type"), widget.get("settings")
                        ),
                    )
                except InvalidOperation as error:
                    raise InvalidOperation(f"Widget {number} of slot {slot!r}: {error}")
