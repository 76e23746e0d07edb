"""cProfile of design mode's moves against no-ops, through the real Zope WSGI
application (run by ``zconsole run`` on a copy of the benchmark database).

Writes, first, the floor of a change in parts: a no-op PATCH, the same with
the page's modification date, and with ``reindexObject(idxs=["modified"])``
too (the floor; see benchfloor.py), timed side by side with moves; then
where the time of a move goes beyond the floor (the functions whose
cumulative time per request differs most); then the move's own profile.
"""

from ZPublisher.WSGIPublisher import publish_module

import base64
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import time


ROUNDS = 20
FLOOR_ROUNDS = 100
FLOOR = "... + reindexObject(idxs=['modified']) (the floor)"
USER = os.environ["BENCH_PROFILE_USER"]
AUTHORIZATION = "Basic " + base64.b64encode(USER.encode()).decode()


def request(method, path, body=b"", if_match=None):
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
        "CONTENT_TYPE": "application/json",
        "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": AUTHORIZATION,
    }
    if if_match is not None:
        environ["HTTP_IF_MATCH"] = f'"{if_match}"'
    status = []
    body = b"".join(publish_module(environ, lambda s, h, e=None: status.append(s)))
    return status[0], body


def per_request(profile):
    return {
        key: value[3] / ROUNDS for key, value in pstats.Stats(profile).stats.items()
    }


def floor(ids, move):
    """Medians of moves, no-ops, and no-ops that also do part of what any
    change of the page does (benchfloor.py), interleaved round by round.
    Returns ``[(label, median ms)]``, the plain no-op first."""
    extents = [
        ("no-op PATCH", "@composition"),
        ("... + the page's modification date", "@bench-floor?extent=date&"),
        (FLOOR, "@bench-floor"),
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
        for label, endpoint in extents[turn:] + extents[:turn]:
            start = time.perf_counter()
            move(ids[0], endpoint)
            took[label] = time.perf_counter() - start
        if rep >= 10:
            for label, seconds in took.items():
                times[label].append(seconds * 1000)
    return [(label, statistics.median(values)) for label, values in times.items()]


def main():
    path = os.environ["BENCH_PROFILE_PATH"]
    answer = json.loads(request("GET", f"{path}/@composition?expand=design")[1])
    state = answer["@components"]["design"]
    ids = re.findall(r"data-placement-id=[\"']([0-9a-f]{32})", state["html"])
    version = state["version"]

    def move(placement_id, endpoint="@composition"):
        nonlocal version
        operation = {"op": "move", "id": placement_id, "slot": "main", "index": 0}
        body = json.dumps({"operations": [operation]}).encode()
        separator = "" if endpoint.endswith("&") else "?"
        status, answer = request(
            "PATCH", f"{path}/{endpoint}{separator}expand=design", body, version
        )
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status} {answer[:200]}")
        version = json.loads(answer)["version"]

    floors = floor(ids, move)
    medians = dict(floors)
    least = medians[FLOOR]

    moves, noops = cProfile.Profile(), cProfile.Profile()
    move_ms, floor_ms = [], []
    for rep in range(ROUNDS + 5):
        measured = rep >= 5
        ids.insert(0, ids.pop())
        for profile, endpoint, samples in (
            (moves, "@composition", move_ms),
            (noops, "@bench-floor", floor_ms),
        ):
            start = time.perf_counter()
            if measured:
                profile.enable()
            move(ids[0], endpoint)
            if measured:
                profile.disable()
            samples.append((time.perf_counter() - start) * 1000)
    out = io.StringIO()
    out.write(
        f"{path}, in this process, medians of {FLOOR_ROUNDS} rounds, interleaved "
        f"(ms, and ratio to the floor): a move takes {medians['move'] / least:.2f} x "
        f"the floor of a change, {medians['move'] - least:.2f} ms beyond it.\n\n"
    )
    for label, median in floors:
        out.write(f"  {label:56s} {median:6.2f}  {median / least:.2f}\n")
    out.write("\n")
    out.write(
        f"{path}: {ROUNDS} moves and {ROUNDS} floors in this process; medians "
        f"with the profiler on: move {statistics.median(move_ms):.1f} ms, "
        f"floor {statistics.median(floor_ms):.1f} ms\n\n"
        "Where a move's time goes beyond the floor (cumulative ms per request: "
        "difference, move, floor):\n\n"
    )
    move_times, floor_times = per_request(moves), per_request(noops)
    keys = sorted(
        set(move_times) | set(floor_times),
        key=lambda key: floor_times.get(key, 0) - move_times.get(key, 0),
    )
    for key in keys[:40]:
        a, b = move_times.get(key, 0) * 1000, floor_times.get(key, 0) * 1000
        out.write(f"{a - b:8.2f} {a:8.2f} {b:8.2f}  {key[0]}:{key[1]}({key[2]})\n")
    out.write("\nThe moves:\n\n")
    pstats.Stats(moves, stream=out).sort_stats("cumulative").print_stats(30)
    with open(os.environ["BENCH_PROFILE_OUT"], "w") as target:
        target.write(out.getvalue())


main()
