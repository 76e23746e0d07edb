"""compositepage.zeoserver: a ZEO server restarted while its clients stay
connected never hands out an object id twice (docs/operations.md).

A ZEO client keeps the new object ids it fetched in advance when the server
goes away; a FileStorage that starts again counts from its highest stored id.
The server of scripts/cluster.py starts its storage inside ``<oid-headroom>``,
which begins each start's ids above every id handed out before.
"""

from pathlib import Path

import pytest
import sys


sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))


def storage_conf(directory, headroom=None):
    setting = f"  headroom {headroom}\n" if headroom is not None else ""
    return (
        "%import compositepage.zeoserver\n"
        "<oid-headroom>\n"
        f"  record {directory}/Data.fs.oids\n{setting}"
        f"  <filestorage>\n    path {directory}/Data.fs\n  </filestorage>\n"
        "</oid-headroom>\n"
    )


def open_storage(directory, headroom=None):
    import ZODB.config

    return ZODB.config.storageFromString(storage_conf(directory, headroom))


def first_new_id(directory, headroom=None):
    from ZODB.utils import u64

    storage = open_storage(directory, headroom)
    try:
        return u64(storage.new_oid())
    finally:
        storage.close()


def test_each_start_begins_above_the_previous_one(tmp_path):
    """Also when nothing was stored between two starts: a margin over the
    highest stored id alone would hand out the same ids again."""
    assert first_new_id(tmp_path, 1000) == 1 + 1000 + 1
    assert first_new_id(tmp_path, 1000) == 1001 + 1000 + 1
    assert (tmp_path / "Data.fs.oids").read_text() == "2001\n"


def test_each_start_begins_above_the_stored_ids(tmp_path):
    from persistent.mapping import PersistentMapping
    from ZODB.utils import u64

    import transaction
    import ZODB

    db = ZODB.DB(open_storage(tmp_path, 1000))
    connection = db.open()
    connection.root()["page"] = PersistentMapping()
    transaction.commit()
    stored = u64(connection.root()["page"]._p_oid)
    db.close()
    assert stored == 1002
    # The record is gone (a copied Data.fs): the stored ids still count.
    (tmp_path / "Data.fs.oids").unlink()
    assert first_new_id(tmp_path, 1000) == stored + 1 + 1000 + 1


def test_default_headroom(tmp_path):
    from compositepage.zeoserver import DEFAULT_HEADROOM

    assert DEFAULT_HEADROOM == 2**32
    assert first_new_id(tmp_path) == DEFAULT_HEADROOM + 2


def test_headroom_must_be_positive(tmp_path):
    import ZConfig

    with pytest.raises(ZConfig.DataConversionError, match="headroom must be 1"):
        open_storage(tmp_path, 0)


def test_unreadable_record_stops_the_start(tmp_path):
    (tmp_path / "Data.fs.oids").write_text("half\n")
    with pytest.raises(ValueError, match="should hold the object id"):
        open_storage(tmp_path)
    # The storage was closed again: it opens once the record is readable.
    (tmp_path / "Data.fs.oids").write_text("7\n")
    assert first_new_id(tmp_path, 10) == 7 + 10 + 1


def test_read_only_storage_is_left_alone(tmp_path):
    from compositepage.zeoserver import raise_max_oid
    from ZODB.FileStorage import FileStorage

    FileStorage(str(tmp_path / "Data.fs")).close()
    storage = FileStorage(str(tmp_path / "Data.fs"), read_only=True)
    try:
        assert raise_max_oid(storage, tmp_path / "Data.fs.oids") is None
    finally:
        storage.close()
    assert not (tmp_path / "Data.fs.oids").exists()


def test_storage_without_set_max_oid_is_refused(tmp_path):
    from compositepage.zeoserver import raise_max_oid
    from ZODB.MappingStorage import MappingStorage

    with pytest.raises(TypeError, match="cannot raise its highest object id"):
        raise_max_oid(MappingStorage(), tmp_path / "Data.fs.oids")


def test_restarted_zeo_server_hands_out_no_id_twice(tmp_path):
    """Client A holds ids it fetched before the server's restarts; client B
    asks for ids after them: no id goes to both.  (With the FileStorage
    section alone, B gets exactly the ids A still holds.)"""
    from cluster import free_port
    from cluster import ZEOServer
    from ZEO.ClientStorage import ClientStorage

    (tmp_path / "etc").mkdir()
    (tmp_path / "var" / "filestorage").mkdir(parents=True)
    server = ZEOServer(tmp_path, free_port())
    server.start()
    clients = []
    try:
        first = ClientStorage((server.host, server.port), wait_timeout=60)
        clients.append(first)
        before = [first.new_oid()]  # fetches a batch, keeps the rest
        # Twice, and nothing stored in between: a crash, then a clean stop.
        server.restart(hard=True)
        server.restart()
        second = ClientStorage((server.host, server.port), wait_timeout=60)
        clients.append(second)
        after = [second.new_oid() for _ in range(100)]
        # The first client reconnects and goes on with the ids it kept.
        before += [first.new_oid() for _ in range(99)]
        assert not set(before) & set(after)
        assert len(set(before)) == len(before) == len(set(after)) == 100
    finally:
        for client in clients:
            client.close()
        server.stop()
    log = (tmp_path / "var" / "log" / "zeo.log").read_text()
    assert log.count("no id handed out before this start") == 3


def test_documented_zeo_conf_loads(tmp_path):
    """The zeo.conf of docs/operations.md is what ZEO's runzeo reads (with
    ZEO's schema.xml, as runzeo does)."""
    from ZODB.FileStorage import FileStorage

    import io
    import re
    import ZConfig
    import ZEO

    text = (Path(__file__).parent.parent / "docs" / "operations.md").read_text()
    (conf,) = [
        block
        for _, block in re.findall(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M)
        if "%import compositepage.zeoserver" in block
    ]
    (tmp_path / "filestorage").mkdir()
    conf = conf.replace("/srv/plone/var", str(tmp_path))
    schema = ZConfig.loadSchema(str(Path(ZEO.__file__).parent / "schema.xml"))
    config, _ = ZConfig.loadConfigFile(schema, io.StringIO(conf))
    (opener,) = config.storages
    assert opener.name == "1"
    storage = opener.open()
    try:
        assert isinstance(storage, FileStorage)
    finally:
        storage.close()
    assert (tmp_path / "filestorage" / "Data.fs.oids").read_text() == f"{2**32 + 1}\n"
