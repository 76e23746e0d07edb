"""Two Zope instances on one ZEO server, writing the same page at the same time.

Starts what ``make start-cluster`` starts (scripts/cluster.py), on free ports
and a fresh database of its own, then sends concurrent PATCH requests from
2 x 8 client threads through both instances.  Afterwards every accepted
operation is stored exactly once, every refused one was answered 412, and the
version grew by one per accepted operation: nothing lost, nothing doubled.
"""

from pathlib import Path

import base64
import collections
import concurrent.futures
import os
import pytest
import requests
import subprocess
import sys


ROOT = Path(__file__).parent.parent
THREADS_PER_INSTANCE = 8
OPERATIONS_PER_THREAD = 20
AUTH = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "scripts"))
    from cluster import Cluster
    from cluster import free_port

    instance = tmp_path_factory.mktemp("cluster") / "instance"
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "instance.py"), str(instance)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            str(bin_dir / "zconsole"),
            "run",
            str(instance / "etc" / "zope.conf"),
            str(ROOT / "scripts" / "create_site.py"),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "ADMIN_PASSWORD": "admin"},
    )
    ports = [free_port(), free_port()]
    running = Cluster(instance, ports, free_port())
    running.start()
    yield [f"http://127.0.0.1:{port}/Plone" for port in ports], instance
    running.stop()


def composition(url):
    response = requests.get(
        f"{url}/demo/one-column/@composition", headers={**JSON, **AUTH}
    )
    response.raise_for_status()
    return response.json()


def writer(url, name):
    """One client thread: read the version, add a heading with If-Match."""
    session = requests.Session()
    results = []
    for number in range(OPERATIONS_PER_THREAD):
        text = f"{name}-{number}"
        read = session.get(
            f"{url}/demo/one-column/@composition", headers={**JSON, **AUTH}
        )
        version = read.headers.get("ETag")
        body = {
            "operations": [
                {
                    "op": "add",
                    "slot": "main",
                    "widget_type": "heading",
                    "settings": {"text": text},
                }
            ]
        }
        response = session.patch(
            f"{url}/demo/one-column/@composition",
            headers={**JSON, **AUTH, "If-Match": version},
            json=body,
        )
        results.append((text, response.status_code))
    return results


def test_two_instances_lose_nothing(cluster, capsys):
    urls, instance = cluster
    assert composition(urls[0])["version"] == composition(urls[1])["version"]
    start = composition(urls[0])
    before = [
        w["settings"]["text"]
        for w in start["slots"]["main"]
        if w["widget_type"] == "heading"
    ]
    with concurrent.futures.ThreadPoolExecutor(
        len(urls) * THREADS_PER_INSTANCE
    ) as pool:
        futures = [
            pool.submit(writer, url, f"i{index}-t{thread}")
            for index, url in enumerate(urls)
            for thread in range(THREADS_PER_INSTANCE)
        ]
        results = [result for future in futures for result in future.result()]
    statuses = collections.Counter(status for _, status in results)
    accepted = [text for text, status in results if status == 200]
    # Accepted or refused as stale: never an error, never a conflict as 5xx.
    assert set(statuses) <= {200, 412}, statuses
    for url in urls:
        after = composition(url)
        headings = [
            w["settings"]["text"]
            for w in after["slots"]["main"]
            if w["widget_type"] == "heading"
        ]
        added = headings[len(before) :]
        assert headings[: len(before)] == before
        assert sorted(added) == sorted(accepted)
        assert len(set(added)) == len(added)
        assert after["version"] == start["version"] + len(accepted)
    conflicts = sum(
        log.read_text().count("ConflictError")
        for log in (instance / "var" / "log").glob("instance-*.log")
    )
    with capsys.disabled():
        print(
            f"\ncluster: {len(results)} operations from {len(urls)} instances x "
            f"{THREADS_PER_INSTANCE} threads: {statuses[200]} accepted, "
            f"{statuses[412]} refused as stale, 0 lost; "
            f"{conflicts} ZODB conflict log lines (retried by the publisher)"
        )
