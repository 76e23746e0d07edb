"""Run the demo site on a ZEO server and two WSGI instances (``make start-cluster``).

The ZEO server serves the instance's FileStorage (``instance/var``); each WSGI
instance is a ZEO client with a blob cache of its own.  Ctrl-C stops all three.
The test suite uses ``Cluster`` to start the same on free ports of its own.
"""

from instance import ZOPE_CONF_HEAD
from pathlib import Path
from processes import interruptible
from processes import stop

import argparse
import signal
import socket
import subprocess
import sys
import time


ZEO_CONF = """\
<zeo>
  address {host}:{zeo_port}
</zeo>

<filestorage 1>
  path {instance}/var/filestorage/Data.fs
  blob-dir {instance}/var/blobstorage
</filestorage>

<eventlog>
  <logfile>
    path {instance}/var/log/zeo.log
  </logfile>
</eventlog>
"""

CLIENT_CONF = (
    "%import ZEO\n"
    + ZOPE_CONF_HEAD
    + """
<zodb_db main>
  <zeoclient>
    server {host}:{zeo_port}
    storage 1
    name zeostorage
    blob-dir $INSTANCE/var/blobcache-{port}
    shared-blob-dir off
    cache-size 64MB
  </zeoclient>
  cache-size 30000
  mount-point /
</zodb_db>
"""
)

CLIENT_INI = """\
[app:zope]
use = egg:Zope#main
zope_conf = {conf}

[server:main]
use = egg:waitress#main
listen = {host}:{port}
threads = 4

[pipeline:main]
pipeline =
    egg:Zope#httpexceptions
    zope

[loggers]
keys = root

[handlers]
keys = eventlog

[formatters]
keys = generic

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s] %(message)s

[logger_root]
level = INFO
handlers = eventlog

[handler_eventlog]
class = FileHandler
args = (r'{instance}/var/log/instance-{port}.log', 'a')
level = INFO
formatter = generic
"""


def wait_for_port(host, port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.3)
    return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A ZEO server and WSGI instances on the FileStorage of ``instance``."""

    def __init__(self, instance, ports, zeo_port, host="127.0.0.1", bin_dir=None):
        self.instance = Path(instance).resolve()
        self.ports = list(ports)
        self.zeo_port = zeo_port
        self.host = host
        self.bin = Path(bin_dir or Path(sys.executable).parent)
        self.processes = []

    def write_configs(self):
        etc = self.instance / "etc"
        (self.instance / "var" / "log").mkdir(parents=True, exist_ok=True)
        values = {
            "instance": self.instance,
            "host": self.host,
            "zeo_port": self.zeo_port,
        }
        (etc / "zeo.conf").write_text(ZEO_CONF.format(**values))
        for port in self.ports:
            conf = etc / f"zope-{port}.conf"
            conf.write_text(CLIENT_CONF.format(port=port, **values))
            (etc / f"zope-{port}.ini").write_text(
                CLIENT_INI.format(conf=conf, port=port, **values)
            )

    def start(self, timeout=180):
        self.write_configs()
        etc = self.instance / "etc"
        self.processes.append(
            subprocess.Popen(
                [str(self.bin / "runzeo"), "-C", str(etc / "zeo.conf")],
                preexec_fn=interruptible,
            )
        )
        if not wait_for_port(self.host, self.zeo_port, timeout):
            self.stop()
            raise RuntimeError(f"The ZEO server did not start on port {self.zeo_port}.")
        for port in self.ports:
            self.processes.append(
                subprocess.Popen(
                    [str(self.bin / "runwsgi"), str(etc / f"zope-{port}.ini")],
                    preexec_fn=interruptible,
                )
            )
        for port in self.ports:
            if not wait_for_port(self.host, port, timeout):
                self.stop()
                raise RuntimeError(f"The instance on port {port} did not start.")

    def stop(self):
        # Instances first, the ZEO server last, so clients close cleanly.
        for process in reversed(self.processes):
            stop(process, timeout=20)
        self.processes = []

    def wait(self):
        while all(process.poll() is None for process in self.processes):
            time.sleep(0.5)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--zeo-port", type=int, default=8100)
    args = parser.parse_args(argv)
    ports = [args.port, args.port + 1]
    from preflight import port_in_use

    for port in (*ports, args.zeo_port):
        if port_in_use("localhost", port):
            sys.exit(
                f"Port {port} is in use: choose others, e.g. PORT=8090 ZEO_PORT=8110."
            )
    cluster = Cluster(args.instance, ports, args.zeo_port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"ZEO server on port {args.zeo_port}; the site on:")
        for port in ports:
            print(f"  http://localhost:{port}/Plone")
        print("Ctrl-C stops all three.")
        cluster.wait()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C (or one forwarded by make) must not cut the stop short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        cluster.stop()
        print("Stopped the instances and the ZEO server.")


if __name__ == "__main__":
    main()
