"""Checks before ``make start`` serves: the port is free, and no server of this
checkout holds the database.  Fails with a sentence instead of a traceback."""

from pathlib import Path

import argparse
import socket
import sys


def database_in_use(instance):
    lock = instance / "var" / "filestorage" / "Data.fs.lock"
    if not lock.exists():
        return False
    from zc.lockfile import LockError
    from zc.lockfile import LockFile

    try:
        LockFile(str(lock)).close()
    except LockError:
        return True
    return False


def port_in_use(host, port):
    address = "127.0.0.1" if host == "localhost" else host
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return True
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if database_in_use(args.instance):
        sys.exit(
            f"The database in {args.instance}/var is in use: a server of this "
            "checkout is already running. Stop it (Ctrl-C) first."
        )
    if port_in_use(args.host, args.port):
        sys.exit(
            f"Port {args.port} is in use. Stop what uses it, or choose another "
            f"port: PORT={args.port + 1} make start"
        )


if __name__ == "__main__":
    main()
