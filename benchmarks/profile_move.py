"""cProfile of editor moves against no-op POSTs, through the real Zope WSGI
application (run by ``zconsole run`` on a copy of the benchmark database).

Writes, first, the floor of a change in parts: what a no-op costs when it
also does part of the least any change of a page must do (set the page's
modification date, update its date index and date metadata columns; see
benchfloor.py), timed side by side with moves and plain no-ops; then where the time of a move goes beyond a no-op (the functions
whose cumulative time per request differs most); then moves and no-ops timed
without the profiler, with the catalog update (Plone's, which the target
includes) left out in part or whole, to show its share; then the move's own
profile.
"""

from ZPublisher.WSGIPublisher import publish_module

import base64
import benchfloor
import cProfile
import importlib
import io
import json
import os
import pstats
import re
import statistics
import time


ROUNDS = 20
SPLIT_ROUNDS = 40
FLOOR_ROUNDS = 100
FLOOR = "... + its date metadata columns (the floor)"
USER = os.environ["BENCH_PROFILE_USER"]
AUTHORIZATION = "Basic " + base64.b64encode(USER.encode()).decode()


def request(method, path, body=b"", token=None):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": AUTHORIZATION,
    }
    if token:
        environ["CONTENT_TYPE"] = "application/json; charset=utf-8"
        environ["HTTP_X_CSRF_TOKEN"] = token
    status = []
    body = b"".join(publish_module(environ, lambda s, h, e=None: status.append(s)))
    return status[0], body


def per_request(profile):
    return {
        key: value[3] / ROUNDS for key, value in pstats.Stats(profile).stats.items()
    }


def floor(ids, move):
    """Medians of moves, no-ops, and no-ops that also do part of what any
    change of the page must do (benchfloor.py), interleaved round by round.
    Returns ``[(label, median ms)]``, the plain no-op first."""
    extents = [
        ("no-op POST", None),
        ("... + the page's modification date", "date"),
        ("... + its date index", "index"),
        (FLOOR, "floor"),
        ("no-op + date + date index and every metadata column", "every-column"),
    ]
    times = {label: [] for label, _ in extents}
    times["move"] = []
    for rep in range(FLOOR_ROUNDS + 10):
        ids.insert(0, ids.pop())
        start = time.perf_counter()
        move(ids[0])
        took = {"move": time.perf_counter() - start}
        # The no-ops follow the move in turn, so none always comes first.
        turn = rep % len(extents)
        for label, extent in extents[turn:] + extents[:turn]:
            view = f"bench-floor-write?extent={extent}" if extent else "design-write"
            start = time.perf_counter()
            move(ids[0], view)
            took[label] = time.perf_counter() - start
        if rep >= 10:
            for label, seconds in took.items():
                times[label].append(seconds * 1000)
    return [(label, statistics.median(values)) for label, values in times.items()]


def main():
    path = os.environ["BENCH_PROFILE_PATH"]
    _, html = request("GET", f"{path}/@@design")
    token = re.search(rb'data-token="([^"]+)"', html).group(1).decode()
    state = json.loads(request("GET", f"{path}/@@design-state")[1])
    ids = re.findall(r"data-placement-id=[\"']([0-9a-f]{32})", state["html"])
    version = state["version"]

    def move(placement_id, view="design-write"):
        nonlocal version
        body = json.dumps(
            {
                "op": "move",
                "id": placement_id,
                "slot": "main",
                "index": 0,
                "version": version,
            }
        ).encode()
        status, answer = request("POST", f"{path}/@@{view}", body, token)
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status} {answer[:200]}")
        version = json.loads(answer)["version"]

    floors = floor(ids, move)

    moves, noops = cProfile.Profile(), cProfile.Profile()
    move_ms, noop_ms = [], []
    for rep in range(ROUNDS + 5):
        measured = rep >= 5
        ids.insert(0, ids.pop())
        start = time.perf_counter()
        if measured:
            moves.enable()
        move(ids[0])
        if measured:
            moves.disable()
        move_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        if measured:
            noops.enable()
        move(ids[0])
        if measured:
            noops.disable()
        noop_ms.append((time.perf_counter() - start) * 1000)
    out = io.StringIO()
    noop, medians = floors[0][1], dict(floors)
    out.write(
        f"{path}, in this process, medians of {FLOOR_ROUNDS} rounds, interleaved "
        f"(ms, and ratio to the no-op): the least any change of the page writes "
        f"already takes {medians[FLOOR] / noop:.2f} x a no-op; a move takes "
        f"{medians['move'] / noop:.2f} x, {medians['move'] - medians[FLOOR]:.2f} ms "
        "beyond that floor.\n\n"
    )
    for label, median in floors:
        out.write(f"  {label:56s} {median:6.2f}  {median / noop:.2f}\n")
    out.write("\n")
    out.write(
        f"{path}: {ROUNDS} moves and {ROUNDS} no-ops in this process; medians "
        f"with the profiler on: move {statistics.median(move_ms):.1f} ms, "
        f"no-op {statistics.median(noop_ms):.1f} ms\n\n"
        "Where a move's time goes beyond a no-op (cumulative ms per request: "
        "difference, move, no-op):\n\n"
    )
    move_times, noop_times = per_request(moves), per_request(noops)
    keys = sorted(
        set(move_times) | set(noop_times),
        key=lambda key: noop_times.get(key, 0) - move_times.get(key, 0),
    )
    for key in keys[:40]:
        a, b = move_times.get(key, 0) * 1000, noop_times.get(key, 0) * 1000
        out.write(f"{a - b:8.2f} {a:8.2f} {b:8.2f}  {key[0]}:{key[1]}({key[2]})\n")
    out.write(
        "\nWithout the profiler, with parts of the catalog update (and the disk "
        "flush) left out "
        f"(medians of {SPLIT_ROUNDS} moves and no-ops each; a measurement, "
        "never what the product does):\n\n"
    )
    from compositepage import api

    as_is = api._reindex
    storage = importlib.import_module("ZODB.FileStorage.FileStorage")
    fsync = storage.fsync

    def no_catalog(obj, op, inverse):
        pass

    variants = (
        ("as is", as_is, fsync),
        (
            "without the metadata columns",
            lambda obj, op, inverse: benchfloor.date_index(obj),
            fsync,
        ),
        ("without any catalog update", no_catalog, fsync),
        ("... and without FileStorage's fsync", no_catalog, None),
    )
    try:
        for name, reindex, flush in variants:
            api._reindex = reindex
            storage.fsync = flush
            timed_moves, timed_noops = [], []
            for rep in range(SPLIT_ROUNDS + 5):
                ids.insert(0, ids.pop())
                start = time.perf_counter()
                move(ids[0])
                moved = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                move(ids[0])
                if rep >= 5:
                    timed_moves.append(moved)
                    timed_noops.append((time.perf_counter() - start) * 1000)
            a, b = statistics.median(timed_moves), statistics.median(timed_noops)
            out.write(
                f"  {name:30s} move {a:6.2f} ms  no-op {b:6.2f} ms  ratio {a / b:.2f}\n"
            )
    finally:
        api._reindex = as_is
        storage.fsync = fsync
    out.write("\nThe moves:\n\n")
    pstats.Stats(moves, stream=out).sort_stats("cumulative").print_stats(30)
    with open(os.environ["BENCH_PROFILE_OUT"], "w") as target:
        target.write(out.getvalue())


main()
