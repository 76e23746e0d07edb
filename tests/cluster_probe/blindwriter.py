"""Loaded only into the cluster tests' throw-away instances: a writer that
changes a page through the Python API (``compositepage.api``) without any
version check, inside the instance, committing each operation itself.

Its transactions collide with those of the other writers in the ZODB; it
retries a ConflictError as Zope's publisher does, but as often as it takes,
so the test provokes many conflicts without exhausting the publisher's three
retries.  It answers every committed operation with the version it made and
the composition it left, for the replay (tests/concurrency.py).
"""

from compositepage import api as cp
from Products.Five import BrowserView
from ZODB.POSException import ConflictError

import json
import random
import time
import transaction


ATTEMPTS = 50


def plan(rng, state, text):
    present = [w for ws in state["slots"].values() for w in ws] + state["unplaced"]
    kind = rng.choice(["add"] * 4 + ["update"] * 4 + ["remove"] * 3 + ["undo", "redo"])
    # Redo is possible only right after an undo: take the chance.
    if state["can_redo"] and rng.random() < 0.5:
        kind = "redo"
    if kind in ("update", "remove") and not present:
        kind = "add"
    if kind == "undo" and not state["can_undo"]:
        kind = "add"
    if kind == "redo" and not state["can_redo"]:
        kind = "add"
    if kind == "add":
        settings = {"text": text, "level": rng.choice([2, 3])}
        return {
            "op": "add",
            "slot": "main",
            "widget_type": "heading",
            "settings": settings,
        }
    if kind == "update":
        return {
            "op": "update",
            "id": rng.choice(present)["id"],
            "settings": {"text": text},
        }
    if kind == "remove":
        return {"op": "remove", "id": rng.choice(present)["id"]}
    return {"op": kind}


def apply(page, operation):
    kind = operation["op"]
    if kind == "add":
        cp.add_widget(page, "main", "heading", operation["settings"])
    elif kind == "update":
        cp.update_widget(page, operation["id"], operation["settings"])
    elif kind == "remove":
        cp.remove_widget(page, operation["id"])
    elif kind == "undo":
        cp.undo(page)
    else:
        cp.redo(page)


class BlindWriter(BrowserView):
    def __call__(self):
        name = self.request.form["name"]
        count = int(self.request.form["count"])
        pause = float(self.request.form.get("pause", "0.4"))
        rng = random.Random(self.request.form.get("seed", name))
        page = self.context
        records = []
        conflicts = 0
        # The publisher's transaction has written nothing; each operation
        # below is a transaction of its own.
        transaction.commit()
        for number in range(1, count + 1):
            time.sleep(rng.uniform(0, pause))
            for _ in range(ATTEMPTS):
                transaction.begin()
                try:
                    operation = plan(rng, cp.get_composition(page), f"{name}-{number}")
                    apply(page, operation)
                    state = cp.get_composition(page)
                    transaction.commit()
                except ConflictError:
                    transaction.abort()
                    conflicts += 1
                    time.sleep(rng.uniform(0, 0.1))
                    continue
                records.append(
                    {
                        "operation": operation,
                        "version": state["version"],
                        "state": state,
                    }
                )
                break
            else:
                transaction.abort()
                records.append({"operation": None, "failed": True})
        transaction.begin()
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps({"records": records, "conflicts": conflicts})
