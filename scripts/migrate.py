"""Copy the demo's FileStorage into PostgreSQL (``make migrate-to-postgresql``).

RelStorage's ``zodbconvert`` copies every transaction of ``var/filestorage/
Data.fs`` and every blob of ``var/blobstorage`` into the RelStorage database
that ``make start-cluster STORAGE=postgresql`` serves: the private server
under ``var/postgresql``, or the database of ``--dsn``.  It refuses a
destination that already holds data; ``--clear`` empties it first.

The same recipe moves any site: stop its instances, write the two storage
sections below (``source`` as the site's zope.conf has it, ``destination``
as the new one will) and run ``zodbconvert`` on them.
"""

from pathlib import Path

import argparse
import subprocess
import sys


ZODBCONVERT_CONF = """\
%import relstorage

<filestorage source>
  path {instance}/var/filestorage/Data.fs
  blob-dir {instance}/var/blobstorage
  read-only true
</filestorage>

<relstorage destination>
  blob-dir {instance}/var/blobcache-migration
  shared-blob-dir false
  <postgresql>
    dsn {dsn}
  </postgresql>
</relstorage>
"""


def write_config(instance, dsn):
    conf = instance / "etc" / "zodbconvert.conf"
    conf.write_text(ZODBCONVERT_CONF.format(instance=instance, dsn=dsn))
    conf.chmod(0o600)
    return conf


def convert(instance, dsn, clear=False, bin_dir=None):
    """Run zodbconvert from the FileStorage of ``instance`` into ``dsn``."""
    bin_dir = Path(bin_dir or Path(sys.executable).parent)
    conf = write_config(instance, dsn)
    command = [str(bin_dir / "zodbconvert"), str(conf)]
    if clear:
        command.insert(1, "--clear")
    return subprocess.run(command, capture_output=True, text=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--pg-port", type=int, default=8120)
    parser.add_argument("--dsn", default="")
    parser.add_argument(
        "--clear", action="store_true", help="empty the destination database first"
    )
    args = parser.parse_args(argv)
    instance = args.instance.resolve()
    from preflight import database_in_use

    if database_in_use(instance):
        sys.exit(
            f"The database in {instance}/var is in use: stop the server of this "
            "checkout (Ctrl-C) before copying it."
        )
    server = None
    dsn = args.dsn
    if not dsn:
        from postgresql import PostgreSQL

        server = PostgreSQL(instance / "var" / "postgresql", args.pg_port)
        server.start()
        dsn = server.dsn
    try:
        result = convert(instance, dsn, clear=args.clear)
    finally:
        if server is not None:
            server.stop()
    sys.stdout.write(result.stdout)
    if result.returncode:
        sys.stderr.write(result.stderr)
        if "has data" in (result.stderr + result.stdout):
            sys.exit(
                "The PostgreSQL database already holds a site: nothing was "
                "copied. To replace it with the demo's Data.fs: "
                "make migrate-to-postgresql CLEAR=1"
            )
        sys.exit("zodbconvert failed: see its messages above.")
    print(
        "Copied Data.fs and its blobs into PostgreSQL. Serve them with: "
        "make start-cluster STORAGE=postgresql"
    )


if __name__ == "__main__":
    main()
