"""A private PostgreSQL server for the cluster on RelStorage (``make start-cluster
STORAGE=postgresql``) and the tests.

The server lives in one directory (``instance/var/postgresql``): its data,
its log and the passwords this script made.  It listens on 127.0.0.1 only
and on no Unix socket, and asks every client for a password.  PostgreSQL
refuses to run as root, so when we are root the server runs as the system
user ``postgres`` that Debian's package creates; that user must be able to
reach the directory.

Run as a script it prints the DSN of the database for Zope, creating the
server, the role and the database first when they do not exist yet.
"""

from pathlib import Path

import argparse
import grp
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import time


DATABASE = "plone"
ROLE = "plone"


def find_bindir():
    """The ``bin`` directory of the newest PostgreSQL server installed
    (Debian keeps each major version under /usr/lib/postgresql/<n>/bin)."""
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        try:
            found.append((int(initdb.parent.parent.name), initdb.parent))
        except ValueError:
            continue
    if found:
        return max(found)[1]
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    if out and (Path(out) / "initdb").exists():
        return Path(out)
    raise SystemExit(
        "PostgreSQL's server is not installed: on Debian, apt-get install "
        "postgresql (make start-cluster STORAGE=postgresql does it for you)."
    )


def server_user():
    """The system user the server runs as: ours, or ``postgres`` for root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit(
            "PostgreSQL refuses to run as root and there is no 'postgres' user "
            "to run it as: install Debian's postgresql package, or set "
            "PG_DSN to use a server you run yourself."
        ) from None


def reachable_by(user, directory):
    """Whether ``user`` may enter every parent directory of ``directory``."""
    for parent in directory.parents:
        if not parent.exists():
            continue
        status = parent.stat()
        if status.st_uid == user.pw_uid:
            mode = status.st_mode >> 6
        elif status.st_gid in {user.pw_gid, *_groups(user)}:
            mode = status.st_mode >> 3
        else:
            mode = status.st_mode
        if not mode & 0o1:
            return False
    return True


def _groups(user):
    return {g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem}


def dsn(port, password, host="127.0.0.1", dbname=DATABASE, user=ROLE):
    return f"dbname={dbname} user={user} host={host} port={port} password={password}"


def wait_for_port(host, port, timeout, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.2)
    return False


class PostgreSQL:
    """One private server: ``setup()`` once, then ``start()`` and ``stop()``."""

    def __init__(self, directory, port, host="127.0.0.1"):
        self.directory = Path(directory).resolve()
        self.data = self.directory / "data"
        self.port = port
        self.host = host
        self.user = server_user()
        self.process = None
        self.bindir = None

    # Passwords are made once and kept beside the data, readable by us only.
    def _secret(self, name):
        path = self.directory / name
        if not path.exists():
            path.write_text(secrets.token_urlsafe(18) + "\n")
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def superuser_password(self):
        return self._secret("superuser-password")

    @property
    def password(self):
        return self._secret("plone-password")

    @property
    def dsn(self):
        return dsn(self.port, self.password, self.host)

    def _as_server_user(self):
        if os.geteuid() != 0:
            return {}
        return {
            "user": self.user.pw_uid,
            "group": self.user.pw_gid,
            "extra_groups": [],
        }

    def setup(self):
        """Create the data directory (initdb) when it does not exist yet."""
        self.bindir = self.bindir or find_bindir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        if (self.data / "PG_VERSION").exists():
            return
        if not reachable_by(self.user, self.directory):
            raise SystemExit(
                f"PostgreSQL runs as the user {self.user.pw_name}, who cannot "
                f"reach {self.directory} (a parent directory is closed to "
                "others). Work in a directory others may enter, or set PG_DSN "
                "to use a server you run yourself."
            )
        pwfile = self.directory / "initdb-pwfile"
        pwfile.write_text(self.superuser_password + "\n")
        if os.geteuid() == 0:
            for path in (self.directory, pwfile):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        try:
            subprocess.run(
                [
                    str(self.bindir / "initdb"),
                    "--pgdata",
                    str(self.data),
                    "--username",
                    "postgres",
                    "--pwfile",
                    str(pwfile),
                    "--auth",
                    "scram-sha-256",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=self.directory,
                **self._as_server_user(),
            )
        finally:
            pwfile.unlink()

    def start(self, timeout=60):
        """Start the server in the background, on 127.0.0.1 only (once)."""
        if self.process is not None and self.process.poll() is None:
            return
        self.setup()
        log = open(self.directory / "postgresql.log", "ab")  # noqa: SIM115
        if os.geteuid() == 0:
            os.chown(self.directory / "postgresql.log", self.user.pw_uid, -1)
        self.process = subprocess.Popen(
            [
                str(self.bindir / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                f"listen_addresses={self.host}",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=100",
            ],
            stdout=log,
            stderr=log,
            cwd=self.directory,
            # Ctrl-C in the terminal reaches us; we stop the server in order.
            start_new_session=True,
            **self._as_server_user(),
        )
        log.close()
        if not wait_for_port(self.host, self.port, timeout, self.process):
            self.stop()
            raise RuntimeError(
                f"PostgreSQL did not start on port {self.port}: see "
                f"{self.directory / 'postgresql.log'}"
            )
        self._ensure_database(timeout)

    def _connect(self, dbname, timeout):
        import psycopg2

        deadline = time.monotonic() + timeout
        while True:
            try:
                return psycopg2.connect(
                    dbname=dbname,
                    user="postgres",
                    password=self.superuser_password,
                    host=self.host,
                    port=self.port,
                )
            except psycopg2.OperationalError:
                # The port opens before the server accepts logins.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def _ensure_database(self, timeout):
        from psycopg2 import sql

        connection = self._connect("postgres", timeout)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(ROLE), sql.Literal(self.password)
                    )
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(DATABASE), sql.Identifier(ROLE)
                    )
                )
        connection.close()

    def stop(self, timeout=30, mode=signal.SIGINT):
        """Stop the server: SIGINT is PostgreSQL's fast shutdown (clients are
        disconnected, committed work is on disk); SIGQUIT its immediate one,
        as a crash (the next start recovers from the write-ahead log)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(mode)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self, mode=signal.SIGINT):
        self.stop(mode=mode)
        self.start()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int, default=5432)
    args = parser.parse_args(argv)
    server = PostgreSQL(args.directory, args.port)
    server.start()
    print(server.dsn)
    server.stop()


if __name__ == "__main__":
    sys.exit(main())
