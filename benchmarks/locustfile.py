"""The load test's scenario (``make loadtest``, run by benchmarks/loadtest.py).

Visitors read the demo's composite pages anonymously through both instances;
editors work on the same pages the way design mode does: read the
composition, then add a heading, change it, move it and remove it again,
each with the ETag they saw (a 412 makes them read again and retry).  With
``LOADTEST_EDITOR_WRITES=0`` editors read twice instead of reading and
writing.

Everything is bounded: Locust's ``--run-time`` bounds the time,
``LOADTEST_MAX_REQUESTS`` the requests, and only the loopback addresses of
``LOADTEST_URLS`` are requested.
"""

from locust import between
from locust import events
from locust import HttpUser
from locust import task

import base64
import gevent
import itertools
import os
import random
import urllib.parse


URLS = os.environ["LOADTEST_URLS"].split()
PAGES = os.environ.get("LOADTEST_PAGES", "landing two-columns one-column").split()
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "20000"))
# 0: editors only read their page, as often as they would change it (the
# "reading" run, which tells what writing costs from what more traffic does).
EDITOR_WRITES = os.environ.get("LOADTEST_EDITOR_WRITES", "1") != "0"
AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()
JSON = {"Accept": "application/json", "Content-Type": "application/json"}

for url in URLS:
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test sends to loopback addresses only, not {url}.")

# Visitors and editors share both instances; with LOADTEST_SPLIT=1 visitors
# go to the first and editors to the second, as a site routes logged-in
# users to backends of their own.
SPLIT = os.environ.get("LOADTEST_SPLIT") == "1" and len(URLS) > 1
_instances = itertools.cycle(URLS)


def instance_for(kind):
    if SPLIT:
        return URLS[0] if kind == "visitor" else URLS[1]
    return next(_instances)


_requests = itertools.count(1)
_environment = []


@events.init.add_listener
def remember(environment, **kwargs):
    _environment.append(environment)


@events.request.add_listener
def bounded(**kwargs):
    # Stop the whole run once the budget of requests is spent (from a
    # greenlet of its own: quitting kills the users, this one among them).
    if next(_requests) == MAX_REQUESTS and _environment[0].runner is not None:
        gevent.spawn(_environment[0].runner.quit)


class Visitor(HttpUser):
    """An anonymous reader of the demo pages."""

    fixed_count = int(os.environ.get("LOADTEST_VISITORS", "10"))
    wait_time = between(0.5, 1.5)
    host = URLS[0]

    def on_start(self):
        self.base = instance_for("visitor")

    @task
    def read(self):
        page = random.choice(PAGES)
        self.client.get(f"{self.base}/demo/{page}", name="visitor: page")


class Editor(HttpUser):
    """An editor in design mode, one change every second or two."""

    fixed_count = int(os.environ.get("LOADTEST_EDITORS", "10"))
    wait_time = between(1, 2)
    host = URLS[0]

    def on_start(self):
        self.base = instance_for("editor")
        self.number = 0
        self.widget = None
        self.client.headers.update({"Authorization": AUTH, **JSON})
        self.page = random.choice(PAGES)

    def composition(self):
        response = self.client.get(
            f"{self.base}/demo/{self.page}/@composition", name="editor: read"
        )
        return response.json(), response.headers.get("ETag")

    def write(self, operation, etag):
        with self.client.patch(
            f"{self.base}/demo/{self.page}/@composition",
            json={"operations": [operation]},
            headers={"If-Match": etag},
            name=f"editor: {operation['op']}",
            catch_response=True,
        ) as response:
            if response.status_code == 412:
                # Someone else changed the page: expected, read and retry.
                response.success()
                return None
            if not response.ok:
                return None
            # Counted apart: the operations that changed the page.
            self.environment.events.request.fire(
                request_type="OP",
                name="editor: accepted operation",
                response_time=response.elapsed.total_seconds() * 1000,
                response_length=0,
                exception=None,
                context={},
            )
            return response.json()

    @task
    def change(self):
        state, etag = self.composition()
        if not EDITOR_WRITES:
            # Read again where a write would go: as many requests, none writing.
            self.composition()
            return
        slot = next(iter(state["slots"]))
        mine = [w for w in state["slots"][slot] if w["id"] == self.widget]
        self.number += 1
        if not mine:
            operation = {
                "op": "add",
                "slot": slot,
                "widget_type": "heading",
                "settings": {"text": f"Load {id(self)} {self.number}", "level": 3},
                "index": 0,
            }
        else:
            operation = random.choice(
                [
                    {
                        "op": "update",
                        "id": self.widget,
                        "settings": {"text": f"Load {id(self)} {self.number}"},
                    },
                    {
                        "op": "move",
                        "id": self.widget,
                        "slot": slot,
                        "index": (state["slots"][slot].index(mine[0]) + 1)
                        % len(state["slots"][slot]),
                    },
                    {"op": "remove", "id": self.widget},
                ]
            )
        answer = self.write(operation, etag)
        if answer is None:
            return
        if operation["op"] == "add":
            texts = {w["settings"].get("text"): w["id"] for w in answer["slots"][slot]}
            self.widget = texts.get(operation["settings"]["text"])
        elif operation["op"] == "remove":
            self.widget = None

    def on_stop(self):
        # Leave the demo page as it was.
        if self.widget is not None:
            for _ in range(5):
                _, etag = self.composition()
                if self.write({"op": "remove", "id": self.widget}, etag) is not None:
                    break
