"""compositepage benchmarks: ``make bench`` (``QUICK=1`` for a short run).

Builds (once) an environment with the project's lock of the chosen Plone
(``PLONE=6.1`` for the other) plus the plone.app.mosaic release made for it,
a throw-away instance and site (benchmarks/.work/<Plone version>), serves it with runwsgi on
loopback, and measures from this separate process over keep-alive HTTP:

- render: plain Document / composite page / Mosaic page with the same N
  paragraphs, anonymous and as an editor, real view and design view; URLs are
  interleaved round by round so machine drift hits every system alike;
- operations: one move through the editor's JSON endpoint on pages of 5, 50
  and 500 widgets (100 times, each followed by a no-op POST to the same
  endpoint: medians of both), and the bytes it appends to Data.fs.

Writes benchmarks/results/latest.json, latest.md and latest.png (on Plone
6.1: benchmarks/results/plone-6.1/) and prints the table.  Targets are checked and reported, never asserted.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version
from pathlib import Path

import argparse
import base64
import datetime
import http.client
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time


HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))

from processes import interruptible  # noqa: E402
from processes import stop  # noqa: E402


# The packages latest.md names, by their distribution names.
VERSIONS = ("Plone", "Products.CMFPlone", "Zope", "plone.restapi", "plone.app.mosaic")
PLONE = ".".join(version("Products.CMFPlone").split(".")[:2])
DEFAULT_PLONE = "6.2"
# Each Plone version builds its own site (never the other's Data.fs).
WORK = HERE / ".work" / PLONE
RESULTS = HERE / "results"
if PLONE != DEFAULT_PLONE:
    RESULTS = RESULTS / f"plone-{PLONE}"
EDITOR = ("editor", "bench-editor")
# What latest.json says of an operation (the report says more).
OPERATION_KEYS = (
    "n",
    "median_ms",
    "noop_median_ms",
    "floor_median_ms",
    "composition_bytes",
    "transaction_bytes",
)
MARKER = re.compile(rb"BENCHMARK-(\d+)-")
# Views measured through the site's Diazo theme (Barceloneta), beside the
# unthemed "real" and "design" rows.
THEMED = "real-themed"
DESIGN_THEMED = "design-themed"
# Only the theme's own page (index.html) links this icon: a page the theme
# skips (a <notheme> rule) has Plone's links to ++theme++barceloneta too.
THEME_MARK = b"barceloneta-apple-touch-icon-144x144-precomposed"
EDITOR_ASSETS = re.compile(rb"\+\+plone\+\+compositepage|compositepage-editor")


class Client:
    """One keep-alive HTTP/1.1 connection, as a user."""

    def __init__(self, port, user=None):
        self.port = port
        self.headers = {"Accept": "text/html", "Accept-Encoding": "identity"}
        if user:
            token = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None, headers=None):
        all_headers = {**self.headers, **(headers or {})}
        for attempt in (1, 2):
            try:
                start = time.perf_counter()
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data, (time.perf_counter() - start) * 1000
            except (http.client.HTTPException, ConnectionError):
                if attempt == 2:
                    raise
                self.connection.close()
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=600
                )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# Environment, instance, content and server ------------------------------------


def run(command, **kw):
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, **kw)


def prepare(args, port):
    bin_dir = Path(sys.executable).parent
    instance = WORK / "instance"
    run(
        [
            sys.executable,
            ROOT / "scripts" / "instance.py",
            instance,
            "--host",
            "127.0.0.1",
            "--port",
            port,
        ]
    )
    # The bench-only endpoint that times the floor of a change (importable
    # through PYTHONPATH, see main), read after Plone's configuration: it
    # uses compositepage's permission.
    includes = instance / "etc" / "package-includes"
    includes.mkdir(exist_ok=True)
    (includes / "benchfloor-overrides.zcml").write_text(
        (HERE / "benchfloor.zcml").read_text()
    )
    env = {
        **os.environ,
        "BENCH_SETUP_JSON": str(WORK / "setup.json"),
        "BENCH_NS": ",".join(map(str, args.ns)),
        "BENCH_MOSAIC_NS": ",".join(map(str, args.mosaic_ns)),
        "BENCH_MIXED_NS": ",".join(map(str, args.mixed_ns)),
        "BENCH_OPERATION_NS": ",".join(map(str, args.operation_ns)),
        "BENCH_MOSAIC": "1" if args.mosaic else "0",
    }
    run(
        [
            bin_dir / "zconsole",
            "run",
            instance / "etc" / "zope.conf",
            HERE / "setup_content.py",
        ],
        env=env,
    )
    return instance


def start_server(instance, port):
    bin_dir = Path(sys.executable).parent
    log = open(instance / "var" / "log" / "bench-server.log", "w")
    server = subprocess.Popen(
        [bin_dir / "runwsgi", instance / "etc" / "zope.ini"],
        stdout=log,
        stderr=subprocess.STDOUT,
        # Started from a background job, this process ignores Ctrl-C and its
        # children would inherit that: the server must stop on SIGINT.
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            status, _, _ = Client(port).request("GET", "/Plone")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("The benchmark server did not start; see " + log.name)


def peak_rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


# Render -----------------------------------------------------------------------


def render_plan(args):
    plan = []
    for user in ("anonymous", "editor"):
        for n in args.ns:
            if n in args.plain_ns:
                plan.append(("plain", n, "real", user, f"/Plone/plain-{n}", n))
            plan.append(("compositepage", n, "real", user, f"/Plone/composite-{n}", n))
            if args.mosaic and n in args.mosaic_ns:
                plan.append(("mosaic", n, "real", user, f"/Plone/mosaic-{n}", n))
        for n in args.mixed_ns:
            plan.append(
                ("compositepage-mixed", n, "real", user, f"/Plone/mixed-{n}", None)
            )
        # 10 columns widgets of 3 rich texts, beside the same 30 texts flat.
        for system in ("nested", "flat"):
            plan.append(
                (f"compositepage-{system}", 30, "real", user, f"/Plone/{system}-30", 30)
            )
    for system in ("nested", "flat"):
        plan.append(
            (
                f"compositepage-{system}",
                30,
                "design",
                "editor",
                f"/Plone/{system}-30/@@design",
                None,
            )
        )
    for n in args.ns:
        plan.append(
            (
                "compositepage",
                n,
                "design",
                "editor",
                f"/Plone/composite-{n}/@@design",
                None,
            )
        )
    for n in args.mixed_ns:
        plan.append(
            (
                "compositepage-mixed",
                n,
                "design",
                "editor",
                f"/Plone/mixed-{n}/@@design",
                None,
            )
        )
    # The same pages through the site's Diazo theme, as visitors get them:
    # Plone themes requests to "localhost", not to "127.0.0.1".
    for user in ("anonymous", "editor"):
        for n in args.ns:
            if n in args.plain_ns:
                plan.append(("plain", n, THEMED, user, f"/Plone/plain-{n}", n))
            plan.append(("compositepage", n, THEMED, user, f"/Plone/composite-{n}", n))
    for n in args.ns:
        plan.append(
            (
                "compositepage",
                n,
                DESIGN_THEMED,
                "editor",
                f"/Plone/composite-{n}/@@design",
                None,
            )
        )
    return plan


def themed(view):
    return view in (THEMED, DESIGN_THEMED)


def check_page(entry, status, body):
    system, n, view, user, path, markers = entry
    if status != 200:
        raise SystemExit(f"{path} as {user}: HTTP {status}")
    if themed(view) != (THEME_MARK in body):
        raise SystemExit(
            f"{path} as {user}: the page is {'not ' if themed(view) else ''}"
            "themed, unlike what its row measures"
        )
    if markers is not None and len(set(MARKER.findall(body))) != markers:
        raise SystemExit(
            f"{path}: {len(set(MARKER.findall(body)))} of {markers} paragraphs"
        )
    if view in ("design", DESIGN_THEMED) and body.count(b"data-placement-id=") < (
        n if system == "compositepage" else 1
    ):
        raise SystemExit(f"{path}: the design view lacks its blocks")


def measure_render(port, plan, args):
    clients = {"anonymous": Client(port), "editor": Client(port, EDITOR)}
    # Plone serves 127.0.0.1 without its theme and "localhost" with it.
    theme_host = {"Host": f"localhost:{port}"}

    def fetch(entry):
        headers = theme_host if themed(entry[2]) else None
        return clients[entry[3]].request("GET", entry[4], headers=headers)

    samples = {index: [] for index in range(len(plan))}
    sizes = {}
    quotas = {}
    print(f"warming up {len(plan)} pages ...", flush=True)
    for index, entry in enumerate(plan):
        times = []
        for _ in range(args.warmup):
            status, body, ms = fetch(entry)
            check_page(entry, status, body)
            times.append(ms)
        sizes[index] = len(body)
        median = statistics.median(times)
        # Slow pages get fewer requests, so the whole run stays in its budget.
        quotas[index] = max(
            args.min_requests, min(args.requests, int(args.budget * 1000 / median))
        )
        if (
            entry[0] == "compositepage"
            and entry[2] in ("real", THEMED)
            and entry[3] == "anonymous"
        ):
            if EDITOR_ASSETS.search(body):
                raise SystemExit(f"{entry[4]}: visitors get editor assets")
    round_number = 0
    while any(len(samples[i]) < quotas[i] for i in samples):
        round_number += 1
        for index, entry in enumerate(plan):
            if len(samples[index]) < quotas[index]:
                status, body, ms = fetch(entry)
                if status != 200:
                    raise SystemExit(f"{entry[4]}: HTTP {status}")
                samples[index].append(ms)
        if round_number % 20 == 0:
            done = sum(min(len(samples[i]), quotas[i]) for i in samples)
            print(
                f"  round {round_number}: {done} of {sum(quotas.values())} requests",
                flush=True,
            )
    rows = []
    for index, entry in enumerate(plan):
        system, n, view, user = entry[:4]
        rows.append(
            {
                "system": system,
                "n": n,
                "view": view,
                "user": user,
                "median_ms": round(statistics.median(samples[index]), 2),
                "p95_ms": round(percentile(samples[index], 0.95), 2),
                "bytes": sizes[index],
                "requests": len(samples[index]),
            }
        )
    return rows


# Operations -------------------------------------------------------------------


def transaction_records(datafs, position):
    """{class: bytes} of the records of the transaction at ``position``."""
    from ZODB.FileStorage import FileIterator
    from ZODB.utils import get_pickle_metadata

    sizes = {}
    iterator = FileIterator(str(datafs), pos=position)
    try:
        for transaction in iterator:
            for record in transaction:
                if record.data:
                    name = ".".join(get_pickle_metadata(record.data))
                    sizes[name] = sizes.get(name, 0) + len(record.data)
            break
    finally:
        iterator.close()
    return sizes


def measure_operations(port, instance, args):
    datafs = instance / "var" / "filestorage" / "Data.fs"
    editor = Client(port, EDITOR)
    rows = []
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    for n in args.operation_ns:
        path = f"/Plone/move-{n}"
        status, answer, _ = editor.request(
            "GET", f"{path}/@composition?expand=design", headers=headers
        )
        state = json.loads(answer)["@components"]["design"]
        version = state["version"]
        ids = re.findall(r"data-placement-id=[\"']([0-9a-f]{32})", state["html"])
        times, noops, floors, transaction_bytes, composition_bytes = (
            [],
            [],
            [],
            [],
            [],
        )

        def patch(endpoint, placement_id, seen, path=path):
            # One move as design mode sends it (PATCH, If-Match, the floor
            # plan's state with the answer).
            body = json.dumps(
                {
                    "operations": [
                        {"op": "move", "id": placement_id, "slot": "main", "index": 0}
                    ]
                }
            )
            return editor.request(
                "PATCH",
                f"{path}/{endpoint}?expand=design",
                body,
                {**headers, "If-Match": f'"{seen}"'},
            )

        for rep in range(args.operations):
            # A real move: the last widget to the top (a new place every time).
            moved = ids.pop()
            ids.insert(0, moved)
            before = datafs.stat().st_size
            status, answer, ms = patch("@composition", moved, version)
            if status != 200:
                raise SystemExit(f"move on {path}: HTTP {status} {answer[:200]}")
            version = json.loads(answer)["version"]
            after = datafs.stat().st_size
            if rep >= 2:  # the first ones warm caches up
                times.append(ms)
                transaction_bytes.append(after - before)
                records = transaction_records(datafs, before)
                composition_bytes.append(
                    sum(
                        size
                        for name, size in records.items()
                        if name.startswith("compositepage.")
                    )
                )
            # A no-op through the same endpoint (the top widget to the top),
            # and the floor of a change: the same no-op, then the modification
            # date and reindexObject(idxs=["modified"]) (benchfloor.py).  The
            # two take turns coming first.
            after_move = [
                ("no-op", "@composition", noops),
                ("floor", "@bench-floor", floors),
            ]
            for what, endpoint, samples in after_move[:: 1 if rep % 2 else -1]:
                status, answer, ms = patch(endpoint, ids[0], version)
                if status != 200 or json.loads(answer)["version"] != version:
                    raise SystemExit(f"{what} on {path}: HTTP {status} {answer[:200]}")
                if rep >= 2:
                    samples.append(ms)
        rows.append(
            {
                "n": n,
                "median_ms": round(statistics.median(times), 2),
                "noop_median_ms": round(statistics.median(noops), 2),
                "floor_median_ms": round(statistics.median(floors), 2),
                # The last move's records, by class (the report only).
                "records": records,
                "composition_bytes": int(statistics.median(composition_bytes)),
                "transaction_bytes": int(statistics.median(transaction_bytes)),
            }
        )
        print(f"  moves on {n} widgets: {rows[-1]}", flush=True)
    return rows


# Report -----------------------------------------------------------------------


def machine():
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = int(meminfo.read_text().split()[1]) * 1024
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {name: _version(name) for name in VERSIONS},
    }


def _version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def find(rows, system, n, view="real", user="anonymous"):
    for row in rows:
        if (row["system"], row["n"], row["view"], row["user"]) == (
            system,
            n,
            view,
            user,
        ):
            return row["median_ms"]
    return None


def slope(points):
    """Least-squares ms per widget over (n, ms) points."""
    if len(points) < 2:
        return None
    mean_n = statistics.fmean(n for n, _ in points)
    mean_ms = statistics.fmean(ms for _, ms in points)
    denominator = sum((n - mean_n) ** 2 for n, _ in points)
    return sum((n - mean_n) * (ms - mean_ms) for n, ms in points) / denominator


def targets(rows, operations):
    """(target, measured, met) for each target of the benchmark issue."""
    checks = []
    for n, most in ((10, 1.15), (50, 1.3), (200, 2.0)):
        composite, plain = find(rows, "compositepage", n), find(rows, "plain", n)
        if composite and plain:
            ratio = composite / plain
            checks.append(
                (
                    f"real view {n} widgets / plain Document <= {most}",
                    f"{ratio:.2f}",
                    ratio <= most,
                )
            )
    points = [
        (row["n"], row["median_ms"])
        for row in rows
        if (row["system"], row["view"], row["user"])
        == ("compositepage", "real", "anonymous")
    ]
    per_widget = slope(points)
    if per_widget is not None:
        checks.append(
            (
                "marginal cost per widget <= 0.5 ms",
                f"{per_widget:.3f} ms",
                per_widget <= 0.5,
            )
        )
    for n, least in ((10, 3), (50, 8), (200, 20)):
        composite, mosaic = find(rows, "compositepage", n), find(rows, "mosaic", n)
        if composite and mosaic:
            ratio = mosaic / composite
            checks.append(
                (
                    f"Mosaic / compositepage at {n} >= {least}",
                    f"{ratio:.1f}",
                    ratio >= least,
                )
            )
    for row in rows:
        if (row["system"], row["view"], row["user"]) == (
            "compositepage",
            "real",
            "editor",
        ):
            plain = find(rows, "plain", row["n"], user="editor")
            if plain:
                ratio = row["median_ms"] / plain
                checks.append(
                    (
                        f"editor real view {row['n']} / editor plain <= 1.2",
                        f"{ratio:.2f}",
                        ratio <= 1.2,
                    )
                )
            design = find(rows, "compositepage", row["n"], view="design", user="editor")
            if design:
                checks.append(
                    (
                        f"design view {row['n']} <= editor real view",
                        f"{design:.1f} vs {row['median_ms']:.1f} ms",
                        design <= row["median_ms"],
                    )
                )
    for n in (1000,):
        composite = find(rows, "compositepage", n)
        plain = find(rows, "plain", n)
        if composite and plain:
            # An aim, not a target of the list: reported as one.
            checks.append(
                (
                    f"real view {n} widgets / plain Document <= 1.1 (aim)",
                    f"{composite / plain:.2f}",
                    composite / plain <= 1.1,
                )
            )
    checks += themed_targets(rows)
    for op in operations:
        ratio = op["median_ms"] / op["floor_median_ms"]
        checks.append(
            (
                f"move on {op['n']} widgets <= 1.1 x the floor of a change",
                f"{ratio:.2f} (a no-op: {op['noop_median_ms'] / op['floor_median_ms']:.2f})",
                ratio <= 1.1,
            )
        )
        checks.append(
            (
                f"composition records per move on {op['n']} < 2 KB",
                f"{op['composition_bytes']} B",
                op["composition_bytes"] < 2048,
            )
        )
    if len(operations) >= 2:
        first, last = (
            operations[0]["transaction_bytes"],
            operations[-1]["transaction_bytes"],
        )
        change = abs(last - first) / first
        checks.append(
            (
                f"transaction bytes {operations[0]['n']} vs {operations[-1]['n']} widgets within 10 %",
                f"{first} vs {last} B ({change:.1%})",
                change <= 0.10,
            )
        )
    return checks


def themed_targets(rows):
    """The render targets again, for the pages as the theme serves them."""
    checks = []
    for n, most in ((10, 1.15), (50, 1.3), (200, 2.0), (1000, 1.1)):
        composite = find(rows, "compositepage", n, view=THEMED)
        plain = find(rows, "plain", n, view=THEMED)
        if composite and plain:
            checks.append(
                (
                    f"themed: real view {n} widgets / plain Document <= {most}"
                    + (" (aim)" if n == 1000 else ""),
                    f"{composite / plain:.2f}",
                    composite / plain <= most,
                )
            )
    for n in sorted({row["n"] for row in rows if row["view"] == THEMED}):
        composite = find(rows, "compositepage", n, view=THEMED, user="editor")
        plain = find(rows, "plain", n, view=THEMED, user="editor")
        design = find(rows, "compositepage", n, view=DESIGN_THEMED, user="editor")
        if composite and plain:
            checks.append(
                (
                    f"themed: editor real view {n} / editor plain <= 1.2",
                    f"{composite / plain:.2f}",
                    composite / plain <= 1.2,
                )
            )
        if composite and design:
            checks.append(
                (
                    f"themed: design view {n} <= editor real view",
                    f"{design:.1f} vs {composite:.1f} ms",
                    design <= composite,
                )
            )
    return checks


def table_cell(rows, system, n, view, user):
    """A table's cell "median (p95)" of one row, and its median."""
    for row in rows:
        if (row["system"], row["n"], row["view"], row["user"]) == (
            system,
            n,
            view,
            user,
        ):
            return f"{row['median_ms']:.1f} ({row['p95_ms']:.0f})", row["median_ms"]
    return "–", None


def themed_table(rows):
    """The section of the pages measured through the theme."""
    lines = []
    themed_rows = [r for r in rows if r["view"] == THEMED]
    if not themed_rows:
        return lines
    lines += [
        "",
        "## Render through the theme (median ms, p95 in brackets)",
        "",
        "The same pages requested as localhost, which Plone serves through "
        "its Diazo theme (Barceloneta), as visitors get them.  The theme "
        "parses and copies every element of the page, so each element "
        "costs a few microseconds more than unthemed.",
        "",
        "| N | user | plain Document | compositepage | design view | composite / plain |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for user in ("anonymous", "editor"):
        for n in sorted({r["n"] for r in themed_rows}):
            plain, plain_ms = table_cell(rows, "plain", n, THEMED, user)
            composite, composite_ms = table_cell(rows, "compositepage", n, THEMED, user)
            design, _ = table_cell(rows, "compositepage", n, DESIGN_THEMED, user)
            ratio = (
                f"{composite_ms / plain_ms:.2f}" if composite_ms and plain_ms else "–"
            )
            lines.append(
                f"| {n} | {user} | {plain} | {composite} | {design} | {ratio} |"
            )
    return lines


def markdown(data, checks, extra):
    rows = data["render"]
    lines = [
        "# compositepage benchmark",
        "",
        f"{data['machine']['date']} — {data['machine']['cpu']}, {data['machine']['cores']} cores, "
        f"{data['machine']['memory_bytes'] // 2**30} GiB, Python {data['machine']['python']}. "
        "Server and client on the same machine; medians of sequential keep-alive requests after warm-up, "
        "URLs interleaved round by round.",
        "",
        ", ".join(
            f"{name} {found}"
            for name, found in data["machine"]["versions"].items()
            if found
        )
        + ".",
        "",
        "## Render (median ms, p95 in brackets)",
        "",
        "Requests to 127.0.0.1, which Plone serves without its Diazo theme, as "
        "the reference measurement of Mosaic did: what the page's own code "
        "costs.  The next section measures the same pages through the theme.",
        "",
        "| N | user | plain Document | compositepage | design view | Mosaic | composite / plain | Mosaic / composite |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]

    for user in ("anonymous", "editor"):
        for n in sorted({r["n"] for r in rows if r["system"] == "compositepage"}):
            plain, plain_ms = table_cell(rows, "plain", n, "real", user)
            composite, composite_ms = table_cell(rows, "compositepage", n, "real", user)
            design, _ = table_cell(rows, "compositepage", n, "design", user)
            mosaic, mosaic_ms = table_cell(rows, "mosaic", n, "real", user)
            ratio = (
                f"{composite_ms / plain_ms:.2f}" if composite_ms and plain_ms else "–"
            )
            versus = (
                f"{mosaic_ms / composite_ms:.1f}" if mosaic_ms and composite_ms else "–"
            )
            lines.append(
                f"| {n} | {user} | {plain} | {composite} | {design} | {mosaic} | {ratio} | {versus} |"
            )
    lines += themed_table(rows)
    nested = {
        (r["system"], r["view"], r["user"]): r
        for r in rows
        if r["system"] in ("compositepage-nested", "compositepage-flat")
    }
    if nested:
        lines += [
            "",
            "Nested columns: 10 columns widgets of 3 rich texts each (40 widgets), "
            "beside the same 30 rich texts in one slot (median ms):",
            "",
            "| view | user | nested | flat | nested / flat |",
            "|---|---|---:|---:|---:|",
        ]
        for view, user in (
            ("real", "anonymous"),
            ("real", "editor"),
            ("design", "editor"),
        ):
            a = nested.get(("compositepage-nested", view, user))
            b = nested.get(("compositepage-flat", view, user))
            if a and b:
                lines.append(
                    f"| {view} | {user} | {a['median_ms']:.1f} | {b['median_ms']:.1f} "
                    f"| {a['median_ms'] / b['median_ms']:.2f} |"
                )
    mixed = [r for r in rows if r["system"] == "compositepage-mixed"]
    if mixed:
        lines += [
            "",
            "Realistic mix (heading, rich text, image, teaser, listing of 10):",
            "",
        ]
        lines += [
            "| N | view | user | median ms | p95 ms | bytes |",
            "|---:|---|---|---:|---:|---:|",
        ]
        for row in mixed:
            lines.append(
                f"| {row['n']} | {row['view']} | {row['user']} | {row['median_ms']:.1f} | {row['p95_ms']:.0f} | {row['bytes']} |"
            )
    lines += [
        "",
        "## One editor operation (a move as design mode sends it: PATCH @composition?expand=design)",
        "",
        "| widgets | move median ms | no-op median ms | floor of a change median ms | move / floor | move / no-op | composition records written | transaction bytes appended |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for op in data["operations"]:
        noop, floor = op["noop_median_ms"], op["floor_median_ms"]
        lines.append(
            f"| {op['n']} | {op['median_ms']:.1f} | {noop:.1f} | {floor:.1f} "
            f"| {op['median_ms'] / floor:.2f} | {op['median_ms'] / noop:.2f} "
            f"| {op['composition_bytes']} B | {op['transaction_bytes']} B |"
        )
    lines += [
        "",
        "The floor of a change is what any change of a page costs through "
        "Plone's public API: the same no-op PATCH, then the page's modification "
        'date and `reindexObject(idxs=["modified"])`, committed (a bench-only '
        "service, benchmarks/benchfloor.py).",
    ]
    lines += ["", "## Other figures", ""]
    for key, value in extra.items():
        lines.append(f"- {key}: {value}")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for name, measured, met in checks:
        lines.append(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
    lines += [
        "",
        "Requests per URL (fewer for slow pages, within the time budget):",
        "",
    ]
    lines.append(
        ", ".join(
            f"{r['system']} {r['n']} {r['view']} {r['user']}: {r['requests']}"
            for r in rows
        )
    )
    return "\n".join(lines) + "\n"


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for system, label in (
        ("plain", "plain Document"),
        ("compositepage", "compositepage"),
        ("mosaic", "plone.app.mosaic"),
    ):
        points = sorted(
            (row["n"], row["median_ms"])
            for row in rows
            if (row["system"], row["view"], row["user"])
            == (system, "real", "anonymous")
        )
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("widgets / tiles / paragraphs (N)")
    axes.set_ylabel("median ms, anonymous")
    axes.set_title("Render time against N")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def _database_copy(instance):
    """A copy of the benchmark database and a zope.conf for it, for profiles
    (the measurement server has stopped by then)."""
    import shutil

    copy = WORK / "profile"
    (copy / "var").mkdir(parents=True, exist_ok=True)
    for old in (copy / "var").glob("Data.fs*"):
        old.unlink()
    shutil.copy(instance / "var" / "filestorage" / "Data.fs", copy / "var" / "Data.fs")
    conf = (instance / "etc" / "zope.conf").read_text()
    # zope.conf names the file through its INSTANCE variable.
    conf = re.sub(r"(?m)^(\s*path )\S+$", rf"\g<1>{copy}/var/Data.fs", conf)
    if f"{copy}/var/Data.fs" not in conf:
        raise SystemExit(f"no FileStorage path in {instance}/etc/zope.conf")
    (copy / "zope.conf").write_text(conf)
    return copy / "zope.conf"


def _profile(instance, script, path, user, out):
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "BENCH_PROFILE_PATH": path,
        "BENCH_PROFILE_OUT": str(out),
        "BENCH_PROFILE_USER": user,
        # As the rows the profiled page comes from: unthemed.
        "BENCH_PROFILE_HOST": "127.0.0.1",
    }
    run([bin_dir / "zconsole", "run", _database_copy(instance), HERE / script], env=env)
    return path


def profile_slowest(instance, rows, checks, out):
    """cProfile of the slowest page behind a missed render target."""
    design_missed = any(
        not met and name.startswith("design view") for name, _, met in checks
    )
    view = "design" if design_missed else "real"
    candidates = [
        r for r in rows if r["system"] == "compositepage" and r["view"] == view
    ]
    if not candidates:
        return None
    slowest = max(candidates, key=lambda r: r["median_ms"])
    path = f"/Plone/composite-{slowest['n']}" + (
        "/@@design" if view == "design" else ""
    )
    user = ":".join(EDITOR) if view == "design" else ""
    return _profile(instance, "profile_page.py", path, user, out)


def profile_move(instance, checks, out):
    """cProfile of moves against no-ops on the smallest page whose move
    target is missed."""
    missed = [
        int(re.search(r"move on (\d+) ", name).group(1))
        for name, _, met in checks
        if not met and name.startswith("move on ")
    ]
    if not missed:
        return None
    path = f"/Plone/move-{min(missed)}"
    return _profile(instance, "profile_move.py", path, ":".join(EDITOR), out)


def main(argv=None):
    global WORK
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--smoke", action="store_true", help="N=1, a few requests, no Mosaic"
    )
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="default: results/ (quick runs: results/quick/)",
    )
    parser.add_argument("--work", type=Path, default=WORK, help="instance and site")
    args = parser.parse_args(argv)
    args.mosaic = not args.smoke
    if args.smoke:
        args.ns, args.plain_ns, args.mosaic_ns, args.mixed_ns, args.operation_ns = (
            [1],
            [1],
            [],
            [],
            [5],
        )
        args.warmup, args.requests, args.min_requests, args.budget, args.operations = (
            2,
            5,
            5,
            5,
            4,
        )
    elif args.quick:
        args.ns, args.plain_ns, args.mosaic_ns, args.mixed_ns, args.operation_ns = (
            [1, 10, 50],
            [1, 10, 50],
            [1, 10, 50],
            [10],
            [5, 50, 500],
        )
        args.warmup, args.requests, args.min_requests, args.budget, args.operations = (
            3,
            30,
            8,
            4,
            32,
        )
    else:
        args.ns = [1, 10, 50, 200, 1000]
        args.plain_ns = [1, 10, 50, 200, 1000]
        args.mosaic_ns = [1, 10, 50, 200]
        args.mixed_ns = [10, 50]
        args.operation_ns = [5, 50, 500]
        args.warmup, args.requests, args.min_requests, args.budget, args.operations = (
            10,
            100,
            15,
            22,
            102,
        )
    WORK = args.work.resolve()
    if args.out is None:
        args.out = RESULTS / "quick" if args.quick else RESULTS
    WORK.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # The instance's processes import the bench-only benchfloor from here.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, (str(HERE), os.environ.get("PYTHONPATH")))
    )
    instance = prepare(args, args.port)
    server = start_server(instance, args.port)
    try:
        rows = measure_render(args.port, render_plan(args), args)
        print("editor operations ...", flush=True)
        operations = measure_operations(args.port, instance, args)
        rss = peak_rss(server.pid)
    finally:
        stop(server, timeout=60)
    setup = json.loads((WORK / "setup.json").read_text())
    data = {
        "machine": machine(),
        "render": [
            {
                key: row[key]
                for key in (
                    "system",
                    "n",
                    "view",
                    "user",
                    "median_ms",
                    "p95_ms",
                    "bytes",
                )
            }
            for row in rows
            if row["system"] in ("plain", "compositepage", "mosaic")
        ],
        "operations": [{key: op[key] for key in OPERATION_KEYS} for op in operations],
    }
    checks = targets(data["render"], operations)
    extra = {
        "server peak RSS": f"{rss / 2**20:.0f} MiB",
        "ZODB size of a composition of 500 widgets": f"{setup['composition_bytes'].get('500', '–')} bytes",
        "visitor pages with editor script or style": "0 bytes (checked on every anonymous composite page)",
        "run time": f"{(time.monotonic() - started) / 60:.1f} min",
    }
    if operations:
        first = operations[0]
        extra[f"records of one move's transaction on {first['n']} widgets"] = ", ".join(
            f"{name} {size} B"
            for name, size in sorted(first["records"].items(), key=lambda r: -r[1])
        )
    missed = [name for name, _, met in checks if not met]
    render_missed = [
        name
        for name in missed
        if not name.startswith(("move on", "composition records", "transaction"))
    ]
    # A profile from an earlier run would pass for one of this run.
    for name in ("latest-profile.txt", "latest-profile-move.txt"):
        (args.out / name).unlink(missing_ok=True)
    if render_missed and not args.smoke:
        profile_path = profile_slowest(
            instance, rows, checks, args.out / "latest-profile.txt"
        )
        extra["profile of the slowest compositepage page"] = (
            f"{profile_path}: latest-profile.txt"
        )
    if any(name.startswith("move on") for name in missed) and not args.smoke:
        profile_path = profile_move(
            instance, checks, args.out / "latest-profile-move.txt"
        )
        extra["profile of moves against no-ops"] = (
            f"{profile_path}: latest-profile-move.txt"
        )
    (args.out / "latest.json").write_text(json.dumps(data, indent=2) + "\n")
    report = markdown({**data, "render": rows, "operations": operations}, checks, extra)
    (args.out / "latest.md").write_text(report)
    if not args.smoke:
        plot(rows, args.out / "latest.png")
    print(report)


if __name__ == "__main__":
    main()
