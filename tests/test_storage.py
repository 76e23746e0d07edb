"""The storage of compositions, without a Plone site, and what a write costs."""

from ZODB.utils import get_pickle_metadata

import pytest
import transaction


def test_order_keys_sort_between_neighbours():
    from compositepage.ordering import is_key
    from compositepage.ordering import key_between
    from compositepage.ordering import spread
    from hypothesis import given
    from hypothesis import settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=120))
    def check(positions):
        keys = []
        for position in positions:
            index = position % (len(keys) + 1)
            before = keys[index - 1] if index else None
            after = keys[index] if index < len(keys) else None
            key = key_between(before, after)
            assert is_key(key)
            assert before is None or before < key
            assert after is None or key < after
            keys.insert(index, key)
        assert keys == sorted(keys)

    check()
    for count in (0, 1, 35, 36, 1295, 1296, 5000):
        keys = spread(count)
        assert len(keys) == len(set(keys)) == count
        assert keys == sorted(keys) and all(map(is_key, keys))


def test_key_between_refuses_wrong_order():
    from compositepage.ordering import key_between

    with pytest.raises(ValueError):
        key_between("b", "a")


@pytest.fixture
def db(tmp_path):
    from ZODB import DB
    from ZODB.FileStorage import FileStorage

    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    yield database
    database.close()


def fill(connection, count):
    from compositepage.ordering import spread
    from compositepage.storage import Composition
    from compositepage.storage import Placement

    composition = Composition("two-columns")
    for n, key in enumerate(spread(count)):
        placement_id = f"{n:032x}"
        composition.placements[placement_id] = Placement(
            id=placement_id,
            widget_type="heading",
            slot="main",
            order=key,
            settings={"text": f"Heading {n}", "level": 2},
            derived={"text": f"Heading {n}"},
        )
    composition.count = count
    connection.root()["composition"] = composition
    transaction.commit()
    return composition


def last_transaction_records(storage):
    last = storage.lastTransaction()
    return [
        (get_pickle_metadata(record.data), len(record.data))
        for txn in storage.iterator(start=last, stop=last)
        for record in txn
    ]


def test_ordered_and_in_slot(db):
    from compositepage.storage import Placement

    connection = db.open()
    composition = fill(connection, 5)
    composition.placements["aside"] = Placement(
        "aside", "heading", "aside", "k", {}, {}
    )
    assert [p.id for p in composition.in_slot("aside")] == ["aside"]
    assert [p.slot for p in composition.ordered()] == ["aside"] + ["main"] * 5
    transaction.abort()
    connection.close()


@pytest.mark.parametrize("count", [5, 500])
def test_a_move_writes_a_few_small_records(db, count):
    """Moving one widget rewrites that placement and the root, never a list."""
    from compositepage.ordering import key_between
    from compositepage.storage import HistoryEntry

    connection = db.open()
    composition = fill(connection, count)
    placements = composition.in_slot("main")
    moved = placements[-1]
    moved.order = key_between(None, placements[0].order)
    composition.version += 1
    entry = HistoryEntry({"op": "move"}, {"op": "move"}, composition.undo_head)
    composition.undo_head = entry
    transaction.commit()
    records = last_transaction_records(db.storage)
    classes = sorted(name for (module, name), size in records)
    assert classes == ["Composition", "HistoryEntry", "Placement"]
    assert sum(size for _, size in records) < 1024
    connection.close()
