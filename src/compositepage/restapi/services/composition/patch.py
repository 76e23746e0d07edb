"""PATCH <item>/@composition: apply operations, all or none.

The body is ``{"operations": [...]}``; ``If-Match`` carries the version the
client saw.  The operations go through ``compositepage.api`` one after the
other in one transaction; the first one that is refused dooms the transaction,
so a refused request changes nothing.
"""

from AccessControl import Unauthorized
from compositepage import _
from compositepage import limits
from compositepage.errors import InvalidOperation
from compositepage.errors import translated
from compositepage.jsonbody import read_json
from compositepage.jsonbody import RequestProblem
from compositepage.operations import apply_operation
from compositepage.restapi.serializer import plain_operation
from compositepage.restapi.serializer import serialize_composition
from compositepage.storage import query_composition
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides

import transaction


def json_only(request):
    """Writes come as JSON: a form a browser could post from another site
    cannot send that content type without CORS."""
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip()
    if content_type != "application/json":
        raise RequestProblem(
            415, _("error_json_only", default="Send the body as application/json.")
        )


def if_match(request):
    """The version in If-Match ("*" and absent: None), or RequestProblem."""
    value = (request.getHeader("If-Match") or "").strip()
    if value in ("", "*"):
        return None
    value = value.removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        raise RequestProblem(
            400,
            _(
                "error_if_match",
                default="If-Match must be a version this API gave (its ETag).",
            ),
        )


class CompositionPatch(Service):
    def error(self, status, kind, message, **extra):
        transaction.doom()
        self.request.response.setStatus(status)
        return {
            "type": kind,
            "message": translate(message, context=self.request),
            **extra,
        }

    def reply(self):
        # Like plone.restapi's own write services: a JSON API authenticated
        # per request, which browsers cannot post across sites without CORS.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            json_only(self.request)
            body = read_json(self.request)
            version = if_match(self.request)
        except RequestProblem as problem:
            return self.error(problem.status, problem.kind, problem.message)
        operations = body.get("operations") if isinstance(body, dict) else None
        if not isinstance(operations, list) or not operations:
            return self.error(
                400,
                "BadRequest",
                _(
                    "error_no_operations",
                    default='The body must be {"operations": [...]} with at least one '
                    "operation.",
                ),
            )
        if len(operations) > limits.MAX_OPERATIONS:
            return self.error(
                413,
                "PayloadTooLarge",
                _(
                    "error_too_many_operations",
                    default="At most ${max} operations per request.",
                    mapping={"max": limits.MAX_OPERATIONS},
                ),
            )
        composition = query_composition(self.context)
        current = composition.version if composition is not None else 0
        if version is not None and version != current:
            return self.stale(version, current)
        for number, operation in enumerate(operations, start=1):
            kind = operation.get("op") if isinstance(operation, dict) else None
            try:
                # The version was checked above, once for the whole request.
                apply_operation(self.context, plain_operation(self.context, operation))
            except (InvalidOperation, Unauthorized) as error:
                where = _(
                    "error_in_operation",
                    default="Operation ${number} (${op}): ${problem}",
                    mapping={
                        "number": number,
                        "op": kind if isinstance(kind, str) else "?",
                        "problem": translated(error, self.request),
                    },
                )
                status, kind = (
                    (403, "Unauthorized")
                    if isinstance(error, Unauthorized)
                    else (400, "BadRequest")
                )
                return self.error(status, kind, where, operation=number)
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return data

    def stale(self, seen, current):
        transaction.doom()
        self.request.response.setStatus(412)
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return {
            "type": "PreconditionFailed",
            "message": translate(
                _(
                    "error_stale_rest",
                    default="The page is at version ${current}, not ${seen}: someone "
                    "else changed it. Here is the current composition.",
                    mapping={"current": current, "seen": seen},
                ),
                context=self.request,
            ),
            "composition": data,
        }
