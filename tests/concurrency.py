"""Concurrent writers for the cluster tests, and the model that replays them.

Writers change one page through several instances at once, with every kind
of operation.  *Careful* writers use the REST API (``PATCH @composition``),
send the ETag they saw as If-Match and plan again on the state a 412 answers;
two of them passing the version check at once collide in the ZODB, and Zope's
publisher retries the loser (which then answers 412).  *Blind* writers run
inside the instances (tests/cluster_probe/blindwriter.py) and change the page
through the Python API without any version check, retrying their own
conflicts.  (Blind writers over REST, without If-Match, exhausted the
publisher's three retries on this hot page and answered 500: see
docs/operations.md.)

Every accepted operation is recorded with the version its answer names and
the composition it answered.  ``replay`` applies the records in version order
to a plain model of a composition and compares it, step by step, with what
the server answered, then with the final state read from every instance.
"""

import base64
import collections
import concurrent.futures
import copy
import dataclasses
import random
import requests
import threading
import time


AUTH = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
JSON = {"Accept": "application/json", "Content-Type": "application/json"}
LAYOUTS = {"one-column": ["main"], "two-columns": ["main", "aside"]}


def headers(**extra):
    return {**JSON, **AUTH, **extra}


@dataclasses.dataclass
class Record:
    """One answered request."""

    writer: str
    url: str
    operation: dict
    status: int
    version: int | None = None
    state: dict | None = None
    seen: int | None = None


def get_composition(session, page):
    response = session.get(f"{page}/@composition", headers=headers(), timeout=30)
    response.raise_for_status()
    return response.json()


def widgets(state):
    """All widgets of a composition as (slot or None, widget) pairs."""
    for slot, placed in state["slots"].items():
        for widget in placed:
            yield slot, widget
    for widget in state["unplaced"]:
        yield None, widget


class Writer:
    """A careful writer: one client thread writing one page through one
    instance's REST API, with If-Match."""

    def __init__(self, name, page, operations, seed, log, pause=0.2):
        self.pause = pause
        self.name = name
        self.page = page
        self.operations = operations
        self.random = random.Random(seed)
        self.log = log
        self.session = requests.Session()
        self.counter = 0
        # Kinds this writer has not had accepted yet: tried more often, so
        # that every kind is accepted in every run, rare ones included.
        self.missing = {"add", "update", "remove", "move", "undo", "redo", "set_layout"}

    def text(self):
        self.counter += 1
        return f"{self.name}-{self.counter}"

    def plan(self, state):
        """An operation that changes ``state`` (never a no-op: a no-op answers
        the version it saw, which another operation produced)."""
        present = [w for _, w in widgets(state)]
        placed = [(slot, w) for slot, w in widgets(state) if slot is not None]
        # Removes nearly balance adds, so the page stays a few dozen widgets.
        choices = ["add"] * 4 + ["update"] * 4 + ["remove"] * 3 + ["move"] * 4
        choices += ["undo", "redo", "set_layout"]
        kind = self.random.choice(choices)
        if self.missing and self.random.random() < 0.25:
            kind = self.random.choice(sorted(self.missing))
        # Redo is possible only right after an undo: take the chance.
        if state["can_redo"] and self.random.random() < 0.5:
            kind = "redo"
        if kind in ("update", "remove") and not present:
            kind = "add"
        if kind == "move" and len(placed) < 2:
            kind = "add"
        if kind == "undo" and not state["can_undo"]:
            kind = "add"
        if kind == "redo" and not state["can_redo"]:
            kind = "update" if present else "add"
        if kind == "add":
            slot = self.random.choice(list(state["slots"]))
            return {
                "op": "add",
                "slot": slot,
                "index": self.random.randint(0, len(state["slots"][slot])),
                "widget_type": "heading",
                "settings": {"text": self.text(), "level": self.random.choice([2, 3])},
            }
        if kind == "update":
            widget = self.random.choice(present)
            return {
                "op": "update",
                "id": widget["id"],
                "settings": {"text": self.text()},
            }
        if kind == "remove":
            return {"op": "remove", "id": self.random.choice(present)["id"]}
        if kind == "move":
            slot, widget = self.random.choice(placed)
            target = self.random.choice(list(state["slots"]))
            others = [w for w in state["slots"][target] if w["id"] != widget["id"]]
            here = state["slots"][slot].index(widget) if target == slot else None
            indexes = [i for i in range(len(others) + 1) if i != here]
            if not indexes:
                # Alone in its slot: elsewhere, or another change.
                return self.plan({**state, "can_redo": False})
            return {
                "op": "move",
                "id": widget["id"],
                "slot": target,
                "index": self.random.choice(indexes),
            }
        if kind == "set_layout":
            other = [name for name in LAYOUTS if name != state["layout"]]
            return {"op": "set_layout", "layout": other[0]}
        return {"op": kind}

    def run(self):
        state = get_composition(self.session, self.page)
        etag = f'"{state["version"]}"'
        for _ in range(self.operations):
            # A moment between changes, as people take.
            time.sleep(self.random.uniform(0, self.pause))
            operation = self.plan(state)
            response = self.session.patch(
                f"{self.page}/@composition",
                headers=headers(**{"If-Match": etag}),
                json={"operations": [operation]},
                timeout=60,
            )
            record = Record(
                self.name,
                self.page,
                operation,
                response.status_code,
                seen=state["version"],
            )
            self.log(record)
            if response.status_code == 200:
                state = response.json()
                record.version = state["version"]
                record.state = state
                self.missing.discard(operation["op"])
            elif response.status_code == 412:
                # Refused as stale: plan again on the state the answer brings.
                state = response.json()["composition"]
            else:
                state = get_composition(self.session, self.page)
            etag = f'"{state["version"]}"'


def blind_writer(name, page, operations, log, conflicts):
    """A writer inside the instance (tests/cluster_probe/blindwriter.py):
    the Python API without version checks, its conflicts retried there."""
    response = requests.post(
        f"{page}/@@cluster-blind-writer",
        headers=AUTH,
        data={"name": name, "count": operations},
        timeout=900,
    )
    response.raise_for_status()
    answer = response.json()
    conflicts.append(answer["conflicts"])
    for record in answer["records"]:
        if record.get("failed"):
            log(Record(name, page, {"op": "?"}, 500))
            continue
        log(
            Record(
                name,
                page,
                record["operation"],
                200,
                version=record["version"],
                state=record["state"],
            )
        )


def run_writers(pages, writers_per_page, operations, blind_per_page=1, seed=17):
    """Run careful writers (REST, If-Match) and blind ones (the Python API in
    the instance) on every URL of ``pages`` (one page, seen through several
    instances) at once; answer every record and the conflicts the blind
    writers retried."""
    records = []
    conflicts = []
    lock = threading.Lock()

    def log(record):
        with lock:
            records.append(record)

    jobs = []
    for index, page in enumerate(pages):
        for number in range(writers_per_page):
            if number < blind_per_page:
                name = f"i{index}b{number}"
                jobs.append((blind_writer, name, page, operations, log, conflicts))
            else:
                name = f"i{index}c{number}"
                writer = Writer(name, page, operations, seed * 1000 + len(jobs), log)
                jobs.append((writer.run,))
    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(*job) for job in jobs]
        for future in futures:
            future.result()
    return records, sum(conflicts)


class Model:
    """A composition as plain lists: the reference the server must match.

    Positions are resolved when an operation is first applied, so undo and
    redo (which always meet the state the operation left or found) put
    widgets back exactly where they were.
    """

    def __init__(self, state):
        self.layout = state["layout"]
        self.slots = collections.defaultdict(list)
        self.widgets = {}
        for slot, widget in widgets(state):
            name = slot if slot is not None else widget["slot"]
            self.slots[name].append(widget["id"])
            self.widgets[widget["id"]] = {
                "widget_type": widget["widget_type"],
                "settings": copy.deepcopy(widget["settings"]),
            }
        self.undo = []
        self.redo = []

    def _where(self, placement_id):
        for slot, ids in self.slots.items():
            if placement_id in ids:
                return slot, ids.index(placement_id)
        raise AssertionError(f"the model has no widget {placement_id}")

    def _do(self, step):
        """Apply a resolved step; answer the step that takes it back."""
        kind = step[0]
        if kind == "insert":
            _, placement_id, slot, index, data = step
            self.slots[slot].insert(index, placement_id)
            self.widgets[placement_id] = copy.deepcopy(data)
            return ("delete", placement_id)
        if kind == "delete":
            placement_id = step[1]
            slot, index = self._where(placement_id)
            self.slots[slot].pop(index)
            data = self.widgets.pop(placement_id)
            return ("insert", placement_id, slot, index, data)
        if kind == "place":
            _, placement_id, slot, index = step
            old_slot, old_index = self._where(placement_id)
            self.slots[old_slot].pop(old_index)
            self.slots[slot].insert(index, placement_id)
            return ("place", placement_id, old_slot, old_index)
        if kind == "settings":
            _, placement_id, settings = step
            old = self.widgets[placement_id]["settings"]
            self.widgets[placement_id]["settings"] = copy.deepcopy(settings)
            return ("settings", placement_id, old)
        if kind == "layout":
            old = self.layout
            self.layout = step[1]
            return ("layout", old)
        raise AssertionError(step)

    def apply(self, operation, answer):
        kind = operation["op"]
        if kind == "undo":
            forward, inverse = self.undo.pop()
            self._do(inverse)
            self.redo.append((forward, inverse))
            return
        if kind == "redo":
            forward, inverse = self.redo.pop()
            self._do(forward)
            self.undo.append((forward, inverse))
            return
        if kind == "add":
            new = [
                w
                for _, w in widgets(answer)
                if w["settings"].get("text") == operation["settings"]["text"]
            ]
            assert len(new) == 1, f"the added widget is not once in {answer}"
            slot = operation["slot"]
            index = operation.get("index", len(self.slots[slot]))
            data = {
                "widget_type": operation["widget_type"],
                "settings": dict(operation["settings"]),
            }
            step = ("insert", new[0]["id"], slot, index, data)
        elif kind == "remove":
            step = ("delete", operation["id"])
        elif kind == "move":
            step = ("place", operation["id"], operation["slot"], operation["index"])
        elif kind == "update":
            settings = {
                **self.widgets[operation["id"]]["settings"],
                **operation["settings"],
            }
            step = ("settings", operation["id"], settings)
        elif kind == "set_layout":
            step = ("layout", operation["layout"])
        else:
            raise AssertionError(operation)
        inverse = self._do(step)
        self.undo.append((step, inverse))
        self.redo = []

    def view(self):
        """The model as the REST API answers a composition (without the
        version and the undo flags: history is cut on the server, not here)."""
        shown = LAYOUTS[self.layout]

        def widget(placement_id, slot=None):
            data = {"id": placement_id, **copy.deepcopy(self.widgets[placement_id])}
            if slot is not None:
                data["slot"] = slot
            return data

        return {
            "layout": self.layout,
            "slots": {slot: [widget(i) for i in self.slots[slot]] for slot in shown},
            "unplaced": [
                widget(i, slot)
                for slot in sorted(self.slots)
                if slot not in shown
                for i in self.slots[slot]
            ],
        }


def comparable(state):
    return {
        "layout": state["layout"],
        "slots": state["slots"],
        "unplaced": state["unplaced"],
    }


def replay(start, records, finals):
    """Check the accepted records against the model; answer a summary.

    ``start`` is the composition before the writers began, ``finals`` the
    compositions read back from every instance afterwards.
    """
    accepted = sorted((r for r in records if r.status == 200), key=lambda r: r.version)
    versions = [r.version for r in accepted]
    duplicate_versions = [v for v, n in collections.Counter(versions).items() if n > 1]
    assert not duplicate_versions, "versions accepted twice: " + "; ".join(
        f"{r.version}: {r.writer} {r.operation} (saw {r.seen})"
        for r in accepted
        if r.version in duplicate_versions
    )
    expected = list(range(start["version"] + 1, start["version"] + 1 + len(accepted)))
    assert versions == expected, "the accepted versions have gaps"
    model = Model(start)
    for record in accepted:
        model.apply(record.operation, record.state)
        assert model.view() == comparable(record.state), (
            f"version {record.version} ({record.operation}) differs from the replay"
        )
    final_ids = collections.Counter()
    for final in finals:
        assert final["version"] == (versions[-1] if versions else start["version"])
        assert comparable(final) == model.view()
        final_ids = collections.Counter(w["id"] for _, w in widgets(final))
    lost = set(model.widgets) - set(final_ids)
    duplicated = sum(n - 1 for n in final_ids.values() if n > 1)
    return {
        "accepted": len(accepted),
        "lost": len(lost),
        "duplicated": duplicated,
        "widgets": len(model.widgets),
    }


def summary(records):
    statuses = collections.Counter(r.status for r in records)
    kinds = collections.Counter(r.operation["op"] for r in records if r.status == 200)
    return statuses, kinds


class Drill:
    """Writers that only add, for the fault drills: every add has a text of
    its own, so what was answered 2xx can be found afterwards.  They send
    If-Match (a 412 is retried on the state it brings), so only the faults
    make requests fail."""

    def __init__(self, pages):
        self.pages = pages
        self.stop = threading.Event()
        self.answers = []
        self.lock = threading.Lock()

    def writer(self, name, page):
        session = requests.Session()
        number = 0
        etag = None
        while not self.stop.is_set():
            number += 1
            text = f"{name}-{number}"
            started = time.monotonic()
            try:
                if etag is None:
                    etag = f'"{get_composition(session, page)["version"]}"'
                response = session.patch(
                    f"{page}/@composition",
                    headers=headers(**{"If-Match": etag}),
                    json={
                        "operations": [
                            {
                                "op": "add",
                                "slot": "main",
                                "widget_type": "heading",
                                "settings": {"text": text, "level": 2},
                            }
                        ]
                    },
                    timeout=30,
                )
                status = response.status_code
                if status == 200:
                    version = response.json()["version"]
                    etag = f'"{version}"'
                elif status == 412:
                    version = None
                    etag = f'"{response.json()["composition"]["version"]}"'
                else:
                    version = etag = None
            except requests.RequestException as error:
                status, version, etag = type(error).__name__, None, None
                time.sleep(0.2)
            with self.lock:
                self.answers.append(
                    (text, page, status, version, started, time.monotonic())
                )

    def start(self, writers_per_page=2):
        self.threads = [
            threading.Thread(target=self.writer, args=(f"d{i}w{n}", page))
            for i, page in enumerate(self.pages)
            for n in range(writers_per_page)
        ]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        return self.answers
