"""Property-based fuzzing (hypothesis) of the third write path: POST
<page>/@composition-import.  Documents shaped like an export, with every part
open to mischief; every answer is a success or a 4xx with a message, never a
5xx, and a refused import changes nothing.  ``make fuzz`` runs it with
test_fuzz.py's example count."""

from helpers import json_values as any_json
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from plone import api

import json
import pytest
import transaction


json_values = any_json(most=4, leaves=12)
TYPES = ["heading", "richtext", "image", "teaser", "listing", "embed", "nope"]
SLOTS = ["main", "aside", "hero", "band", "x", ""]


def widgets():
    good = st.builds(
        lambda t, level: {
            "widget_type": "heading",
            "settings": {"text": t, "level": level},
        },
        st.text(max_size=60),
        st.sampled_from([2, 3, 4, 7, "2", None]),
    )
    wild = st.fixed_dictionaries(
        {},
        optional={
            "widget_type": st.sampled_from(TYPES) | json_values,
            "settings": st.dictionaries(
                st.sampled_from(["text", "level", "image", "target", "query", "x"]),
                json_values,
                max_size=4,
            )
            | json_values,
            "slot": st.sampled_from(SLOTS) | json_values,
            "id": json_values,
        },
    )
    return good | wild | json_values


documents = st.fixed_dictionaries(
    {
        "compositepage_export": st.sampled_from([1, 1, 1, 2, "1", None]),
        "layout": st.sampled_from(["one-column", "two-columns", "landing", "x"])
        | json_values,
        "slots": st.dictionaries(
            st.sampled_from(SLOTS), st.lists(widgets(), max_size=4), max_size=3
        )
        | json_values,
    },
    optional={"unplaced": st.lists(widgets(), max_size=3) | json_values},
)


# Well-formed documents too, so the fuzzing also replaces the page.
good_documents = st.builds(
    lambda layout, main, aside: {
        "compositepage_export": 1,
        "layout": layout,
        "slots": {"main": main, "aside": aside},
        "unplaced": [],
    },
    st.sampled_from(["one-column", "two-columns"]),
    st.lists(widgets(), max_size=3),
    st.lists(widgets(), max_size=2),
)


@pytest.fixture
def import_page(site):
    from compositepage import api as cp
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="import-page", layout="two-columns")
        cp.add_widget(page, "main", "heading", {"text": "Kept"})
    transaction.commit()
    return page


def test_fuzz_import(site, import_page, capsys):
    from compositepage import api as cp
    from helpers import basic_auth
    from test_fuzz import EXAMPLES

    counts = {"accepted": 0, "refused": 0}

    # deadline=None: each example is an HTTP request to the shared test
    # server, whose time says nothing about the code under test.
    @settings(max_examples=EXAMPLES, deadline=None)
    @given(
        good_documents.map(json.dumps)
        | documents.map(json.dumps)
        | json_values.map(json.dumps)
        | st.text(max_size=100)
    )
    def send(body):
        transaction.begin()
        before = cp.get_composition(import_page)
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        headers.update(basic_auth("siteadmin"))
        response = site.session.post(
            f"{site.url}/import-page/@composition-import",
            data=body.encode("utf-8", "surrogatepass"),
            headers=headers,
        )
        assert response.status_code < 500, (response.status_code, response.text[:500])
        transaction.begin()
        after = cp.get_composition(import_page)
        if response.status_code >= 400:
            data = response.json()
            message = data.get("message") or data.get("error")
            assert isinstance(message, str) and message.strip(), data
            assert after == before
            counts["refused"] += 1
        else:
            counts["accepted"] += 1

    send()
    with capsys.disabled():
        print(f"\nfuzz import: {counts}")
