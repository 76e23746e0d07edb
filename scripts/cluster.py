"""Run the demo site on one shared database and two WSGI instances
(``make start-cluster``).

``--storage zeo`` (the default): a ZEO server serves the instance's
FileStorage (``instance/var``); each WSGI instance is a ZEO client with a blob
cache of its own.

``--storage postgresql``: RelStorage on PostgreSQL.  A private PostgreSQL
server under ``instance/var/postgresql`` (scripts/postgresql.py), or the
server of ``--dsn``; one process sets the database up (the admin user, the
site, the demo content) before the two instances start, each with a blob
cache of its own (``shared-blob-dir false``: the blobs live in PostgreSQL).

Ctrl-C stops all of it.  The test suite uses ``Cluster`` to start the same on
free ports of its own.
"""

from instance import ZOPE_CONF_HEAD
from pathlib import Path
from processes import interruptible
from processes import stop

import argparse
import os
import signal
import socket
import subprocess
import sys
import time


# What a site's ZEO server runs (README.md shows it whole).
#
# ``<oid-headroom>`` (compositepage.zeoserver) raises the FileStorage's
# highest object id at every start of the server above every id handed out
# before (``record`` keeps where the last start began).  A ZEO client keeps
# the new object ids it fetched in advance (up to 100 at a time) when the
# server goes away, and a FileStorage that starts again counts its ids from
# the highest one stored; without it a ZEO server restarted while the
# instances stay connected hands out those ids again, and a write meeting one
# fails (500, "A different object already has the same oid").  See
# docs/operations.md.
ZEO_CONF = """\
%import compositepage.zeoserver

<zeo>
  address {host}:{zeo_port}
</zeo>

<oid-headroom 1>
  record {instance}/var/filestorage/Data.fs.oids
  <filestorage>
    path {instance}/var/filestorage/Data.fs
    blob-dir {instance}/var/blobstorage
  </filestorage>
</oid-headroom>

<eventlog>
  <logfile>
    path {instance}/var/log/zeo.log
  </logfile>
</eventlog>
"""

ZEO_CLIENT = """\
  <zeoclient>
    server {host}:{zeo_port}
    storage 1
    name zeostorage
    blob-dir $INSTANCE/var/blobcache-{port}
    shared-blob-dir off
    cache-size 64MB
  </zeoclient>
"""

# What a site copies into each instance's zope.conf for RelStorage on
# PostgreSQL (README.md shows it whole).  Each instance keeps a blob cache of
# its own; the blobs themselves are stored in PostgreSQL.
#
# ``cache-local-mb 0`` turns RelStorage's shared in-process object cache off.
# In RelStorage 4.3.0 (the newest release) that cache can answer a load with
# an old state of an object changed by another instance: when it drops index
# data it no longer needs, it is asked to forget cached states of an object
# up to a transaction id, but for an object with a single cached state it
# forgets a newer state and keeps an older one (``SVCacheEntry::
# discarding_tids_before`` in relstorage/cache/c_cache.cpp compares the wrong
# way round; the entry with several states does it right).  The kept state
# has been marked valid for every reader ("frozen"), so a reader to whom the
# object looks unchanged gets it.  A write transaction that reads such a state
# works on a mix of old and new objects: the catalog's text index then fails
# with a KeyError in ``_del_wordinfo`` (a 500) or, when the stale object is
# only read, computes a change no conflict check notices.  Without the cache
# every load reads the transaction's own PostgreSQL snapshot; each ZODB
# connection keeps its object cache (``cache-size``), invalidated by polling
# as before.  See docs/operations.md.
RELSTORAGE_CLIENT = """\
  <relstorage>
    blob-dir $INSTANCE/var/blobcache-pg-{port}
    shared-blob-dir false
    blob-cache-size 512mb
    cache-local-mb 0
    <postgresql>
      dsn {dsn}
    </postgresql>
  </relstorage>
"""

CLIENT_CONF = """\
%import {package}
{head}
<zodb_db main>
{storage}  cache-size 30000
  mount-point /
</zodb_db>
"""

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


def wait_for_port(host, port, timeout=120, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.3)
    return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ZEOServer:
    """The ZEO server of the instance's FileStorage."""

    package = "ZEO"

    def __init__(self, instance, port, host="127.0.0.1", bin_dir=None):
        self.instance = Path(instance).resolve()
        self.port = port
        self.host = host
        self.bin = Path(bin_dir or Path(sys.executable).parent)
        self.process = None

    @property
    def name(self):
        return f"the ZEO server on port {self.port}"

    def client_section(self, port):
        return ZEO_CLIENT.format(host=self.host, zeo_port=self.port, port=port)

    def start(self, timeout=120):
        conf = self.instance / "etc" / "zeo.conf"
        (self.instance / "var" / "log").mkdir(parents=True, exist_ok=True)
        conf.write_text(
            ZEO_CONF.format(instance=self.instance, host=self.host, zeo_port=self.port)
        )
        self.process = subprocess.Popen(
            [str(self.bin / "runzeo"), "-C", str(conf)], preexec_fn=interruptible
        )
        if not wait_for_port(self.host, self.port, timeout, self.process):
            self.stop()
            raise RuntimeError(f"The ZEO server did not start on port {self.port}.")

    def stop(self, hard=False):
        process, self.process = self.process, None
        if process is None:
            return
        if hard:
            process.kill()
            process.wait()
        else:
            stop(process, timeout=20)

    def restart(self, hard=False):
        self.stop(hard=hard)
        self.start()


class RelStoragePostgreSQL:
    """RelStorage on PostgreSQL: a private server (``server``, see
    scripts/postgresql.py) or an existing one named by ``dsn``."""

    package = "relstorage"

    def __init__(self, server=None, dsn=None):
        if (server is None) == (dsn is None):
            raise ValueError("Give a private server or the DSN of one.")
        self.server = server
        self._dsn = dsn

    @property
    def name(self):
        if self.server is None:
            return "the PostgreSQL server of PG_DSN"
        return f"PostgreSQL on 127.0.0.1:{self.server.port}"

    @property
    def dsn(self):
        return self._dsn if self.server is None else self.server.dsn

    def client_section(self, port):
        return RELSTORAGE_CLIENT.format(dsn=self.dsn, port=port)

    def start(self, timeout=60):
        if self.server is not None:
            self.server.start(timeout)

    def stop(self, hard=False):
        if self.server is not None:
            self.server.stop(mode=signal.SIGQUIT if hard else signal.SIGINT)

    def restart(self, hard=False):
        self.stop(hard=hard)
        self.start()


class Cluster:
    """A shared storage and WSGI instances of ``instance`` on it."""

    def __init__(
        self,
        instance,
        ports,
        zeo_port=None,
        host="127.0.0.1",
        bin_dir=None,
        storage=None,
        env=None,
    ):
        self.instance = Path(instance).resolve()
        self.env = env
        self.ports = list(ports)
        self.host = host
        self.bin = Path(bin_dir or Path(sys.executable).parent)
        self.storage = storage or ZEOServer(self.instance, zeo_port, host, self.bin)
        self.instances = {}

    def conf(self, port):
        return self.instance / "etc" / f"zope-{port}.conf"

    def write_configs(self):
        etc = self.instance / "etc"
        (self.instance / "var" / "log").mkdir(parents=True, exist_ok=True)
        head = ZOPE_CONF_HEAD.format(instance=self.instance)
        for port in self.ports:
            self.conf(port).write_text(
                CLIENT_CONF.format(
                    package=self.storage.package,
                    head=head,
                    storage=self.storage.client_section(port),
                )
            )
            # It may hold the database's password.
            self.conf(port).chmod(0o600)
            (etc / f"zope-{port}.ini").write_text(
                CLIENT_INI.format(
                    conf=self.conf(port),
                    port=port,
                    host=self.host,
                    instance=self.instance,
                )
            )

    def setup_site(self, admin_password="admin"):
        """Create the admin and the demo site, in one process before the
        instances start: two instances creating Zope's root objects in an
        empty database at once conflict, and one of them dies."""
        subprocess.run(
            [
                str(self.bin / "zconsole"),
                "run",
                str(self.conf(self.ports[0])),
                str(Path(__file__).parent / "create_site.py"),
            ],
            check=True,
            env={**(self.env or os.environ), "ADMIN_PASSWORD": admin_password},
        )

    def start_instance(self, port):
        process = subprocess.Popen(
            [
                str(self.bin / "runwsgi"),
                str(self.instance / "etc" / f"zope-{port}.ini"),
            ],
            preexec_fn=interruptible,
            env=self.env,
        )
        self.instances[port] = process
        return process

    def wait_for_instance(self, port, timeout=180):
        if not wait_for_port(self.host, port, timeout, self.instances[port]):
            self.stop()
            raise RuntimeError(
                f"The instance on port {port} did not start: see "
                f"{self.instance}/var/log/instance-{port}.log"
            )

    def kill_instance(self, port):
        """Kill an instance as a crash would (SIGKILL, nothing cleaned up)."""
        process = self.instances.pop(port)
        process.kill()
        process.wait()

    def start(self, timeout=180, setup=False, admin_password="admin"):
        self.storage.start()
        self.write_configs()
        if setup:
            self.setup_site(admin_password)
        for port in self.ports:
            self.start_instance(port)
        for port in self.ports:
            self.wait_for_instance(port, timeout)

    def stop(self):
        # Instances first, the storage last, so clients close cleanly.
        for port in list(self.instances):
            stop(self.instances.pop(port), timeout=20)
        self.storage.stop()

    def wait(self):
        while all(process.poll() is None for process in self.instances.values()):
            time.sleep(0.5)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--storage", choices=["zeo", "postgresql"], default="zeo")
    parser.add_argument("--zeo-port", type=int, default=8100)
    parser.add_argument("--pg-port", type=int, default=8120)
    parser.add_argument(
        "--dsn", default="", help="an existing PostgreSQL database (libpq DSN)"
    )
    parser.add_argument("--admin-password", default="admin")
    args = parser.parse_args(argv)
    ports = [args.port, args.port + 1]
    from preflight import port_in_use

    busy = list(ports)
    if args.storage == "zeo":
        busy.append(args.zeo_port)
        hint = "PORT=8090 ZEO_PORT=8110"
    elif not args.dsn:
        busy.append(args.pg_port)
        hint = "PORT=8090 PG_PORT=8130"
    else:
        hint = "PORT=8090"
    for port in busy:
        if port_in_use("localhost", port):
            sys.exit(f"Port {port} is in use: choose others, e.g. {hint}.")
    if args.storage == "zeo":
        storage = None
    elif args.dsn:
        storage = RelStoragePostgreSQL(dsn=args.dsn)
    else:
        from postgresql import PostgreSQL

        storage = RelStoragePostgreSQL(
            server=PostgreSQL(args.instance / "var" / "postgresql", args.pg_port)
        )
    cluster = Cluster(args.instance, ports, args.zeo_port, storage=storage)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start(
            setup=args.storage == "postgresql", admin_password=args.admin_password
        )
        print(f"Serving the site from {cluster.storage.name} through:")
        for port in ports:
            print(f"  http://localhost:{port}/Plone")
        print("Ctrl-C stops all of it.")
        cluster.wait()
    except KeyboardInterrupt:
        pass
    except subprocess.CalledProcessError:
        print("Setting the database up failed: see the messages above.")
    except RuntimeError as error:
        print(error)
    finally:
        # A second Ctrl-C or SIGTERM (one forwarded by make, or sent to the
        # whole process group) must not cut the stop short: PostgreSQL, in a
        # session of its own, would outlive us unwaited for.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
        print(f"Stopped the instances and {cluster.storage.name}.")


if __name__ == "__main__":
    main()
