"""What one editor operation writes to the database, on small and large pages.

Measured on the functional layer's storage (a DemoStorage whose changes are a
MappingStorage): the records of the transaction one ``move_widget`` commits.
"""

from collections import defaultdict
from compositepage import api as cp
from plone import api
from ZODB.utils import get_pickle_metadata

import transaction


def transaction_records(storage, tid):
    sizes = defaultdict(int)
    for txn in storage.changes.iterator(tid, tid):
        for record in txn:
            module, name = get_pickle_metadata(record.data)
            sizes[f"{module}.{name}"] += len(record.data)
    return dict(sizes)


def make(site, count):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id=f"page-{count}", layout="two-columns")
        for n in range(count):
            cp.add_widget(page, "main", "heading", {"text": f"H{n}"})
    return page


def measure_move(site, page):
    storage = site.portal._p_jar.db().storage
    last = cp.get_composition(page)["slots"]["main"][-1]["id"]
    with api.env.adopt_roles(["Manager"]):
        cp.move_widget(page, last, "main", 0)
    transaction.commit()
    return transaction_records(storage, storage.lastTransaction())


def test_a_move_writes_the_same_on_pages_of_5_and_500_widgets(site, capsys):
    # Both pages exist before measuring, so the catalog is the same for both.
    pages = make(site, 5), make(site, 500)
    transaction.commit()
    small, large = (measure_move(site, page) for page in pages)
    own = {
        name: size for name, size in large.items() if name.startswith("compositepage.")
    }
    with capsys.disabled():
        print(f"\nmove on 5 widgets: {sum(small.values())} bytes {small}")
        print(f"move on 500 widgets: {sum(large.values())} bytes {large}")
    # Only our small records: the moved placement, the root, one history entry.
    assert set(own) == {
        "compositepage.storage.Placement",
        "compositepage.storage.Composition",
        "compositepage.storage.HistoryEntry",
    }
    assert sum(own.values()) < 2048
    # The whole transaction (page, catalog) does not grow with the widgets.
    assert abs(sum(large.values()) - sum(small.values())) <= 0.1 * sum(small.values())
