"""What the REST write services share: JSON bodies only, the version in
If-Match, and answers that leave nothing changed when they refuse.

``?expand=design`` (what design mode asks for) adds the floor plan's state
to every answer, a refusal too, in ``@components.design``: the editor then
always shows what is stored.
"""

from compositepage import _
from compositepage.errors import translated
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

    def reply(self):
        """Refuses a request whose body or If-Match is not what ``read``
        takes; hands the others to ``write``."""
        try:
            body, version = self.read()
        except RequestProblem as problem:
            return self.error(problem.status, problem.kind, problem.message)
        return self.write(body, version)

    def write(self, body, version):
        """The answer to the JSON ``body`` sent with If-Match ``version``."""
        raise NotImplementedError

    def error(self, status, kind, message, design_error=None, **extra):
        """A refusal: nothing of the request is stored.

        :param design_error: What the editor says (default: ``message``).
        """
        # Operations applied before the refused one are taken back now, so
        # an answer shows what is stored.
        transaction.abort()
        transaction.doom()
        self.request.response.setStatus(status)
        answer = {
            "type": kind,
            "message": translate(message, context=self.request),
            **extra,
        }
        if self.wants_design():
            problem = message if design_error is None else design_error
            state = self.design_state()
            state["error"] = (
                translated(problem, self.request)
                if isinstance(problem, Exception)
                else translate(problem, context=self.request)
            )
            answer["@components"] = {"design": state}
        return answer

    def stale(self, message, design_error=None):
        """412 with the current composition, which the client saw an older
        version of (``design_error``: what the editor says)."""
        answer = self.error(
            412,
            "PreconditionFailed",
            message,
            design_error=design_error
            or _(
                "msg_stale",
                default="This page was changed by someone else — your view has "
                "been refreshed.",
            ),
        )
        answer["composition"] = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{answer["composition"]["version"]}"')
        return answer

    def composition(self, said=None):
        """The page's composition, its version as ETag.

        :param said: ``(sentence, placement id)`` of the last operation, for
            design mode's live region and focus.
        """
        data = serialize_composition(self.context, self.request)
        self.request.response.setHeader("ETag", f'"{data["version"]}"')
        if self.wants_design():
            message, focus = said or (None, None)
            data["@components"] = {"design": self.design_state(message, focus)}
        return data

    def wants_design(self):
        return "design" in (self.request.form.get("expand") or "").split(",")

    def design_state(self, message=None, focus=None):
        from compositepage.browser.canvas import DesignCanvas

        return DesignCanvas(self.context, self.request).state(message, focus)
