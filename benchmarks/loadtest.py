"""``make loadtest``: Locust against the cluster, visitors idle and under editing.

Builds a throw-away demo site under benchmarks/.work/loadtest (the demo of
``make start``), serves it as ``make start-cluster`` does (a ZEO server, or
with ``--storage postgresql`` a private PostgreSQL server, and two instances
on free loopback ports), then runs Locust headless with the scenario of
benchmarks/locustfile.py, three runs a round:

1. idle: visitors only;
2. reading: the same visitors and 10 editors who only read their pages (as
   many requests as editing, no writes);
3. editing: the same visitors and 10 editors changing the same pages.

Visitors and editors share both instances; with ``--split`` visitors go to
the first and editors to the second, as a site routes logged-in users to
backends of their own (results: loadtest-<storage>-split).

The rounds (``--rounds``, 3) interleave the runs, so that a change in the
machine's speed falls on all three alike; the table gives each figure's
median over the rounds, and the visitor p95 of each round.  Each run is
bounded in time and requests.  Beside the requests, it measures the CPU
time of the instances, of the storage server (with its backends) and of
Locust, from /proc: what a run costs, and where.  The table is printed and
written to benchmarks/results/loadtest-<storage>.md and .json.
"""

from pathlib import Path

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
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


TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(parent pid, CPU seconds of the process and its ended children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None, 0.0
    # After the name: state, ppid, ..., utime (14th field), stime, cutime, cstime.
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / TICKS


def cpu_seconds(roots):
    """CPU seconds used so far by the processes ``roots`` and all below them
    (PostgreSQL's backends are children of its server)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parents[int(entry.name)] = _stat(entry.name)[0]
    tree, grew = set(roots), True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree}
        grew = bool(below - tree)
        tree |= below
    return sum(_stat(pid)[1] for pid in tree)


def storage_pid(cluster):
    server = getattr(cluster.storage, "server", None)
    process = server.process if server is not None else cluster.storage.process
    return process.pid


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


# (run, its title, the Locust user classes, their environment)
RUNS = (
    ("idle", "idle: {visitors} visitors", ("Visitor",), {}),
    (
        "reading",
        "reading: {visitors} visitors, {editors} editors who only read",
        ("Visitor", "Editor"),
        {"LOADTEST_EDITOR_WRITES": "0"},
    ),
    (
        "editing",
        "editing: {visitors} visitors, {editors} editors",
        ("Visitor", "Editor"),
        {},
    ),
)

TABLE_HEAD = """\
| run | requests/s | visitor p50 | visitor p95 | p95 per round | operations/s | CPU: instances / storage / Locust | errors |
|---|---|---|---|---|---|---|---|
"""
TABLE_ROW = (
    "| {title} | {requests_per_s:.1f} | {visitor_p50_ms:.0f} ms | "
    "{visitor_p95_ms:.0f} ms | {rounds_p95} ms | {ops_cell} | "
    "{cpu_instances:.2f} / {cpu_storage:.2f} / {cpu_locust:.2f} | {errors} |\n"
)
TABLE_FOOT = """
Medians of {rounds} rounds of {seconds} s a run; CPU in cores busy (CPU seconds
per second of the run, 2 instances together). Visitor p95 under editing:
{ratio:.2f} x idle (goal: at most 1.2 x); with editors only reading:
{reading_ratio:.2f} x idle. Errors: {errors} (goal: 0). Accepted operations:
{accepted}, writes refused as stale (412): {refused}. The machine's load average
(1 min) before the runs: {loads} on {cores} cores.
"""


def median_figures(rounds):
    """Each figure's median over the rounds, and every round's p95."""
    merged = {
        key: statistics.median(found[key] for found in rounds)
        for key in rounds[0]
        if isinstance(rounds[0][key], int | float)
    }
    merged["rounds_visitor_p95_ms"] = [found["visitor_p95_ms"] for found in rounds]
    for key in ("errors", "operations", "writes_refused_as_stale"):
        merged[f"{key}_total"] = sum(found[key] for found in rounds)
    return merged


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locust", type=Path, required=True)
    parser.add_argument("--storage", choices=["zeo", "postgresql"], default="zeo")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--editors", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--split",
        action="store_true",
        help="visitors on the first instance, editors on the second",
    )
    args = parser.parse_args(argv)
    stem = f"loadtest-{args.storage}" + ("-split" if args.split else "")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    instance = WORK / "instance"
    env = {
        **os.environ,
        "ADMIN_PASSWORD": "admin",
        "LOADTEST_SPLIT": "1" if args.split else "0",
    }
    print("Building the demo site ...", flush=True)
    build_site(instance, env)
    cluster = start_cluster(instance, args.storage, env)
    # localhost, not 127.0.0.1: Plone serves 127.0.0.1 unthemed, and visitors
    # see the themed page.
    urls = [f"http://localhost:{port}/Plone" for port in cluster.ports]
    counts = {"Visitor": args.visitors, "Editor": args.editors}
    found = {run: [] for run, *_ in RUNS}
    try:
        warm_up(urls, ["landing", "two-columns", "one-column"])
        for number in range(1, args.rounds + 1):
            for run, _title, classes, extra in RUNS:
                print(
                    f"Locust: round {number}, {run}, {args.seconds} s ...", flush=True
                )
                # The machine may be shared: say how busy it was.
                load = os.getloadavg()[0]
                instances = [process.pid for process in cluster.instances.values()]
                storage = [storage_pid(cluster)]
                before = (
                    cpu_seconds(instances),
                    cpu_seconds(storage),
                    resource.getrusage(resource.RUSAGE_CHILDREN),
                )
                began = time.monotonic()
                rows = run_locust(
                    args.locust,
                    urls,
                    [(user, counts[user]) for user in classes],
                    args.seconds,
                    args.max_requests,
                    WORK / f"{run}-{number}",
                    {**env, **extra},
                )
                took = time.monotonic() - began
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                figures_of_run = figures(rows, round(took))
                figures_of_run.update(
                    load_average_before=round(load, 2),
                    cpu_instances=(cpu_seconds(instances) - before[0]) / took,
                    cpu_storage=(cpu_seconds(storage) - before[1]) / took,
                    cpu_locust=(
                        children.ru_utime
                        + children.ru_stime
                        - before[2].ru_utime
                        - before[2].ru_stime
                    )
                    / took,
                )
                found[run].append(figures_of_run)
    finally:
        cluster.stop()
        server = getattr(cluster.storage, "server", None)
        if server is not None:
            shutil.rmtree(server.directory, ignore_errors=True)
    results = {run: median_figures(rounds) for run, rounds in found.items()}
    idle_p95 = max(results["idle"]["visitor_p95_ms"], 1)
    ratio = results["editing"]["visitor_p95_ms"] / idle_p95
    reading_ratio = results["reading"]["visitor_p95_ms"] / idle_p95
    table = TABLE_HEAD
    for run, title, _classes, _extra in RUNS:
        result = results[run]
        table += TABLE_ROW.format(
            title=title.format(visitors=args.visitors, editors=args.editors),
            rounds_p95="/".join(f"{p:.0f}" for p in result["rounds_visitor_p95_ms"]),
            ops_cell=f"{result['operations_per_s']:.1f}" if run == "editing" else "–",
            **{**result, "errors": result["errors_total"]},
        )
    table += TABLE_FOOT.format(
        rounds=args.rounds,
        seconds=args.seconds,
        ratio=ratio,
        reading_ratio=reading_ratio,
        errors=sum(result["errors_total"] for result in results.values()),
        accepted=results["editing"]["operations_total"],
        refused=results["editing"]["writes_refused_as_stale_total"],
        loads=", ".join(
            f"{figures_of_run['load_average_before']}"
            for rounds in found.values()
            for figures_of_run in rounds
        ),
        cores=os.cpu_count(),
    )
    report = {
        "storage": args.storage,
        "split": args.split,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "visitors": args.visitors,
        "editors": args.editors,
        "p95_ratio": round(ratio, 3),
        "reading_p95_ratio": round(reading_ratio, 3),
        **results,
        "runs": found,
    }
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    routed = ", visitors on one instance and editors on the other" if args.split else ""
    (RESULTS / f"{stem}.md").write_text(
        f"# Load test ({args.storage}, two instances{routed}, {args.rounds} "
        f"rounds of {args.seconds} s a run)\n\n" + table
    )
    print(table)


if __name__ == "__main__":
    main()
