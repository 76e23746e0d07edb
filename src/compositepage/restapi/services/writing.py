"""What the REST write services share: JSON bodies only, the version in
If-Match, and answers that leave nothing changed when they refuse."""

from compositepage import _
from compositepage.jsonbody import read_json
from compositepage.jsonbody import RequestProblem
from compositepage.restapi.serializer import serialize_composition
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


class WriteService(Service):
    """A service that changes the composition of its page."""

    def read(self):
        """The request's JSON body and the version in If-Match.

        :raises: ``RequestProblem`` for anything else.
        """
        # Like plone.restapi's own write services: a JSON API authenticated
        # per request, which browsers cannot post across sites without CORS.
        alsoProvides(self.request, IDisableCSRFProtection)
        json_only(self.request)
        return read_json(self.request), if_match(self.request)

    def error(self, status, kind, message, **extra):
        """A refusal: nothing of the request is stored."""
        transaction.doom()
        self.request.response.setStatus(status)
        return {
            "type": kind,
            "message": translate(message, context=self.request),
            **extra,
        }

    def stale(self, message):
        """412 with the current composition, which the client saw an older
        version of."""
        answer = self.error(412, "PreconditionFailed", message)
        answer["composition"] = self.composition()
        return answer

    def composition(self):
        """The page's composition, its version as ETag."""
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return data
