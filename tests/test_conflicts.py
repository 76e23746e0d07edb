"""Concurrent edits are merged: an operation made on an older version of a
page is refused only when a change made since conflicts with it (the same
widget's settings changed, the widget moved or removed, every widget
replaced); anything else applies.  Refusals name who did what, and when,
and change nothing.  (Issue 15, item 1.)"""

from compositepage import api as cp
from compositepage.conflicts import Conflict
from plone import api

import json
import pytest
import transaction


@pytest.fixture
def people(portal):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])
    for userid, fullname in (("ada", "Ada Lovelace"), ("bob", "Bob Builder")):
        api.user.create(
            email=f"{userid}@example.org",
            username=userid,
            password="secret-password-1",
            properties={"fullname": fullname},
        )
        api.user.grant_roles(username=userid, roles=["Editor"])


@pytest.fixture
def page(portal, people):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="shared", layout="two-columns")
        for text in ("One", "Two"):
            cp.add_widget(page, "main", "heading", {"text": text})
    return page


def as_user(userid):
    return api.env.adopt_user(username=userid)


def ids(page):
    return [w["id"] for w in cp.get_composition(page)["slots"]["main"]]


def test_a_settings_change_after_an_unrelated_move_applies(page):
    one, two = ids(page)
    seen = cp.get_composition(page)["version"]
    with as_user("ada"):
        cp.move_widget(page, two, "aside", 0, version=seen)
    with as_user("bob"):
        cp.update_widget(page, one, {"text": "Bob's"}, version=seen)
    composition = cp.get_composition(page)
    assert composition["slots"]["main"][0]["settings"]["text"] == "Bob's"
    assert [w["id"] for w in composition["slots"]["aside"]] == [two]


def test_settings_are_never_overwritten_silently(page):
    one, _two = ids(page)
    seen = cp.get_composition(page)["version"]
    with as_user("ada"):
        cp.update_widget(page, one, {"text": "Ada's"}, version=seen)
    before = cp.get_composition(page)
    with as_user("bob"), pytest.raises(Conflict) as info:
        cp.update_widget(page, one, {"text": "Bob's"}, version=seen)
    assert info.value.kind == "edited"
    assert str(info.value).startswith(
        "Ada Lovelace changed the settings of this widget ("
    )
    assert info.value.current_version == seen + 1
    assert cp.get_composition(page) == before
    # Seen the new version, Bob saves over it.
    with as_user("bob"):
        cp.update_widget(page, one, {"text": "Bob's"}, version=seen + 1)
    assert cp.get_composition(page)["slots"]["main"][0]["settings"]["text"] == "Bob's"


def test_a_removed_widget_says_who_removed_it(page):
    one, _two = ids(page)
    seen = cp.get_composition(page)["version"]
    with as_user("ada"):
        cp.remove_widget(page, one, version=seen)
    for operation in (
        lambda: cp.update_widget(page, one, {"text": "Bob's"}, version=seen),
        lambda: cp.move_widget(page, one, "aside", 0, version=seen),
        lambda: cp.remove_widget(page, one, version=seen),
    ):
        with as_user("bob"), pytest.raises(Conflict) as info:
            operation()
        assert info.value.kind == "removed"
        assert str(info.value).startswith("Ada Lovelace removed this widget (")
        # What it was, for adding it again.
        assert info.value.removed["widget_type"] == "heading"
        assert info.value.removed["settings"]["text"] == "One"


@pytest.mark.parametrize(
    "first,second,conflicts",
    [
        ("move", "move", True),
        ("move", "update", False),
        ("update", "move", False),
        ("update", "update", True),
        ("update", "remove", True),
        ("move", "remove", False),
    ],
)
def test_which_changes_conflict(page, first, second, conflicts):
    one, _two = ids(page)
    seen = cp.get_composition(page)["version"]
    operations = {
        "move": lambda version: cp.move_widget(page, one, "aside", 0, version=version),
        "update": lambda version: cp.update_widget(
            page, one, {"text": "x"}, version=version
        ),
        "remove": lambda version: cp.remove_widget(page, one, version=version),
    }
    with as_user("ada"):
        operations[first](seen)
    with as_user("bob"):
        if conflicts:
            with pytest.raises(Conflict):
                operations[second](seen)
        else:
            operations[second](seen)


def test_undo_after_someone_elses_change_is_refused(page):
    one, two = ids(page)
    with as_user("bob"):
        cp.move_widget(page, two, "main", 0)
    seen = cp.get_composition(page)["version"]
    with as_user("ada"):
        cp.update_widget(page, one, {"text": "Ada's"})
    # Bob's undo would take back Ada's change, the page's latest.
    with as_user("bob"), pytest.raises(Conflict) as info:
        cp.undo(page, version=seen)
    assert info.value.kind == "page"
    assert str(info.value).startswith("Ada Lovelace changed this page since you")


def test_an_import_conflicts_with_every_widget(page):
    one, _two = ids(page)
    seen = cp.get_composition(page)["version"]
    with as_user("ada"):
        cp.replace_composition(
            page,
            "two-columns",
            [{"slot": "main", "widget_type": "heading", "settings": {"text": "New"}}],
        )
    with as_user("bob"), pytest.raises(Conflict) as info:
        cp.update_widget(page, one, {"text": "Bob's"}, version=seen)
    assert info.value.kind == "replaced"


def test_rest_if_match_is_strict_unless_merging(site):
    """PATCH: If-Match in its HTTP meaning (any change since: 412); with
    "merge": true only a conflict refuses, with a sentence saying who."""
    from helpers import basic_auth
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="rest-merge", layout="two-columns")
        one = cp.add_widget(page, "main", "heading", {"text": "One"})
        two = cp.add_widget(page, "main", "heading", {"text": "Two"})
        api.user.get(userid="editor").setMemberProperties({"fullname": "Erika Editor"})
    transaction.commit()
    seen = cp.get_composition(page)["version"]
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "If-Match": f'"{seen}"',
        **basic_auth("editor"),
    }

    def patch(body):
        return site.session.patch(
            f"{site.url}/rest-merge/@composition?expand=design",
            data=json.dumps(body),
            headers=headers,
        )

    move = {"op": "move", "id": two, "slot": "aside", "index": 0}
    assert patch({"operations": [move]}).status_code == 200
    update = {"op": "update", "id": one, "settings": {"text": "Merged"}}
    assert patch({"operations": [update]}).status_code == 412
    assert patch({"operations": [update], "merge": True}).status_code == 200
    transaction.begin()
    assert cp.get_composition(page)["slots"]["main"][0]["settings"]["text"] == "Merged"
    # The same widget again, on the old version: a conflict, said plainly.
    response = patch({"operations": [update], "merge": True})
    assert response.status_code == 412
    design = response.json()["@components"]["design"]
    assert design["error"].startswith(
        "Erika Editor changed the settings of this widget ("
    )
    assert response.json()["message"].startswith("Operation 1 (update): Erika Editor")
    assert patch({"operations": [update], "merge": "yes"}).status_code == 400
