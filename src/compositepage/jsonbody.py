"""Reading JSON request bodies within the limits of compositepage (the
editor's write path and the REST API)."""

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


def json_depth(text):
    """The deepest nesting of arrays and objects, outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read_json(request, max_bytes=limits.MAX_REQUEST_BYTES):
    """The JSON body of ``request``, or RequestProblem."""
    try:
        length = int(request.getHeader("Content-Length") or 0)
    except ValueError:
        length = 0
    body = request.get("BODY") or b""
    if length > max_bytes or len(body) > max_bytes:
        raise RequestProblem(
            413,
            _(
                "error_too_large",
                default="The request is larger than ${size} bytes.",
                mapping={"size": max_bytes},
            ),
        )
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestProblem(
                400, _("error_not_utf8", default="The request is not UTF-8 text.")
            )
    if json_depth(body) > limits.MAX_JSON_DEPTH:
        raise RequestProblem(
            400,
            _(
                "error_too_deep",
                default="The request nests arrays and objects deeper than ${max}.",
                mapping={"max": limits.MAX_JSON_DEPTH},
            ),
        )
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise RequestProblem(
            400, _("error_not_json", default="The request is not valid JSON.")
        )
