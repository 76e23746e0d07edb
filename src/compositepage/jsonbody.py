"""Reading JSON request bodies within the limits of compositepage (the REST
API, which design mode writes through too).

Only documented means: the body's size is checked before it is parsed, and
the nesting after (a parser that runs out of recursion on a hostile body is
refused the same way).  Bodies reach our services as the WSGI server and
Zope hand them over; docs/operations.md says how to cap them there.
"""

from compositepage import _
from compositepage import limits

import json


class RequestProblem(Exception):
    """A request that cannot be read: (status, message)."""

    KINDS = {400: "BadRequest", 413: "PayloadTooLarge", 415: "UnsupportedMediaType"}

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = self.KINDS.get(status, "BadRequest")


def _too_deep(value, depth=1):
    """Whether arrays and objects in ``value`` nest deeper than allowed."""
    if depth > limits.MAX_JSON_DEPTH:
        return True
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return False
    return any(
        _too_deep(item, depth + 1) for item in value if isinstance(item, (dict, list))
    )


def read_json(request, max_bytes=limits.MAX_REQUEST_BYTES):
    """The JSON body of ``request``, or RequestProblem."""
    too_large = RequestProblem(
        413,
        _(
            "error_too_large",
            default="The request is larger than ${size} bytes.",
            mapping={"size": max_bytes},
        ),
    )
    try:
        length = int(request.getHeader("Content-Length") or 0)
    except ValueError:
        length = 0
    # The declared length first, so that a body announced too large is not
    # read into memory; then the body itself (a chunked one declares none).
    if length > max_bytes:
        raise too_large
    body = request.get("BODY") or b""
    if len(body) > max_bytes:
        raise too_large
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestProblem(
                400, _("error_not_utf8", default="The request is not UTF-8 text.")
            )
    too_deep = RequestProblem(
        400,
        _(
            "error_too_deep",
            default="The request nests arrays and objects deeper than ${max}.",
            mapping={"max": limits.MAX_JSON_DEPTH},
        ),
    )
    try:
        value = json.loads(body)
    except RecursionError:
        raise too_deep
    except ValueError:
        raise RequestProblem(
            400, _("error_not_json", default="The request is not valid JSON.")
        )
    if _too_deep(value):
        raise too_deep
    fields = value.get("metadata_fields") if isinstance(value, dict) else None
    if fields is not None and not (
        isinstance(fields, str)
        or (isinstance(fields, list) and all(isinstance(f, str) for f in fields))
    ):
        # plone.restapi's summaries of the content settings refer to read
        # it from the body of a request without a query string.
        raise RequestProblem(
            400,
            _(
                "error_metadata_fields",
                default="metadata_fields must be a catalog metadata name or a "
                "list of them.",
            ),
        )
    return value
