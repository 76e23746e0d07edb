"""Event subscribers of compositepage."""

from compositepage import limits
from compositepage.jsonbody import json_depth


# Our JSON write paths (the REST API's and the editor's).
ENDPOINTS = ("/@composition", "/@composition-import", "/@@design-write")


def shield_json_writes(event):
    """Keep bodies our limits refuse away from plone.restapi's JWT plugin.

    That PAS plugin parses every body sent as exactly ``application/json``
    while authenticating, before any view runs: a body nested about a thousand
    deep makes it fail with a 500, and a huge one is parsed in full.  For our
    endpoints, such bodies get a charset in their content type, which the
    plugin leaves alone, so our own checks answer them with 400 or 413.
    """
    environ = event.request.environ
    if environ.get("CONTENT_TYPE") != "application/json":
        return
    if not environ.get("PATH_INFO", "").endswith(ENDPOINTS):
        return
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    refused = length > limits.MAX_REQUEST_BYTES
    stdin = event.request.stdin
    if not refused and length and getattr(stdin, "seekable", lambda: False)():
        start = stdin.tell()
        body = stdin.read(length)
        stdin.seek(start)
        refused = json_depth(body.decode("utf-8", "replace")) > limits.MAX_JSON_DEPTH
    if refused:
        environ["CONTENT_TYPE"] = "application/json; charset=utf-8"
