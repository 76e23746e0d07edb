"""The benchmark script still runs: `bench.py --smoke` (N = 1, a few requests,
no Mosaic) on a throw-away instance of its own."""

from pathlib import Path

import json
import subprocess
import sys


ROOT = Path(__file__).parent.parent


def test_benchmark_smoke(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from cluster import free_port

    out = tmp_path / "results"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--smoke",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"bench.py --smoke exited {result.returncode}:\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )
    data = json.loads((out / "latest.json").read_text())
    assert set(data) == {"machine", "render", "operations"}
    systems = {(row["system"], row["view"], row["user"]) for row in data["render"]}
    assert ("compositepage", "real", "anonymous") in systems
    assert ("compositepage", "design", "editor") in systems
    assert ("plain", "real", "anonymous") in systems
    for row in data["render"]:
        assert set(row) == {
            "system",
            "n",
            "view",
            "user",
            "median_ms",
            "p95_ms",
            "bytes",
        }
        assert row["median_ms"] > 0 and row["bytes"] > 0
    (operation,) = data["operations"]
    assert set(operation) == {
        "n",
        "median_ms",
        "noop_median_ms",
        "floor_median_ms",
        "composition_bytes",
        "transaction_bytes",
    }
    assert operation["floor_median_ms"] > 0
    assert 0 < operation["composition_bytes"] < 2048
    report = (out / "latest.md").read_text()
    assert "## Targets" in report
    # The floor of a change was timed beside the move (bench-only endpoint),
    # and the move target is a ratio to it.
    assert "| floor of a change median ms |" in report
    assert "widgets <= 1.1 x the floor of a change |" in report
    # The nested page (columns) beside the same texts flat.
    assert "Nested columns: 10 columns widgets of 3 rich texts" in report
    assert "| real | anonymous |" in report
    # It names the Plone it measured.
    from importlib.metadata import version

    assert f"Products.CMFPlone {version('Products.CMFPlone')}" in report
    assert data["machine"]["versions"]["Plone"] == version("Plone")
