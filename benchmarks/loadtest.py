"""``make loadtest``: Locust against the cluster, visitors idle and under editing.

Builds a throw-away demo site under benchmarks/.work/loadtest (the demo of
``make start``), serves it as ``make start-cluster`` does (a ZEO server, or
with ``--storage postgresql`` a private PostgreSQL server, and two instances
on free loopback ports), then runs Locust headless twice with the scenario of
benchmarks/locustfile.py:

1. idle: visitors only;
2. editing: the same visitors and 10 editors changing the same pages.

Each run is bounded in time and requests.  The table (requests per second,
visitor p50/p95, operations per second, errors) is printed and written to
benchmarks/results/loadtest-<storage>.md and .json.
"""

from pathlib import Path

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request


HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))
WORK = HERE / ".work" / "loadtest"
RESULTS = HERE / "results"


def build_site(instance, env):
    if instance.exists():
        shutil.rmtree(instance)
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "instance.py"), str(instance)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            str(Path(sys.executable).parent / "zconsole"),
            "run",
            str(instance / "etc" / "zope.conf"),
            str(ROOT / "scripts" / "create_site.py"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )


def start_cluster(instance, storage, env):
    from cluster import Cluster
    from cluster import free_port
    from cluster import RelStoragePostgreSQL
    from cluster import ZEOServer

    if storage == "postgresql":
        from migrate import convert
        from postgresql import PostgreSQL

        server = PostgreSQL(
            Path(f"/tmp/compositepage-loadtest-{os.getpid()}"), free_port()
        )
        server.start()
        result = convert(instance, server.dsn)
        if result.returncode:
            server.stop()
            raise SystemExit(result.stderr)
        backend = RelStoragePostgreSQL(server=server)
    else:
        backend = ZEOServer(instance, free_port())
    cluster = Cluster(instance, [free_port(), free_port()], storage=backend, env=env)
    cluster.start()
    return cluster


def warm_up(urls, pages):
    for url in urls:
        for page in pages:
            for _ in range(3):
                with urllib.request.urlopen(f"{url}/demo/{page}") as response:
                    response.read()


def run_locust(locust, urls, classes, seconds, max_requests, prefix, env):
    subprocess.run(
        [
            str(locust),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--run-time",
            f"{seconds}s",
            "--users",
            str(sum(count for _, count in classes)),
            "--spawn-rate",
            "20",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
            *[name for name, _ in classes],
        ],
        check=False,
        env={
            **env,
            "LOADTEST_URLS": " ".join(urls),
            "LOADTEST_MAX_REQUESTS": str(max_requests),
            **{f"LOADTEST_{name.upper()}S": str(count) for name, count in classes},
        },
    )
    with open(f"{prefix}_stats.csv") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def figures(rows, seconds):
    visitor = rows.get("visitor: page", {})
    accepted = rows.get("editor: accepted operation", {})
    # Locust's total counts the accepted operations a second time.
    requests = [
        row
        for name, row in rows.items()
        if name not in ("Aggregated", "editor: accepted operation")
    ]
    return {
        "requests": sum(int(row["Request Count"]) for row in requests),
        "requests_per_s": sum(float(row["Requests/s"]) for row in requests),
        "visitor_requests": int(visitor.get("Request Count", 0)),
        "visitor_p50_ms": float(visitor.get("50%", 0)),
        "visitor_p95_ms": float(visitor.get("95%", 0)),
        "operations": int(accepted.get("Request Count", 0)),
        "operations_per_s": float(accepted.get("Requests/s", 0)),
        "writes_refused_as_stale": sum(
            int(row["Request Count"])
            for name, row in rows.items()
            if name.startswith("editor: ")
            and name not in ("editor: read", "editor: accepted operation")
        )
        - int(accepted.get("Request Count", 0)),
        "errors": sum(int(row["Failure Count"]) for row in requests),
        "seconds": seconds,
    }


TABLE = """\
| run | requests/s | visitor p50 | visitor p95 | operations/s | errors |
|---|---|---|---|---|---|
| idle: {visitors} visitors | {idle[requests_per_s]:.1f} | {idle[visitor_p50_ms]:.0f} ms | {idle[visitor_p95_ms]:.0f} ms | – | {idle[errors]} |
| editing: {visitors} visitors, {editors} editors | {editing[requests_per_s]:.1f} | {editing[visitor_p50_ms]:.0f} ms | {editing[visitor_p95_ms]:.0f} ms | {editing[operations_per_s]:.1f} | {editing[errors]} |

Visitor p95 under editing: {ratio:.2f} x idle (goal: at most 1.2 x); errors: {errors} (goal: 0).
The machine's load average (1 min) before the runs: {idle[load_average_before]} and
{editing[load_average_before]} on {cores} cores; accepted operations exclude the
{editing[writes_refused_as_stale]} writes refused as stale (412).
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locust", type=Path, required=True)
    parser.add_argument("--storage", choices=["zeo", "postgresql"], default="zeo")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--editors", type=int, default=10)
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    instance = WORK / "instance"
    env = {**os.environ, "ADMIN_PASSWORD": "admin"}
    print("Building the demo site ...", flush=True)
    build_site(instance, env)
    cluster = start_cluster(instance, args.storage, env)
    # localhost, not 127.0.0.1: Plone serves 127.0.0.1 unthemed, and visitors
    # see the themed page.
    urls = [f"http://localhost:{port}/Plone" for port in cluster.ports]
    try:
        warm_up(urls, ["landing", "two-columns", "one-column"])
        results = {}
        for run, classes in (
            ("idle", [("Visitor", args.visitors)]),
            ("editing", [("Visitor", args.visitors), ("Editor", args.editors)]),
        ):
            print(f"Locust: {run}, {args.seconds} s ...", flush=True)
            # The machine may be shared: say how busy it was.
            load = os.getloadavg()[0]
            began = time.monotonic()
            rows = run_locust(
                args.locust,
                urls,
                classes,
                args.seconds,
                args.max_requests,
                WORK / run,
                env,
            )
            results[run] = figures(rows, round(time.monotonic() - began))
            results[run]["load_average_before"] = round(load, 2)
    finally:
        cluster.stop()
        server = getattr(cluster.storage, "server", None)
        if server is not None:
            shutil.rmtree(server.directory, ignore_errors=True)
    ratio = results["editing"]["visitor_p95_ms"] / max(
        results["idle"]["visitor_p95_ms"], 1
    )
    table = TABLE.format(
        visitors=args.visitors,
        editors=args.editors,
        ratio=ratio,
        errors=results["idle"]["errors"] + results["editing"]["errors"],
        cores=os.cpu_count(),
        **results,
    )
    report = {
        "storage": args.storage,
        "seconds": args.seconds,
        "visitors": args.visitors,
        "editors": args.editors,
        "p95_ratio": round(ratio, 3),
        **results,
    }
    (RESULTS / f"loadtest-{args.storage}.json").write_text(
        json.dumps(report, indent=2) + "\n"
    )
    (RESULTS / f"loadtest-{args.storage}.md").write_text(
        f"# Load test ({args.storage}, two instances, {args.seconds} s a run)\n\n"
        + table
    )
    print(table)


if __name__ == "__main__":
    main()
