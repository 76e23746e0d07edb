"""A ZEO server's storage that never hands out an object id twice across
restarts (``%import compositepage.zeoserver``, ``<oid-headroom>`` in
zeo.conf; docs/operations.md).

Why it is needed.  A ZEO client (ZEO 6.2's ``ClientStorage.new_oid``) fetches
new object ids from the server in batches of up to 100
(``StorageServer.new_oids``) and keeps the ones it has not used yet.  Nothing
drops them when the connection drops: neither ``notify_disconnected`` nor
``notify_connected`` touches the list (ZEO 3 emptied it on connecting; the
asyncio rewrite of ZEO 5 no longer does).  A FileStorage, on the other hand,
remembers no id it handed out, only the objects it stored: when it opens, its
next id follows the highest stored one (``read_index``; the ``.index`` file
keeps no counter either).  So a ZEO server restarted, or crashed, while its
clients stay connected hands out again ids that a client still holds, to
another client or another thread.  Two new objects then get one id, and the
write that meets it second fails: ``ValueError: A different object already has
the same oid`` from the connection's object cache (Zope answers 500), or a
ConflictError from the storage.

What this does.  Each start of the server hands out ids from a point at least
``headroom`` above where the previous start began, and above every stored id.
The point is kept in a small file of its own (``record``), written before the
server accepts a client: raising the storage's highest id by a margin over
the highest *stored* one would not do, because a run that stores no new
object (a restart soon after another, or edits that only change objects)
leaves that id where it was, and the next start would hand out the same ids
again.  The storage's highest id is raised with ``set_max_oid``, the public
method ``ZODB.BaseStorage.BaseStorage`` gives every storage derived from it,
FileStorage among them (FileStorage calls it itself for each stored id).

So no id is handed out twice as long as each run of the server hands out
fewer than ``headroom`` ids; the default, 2**32, is four billion new objects
in one run, and the 64-bit id space leaves room for 2**32 starts.

The client side offers no public way to drop the fetched ids on reconnecting
(``ClientStorage._oids`` is private), and ZEO's server knows no more than its
storage, so the start of the storage is the one place a site can fix it.
"""

from pathlib import Path
from ZODB.config import BaseConfig
from ZODB.utils import p64
from ZODB.utils import u64

import logging
import os


logger = logging.getLogger(__name__)

DEFAULT_HEADROOM = 2**32

_MAX_OID = 2**64 - 1


def headroom(value):
    """ZConfig datatype of the ``headroom`` key: a positive whole number."""
    number = int(value)
    if number < 1:
        raise ValueError(f"headroom must be 1 or more, not {value}")
    return number


def read_record(record):
    """Where the previous start began handing out ids (0 when no start was
    recorded yet).

    :raises ValueError: when the file holds something else.
    """
    try:
        text = Path(record).read_text(encoding="ascii")
    except FileNotFoundError:
        return 0
    except UnicodeDecodeError:
        text = None
    if text is None or not text.strip().isdigit():
        raise ValueError(
            f"{record} should hold the object id where the ZEO server's "
            "last start began, a whole number, and does not.  Stop the Zope "
            "instances, move the file aside and start the ZEO server again: "
            "it then counts from the highest stored id."
        )
    return int(text)


def write_record(record, start):
    """Write ``start`` to ``record`` so that a crash leaves the old value or
    the new one, never half of it."""
    record = Path(record)
    temporary = record.with_name(record.name + ".tmp")
    with open(temporary, "w", encoding="ascii") as stream:
        stream.write(f"{start}\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, record)
    directory = os.open(record.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def raise_max_oid(storage, record, headroom=DEFAULT_HEADROOM):
    """Make ``storage`` hand out its new object ids from at least
    ``headroom`` above where the start recorded in ``record`` began and above
    every id it stored; records the new start and answers the first id it
    will hand out, or None for a read-only storage, which hands out none.

    :raises TypeError: when the storage cannot raise its highest id
        (it has no ``set_max_oid``).
    :raises ValueError: when ``record`` is unreadable or the 64-bit id space
        has no room left.
    """
    if storage.isReadOnly():
        return None
    set_max_oid = getattr(storage, "set_max_oid", None)
    if set_max_oid is None:
        raise TypeError(
            f"The storage {storage.getName()!r} cannot raise its highest "
            "object id (it has no set_max_oid); use <oid-headroom> with a "
            "FileStorage or another storage derived from ZODB's BaseStorage."
        )
    previous = read_record(record)
    # new_oid is the one public way to learn where the storage stands: one
    # above the highest stored id (that id is skipped with the rest).
    stored = u64(storage.new_oid())
    start = max(stored, previous) + headroom
    if start >= _MAX_OID:
        raise ValueError(
            f"The storage {storage.getName()!r} has no room left for "
            f"{headroom} more object ids; lower the headroom."
        )
    write_record(record, start)
    set_max_oid(p64(start))
    logger.info(
        "Storage %r hands out new object ids from %d on (the previous start "
        "began at %d, the highest stored id is %d): no id handed out before "
        "this start is handed out again",
        storage.getName(),
        start + 1,
        previous,
        stored - 1,
    )
    return start + 1


class OidHeadroom(BaseConfig):
    """The ``<oid-headroom>`` section: opens the storage inside it and raises
    its highest object id.  It answers that storage itself, not a wrapper,
    so the ZEO server serves it with every interface it has."""

    def open(self):
        storage = self.config.base.open()
        try:
            raise_max_oid(storage, self.config.record, self.config.headroom)
        except BaseException:
            storage.close()
            raise
        return storage
