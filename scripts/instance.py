"""Create and configure the Zope WSGI instance of ``make start``.

The skeleton comes from Zope's own ``mkwsgiinstance`` (which also writes the
``inituser`` file); this script then writes the two files we care about:
``etc/zope.conf`` with FileStorage and blobs under ``var/``, and
``etc/zope.ini`` with the host and port asked for on this start.
"""

from importlib.metadata import version
from pathlib import Path

import argparse
import subprocess
import sys


# What every instance has, whatever its storage (the cluster's ZEO clients too).
ZOPE_CONF_HEAD = """\
%define INSTANCE {instance}
instancehome $INSTANCE
debug-mode off
security-policy-implementation C
verbose-security off
default-zpublisher-encoding utf-8

<environment>
  CHAMELEON_CACHE $INSTANCE/var/cache
  zope_i18n_compile_mo_files true
</environment>
"""

ZOPE_CONF = (
    ZOPE_CONF_HEAD
    + """
<zodb_db main>
  <filestorage>
    path $INSTANCE/var/filestorage/Data.fs
    blob-dir $INSTANCE/var/blobstorage
  </filestorage>
  cache-size 30000
  mount-point /
</zodb_db>

<dos_protection>
  form-memory-limit 4MB
</dos_protection>
"""
)

ZOPE_INI = """\
[app:zope]
use = egg:Zope#main
zope_conf = %(here)s/zope.conf

[server:main]
use = egg:waitress#main
listen = {host}:{port}
threads = 4
clear_untrusted_proxy_headers = false

[filter:translogger]
use = egg:Paste#translogger
setup_console_handler = False

[pipeline:main]
pipeline =
    egg:Zope#httpexceptions
    translogger
    zope

[loggers]
keys = root, waitress.queue, waitress, wsgi

[handlers]
keys = console, accesslog, eventlog

[formatters]
keys = generic, message

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s:%(lineno)s][%(threadName)s] %(message)s
datefmt = %Y-%m-%d %H:%M:%S

[formatter_message]
format = %(message)s

[logger_root]
level = INFO
handlers = console, eventlog

[logger_waitress.queue]
level = INFO
handlers = eventlog
qualname = waitress.queue
propagate = 0

[logger_waitress]
level = INFO
handlers = console, eventlog
qualname = waitress
propagate = 0

[logger_wsgi]
level = WARN
handlers = accesslog
qualname = wsgi
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[handler_accesslog]
class = FileHandler
args = (r'{instance}/var/log/access.log', 'a')
level = INFO
formatter = message

[handler_eventlog]
class = FileHandler
args = (r'{instance}/var/log/event.log', 'a')
level = INFO
formatter = generic
"""


def plone_version():
    """The Plone release line of this environment, e.g. ``6.2``."""
    return ".".join(version("Products.CMFPlone").split(".")[:2])


def check_plone_version(instance):
    """Refuse a database made by another Plone version.

    Each Plone version serves its own instance (see the Makefile), and the
    instance records the version its database was made with.  A database
    without that record was made by a checkout that served Plone 6.1 only.
    """
    marker = instance / "var" / "plone-version"
    current = plone_version()
    if marker.exists():
        made = marker.read_text().strip()
    elif (instance / "var" / "filestorage" / "Data.fs").exists():
        made = "6.1"
    else:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(current + "\n")
        return
    if made != current:
        sys.exit(
            f"{instance} holds a database of Plone {made}, and this environment "
            f"runs Plone {current}. Serve it with PLONE={made} make start, or "
            f"move {instance} away to start afresh on Plone {current}."
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", default="8080")
    parser.add_argument("--admin-password", default="admin")
    args = parser.parse_args(argv)
    instance = args.directory.resolve()
    check_plone_version(instance)
    if not (instance / "etc" / "site.zcml").exists():
        subprocess.run(
            [
                str(Path(sys.executable).parent / "mkwsgiinstance"),
                "-d",
                str(instance),
                "-u",
                f"admin:{args.admin_password}",
            ],
            check=True,
        )
    for sub in ("var/filestorage", "var/blobstorage", "var/log", "var/cache"):
        (instance / sub).mkdir(parents=True, exist_ok=True)
    (instance / "var" / "blobstorage").chmod(0o700)
    (instance / "etc" / "zope.conf").write_text(ZOPE_CONF.format(instance=instance))
    (instance / "etc" / "zope.ini").write_text(
        ZOPE_INI.format(instance=instance, host=args.host, port=args.port)
    )


if __name__ == "__main__":
    main()
