"""Columns that editors make: a columns widget has slots of its own,
addressed as "<placement id>/col-N" wherever a slot name goes (issue 18)."""

from compositepage import api as cp
from plone import api

import pytest


@pytest.fixture
def page(portal):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="columns-page", layout="two-columns")
        yield page


def texts(widgets):
    return [w["settings"].get("text") for w in widgets]


def columns_of(page, cid):
    (container,) = [
        w
        for slot in cp.get_composition(page)["slots"].values()
        for w in slot
        if w["id"] == cid
    ]
    return container["slots"]


@pytest.mark.parametrize(
    "grid,count",
    [
        ("50-50", 2),
        ("33-33-33", 3),
        ("66-33", 2),
        ("33-66", 2),
        ("25-75", 2),
        ("75-25", 2),
        ("25-25-25-25", 4),
    ],
)
def test_each_grid_has_its_columns(page, grid, count):
    cid = cp.add_widget(page, "main", "columns", {"layout": grid})
    slots = columns_of(page, cid)
    assert list(slots) == [f"col-{n}" for n in range(1, count + 1)]
    cp.add_widget(page, f"{cid}/col-{count}", "heading", {"text": "Last"})
    assert texts(columns_of(page, cid)[f"col-{count}"]) == ["Last"]
    with pytest.raises(cp.InvalidOperation, match="has no slot"):
        cp.add_widget(page, f"{cid}/col-{count + 1}", "heading", {"text": "x"})


def test_widgets_move_into_between_and_out_of_columns(page):
    cid = cp.add_widget(page, "main", "columns", {"layout": "33-33-33"})
    a = cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "A"})
    b = cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "B"})
    outside = cp.add_widget(page, "aside", "heading", {"text": "Out"})
    cp.move_widget(page, b, f"{cid}/col-2", 0)
    cp.move_widget(page, outside, f"{cid}/col-2", 0)
    cp.move_widget(page, a, f"{cid}/col-1", 0)  # already there: nothing
    columns = columns_of(page, cid)
    assert texts(columns["col-1"]) == ["A"]
    assert texts(columns["col-2"]) == ["Out", "B"]
    cp.move_widget(page, a, "aside", 0)
    assert texts(columns_of(page, cid)["col-1"]) == []
    assert texts(cp.get_composition(page)["slots"]["aside"]) == ["A"]


def test_fewer_columns_lose_nothing(page):
    cid = cp.add_widget(page, "main", "columns", {"layout": "25-25-25-25"})
    for number in range(1, 5):
        cp.add_widget(page, f"{cid}/col-{number}", "heading", {"text": f"T{number}"})
    cp.update_widget(page, cid, {"layout": "50-50"})
    columns = columns_of(page, cid)
    assert list(columns) == ["col-1", "col-2"]
    assert texts(columns["col-1"]) == ["T1"]
    assert texts(columns["col-2"]) == ["T2", "T3", "T4"]
    # Undo brings the four columns back, each widget in its own.
    cp.undo(page)
    columns = columns_of(page, cid)
    assert [texts(columns[f"col-{n}"]) for n in range(1, 5)] == [
        ["T1"],
        ["T2"],
        ["T3"],
        ["T4"],
    ]


def test_columns_may_not_hold_columns(page):
    cid = cp.add_widget(page, "main", "columns", {})
    with pytest.raises(cp.InvalidOperation, match="may not hold another"):
        cp.add_widget(page, f"{cid}/col-1", "columns", {})
    other = cp.add_widget(page, "main", "columns", {})
    with pytest.raises(cp.InvalidOperation, match="may not hold another"):
        cp.move_widget(page, other, f"{cid}/col-2", 0)
    with pytest.raises(cp.InvalidOperation, match="into itself"):
        cp.move_widget(page, cid, f"{cid}/col-2", 0)


def test_slot_rules_apply_to_the_columns_widget(portal):
    """The landing page's hero takes headings only: no columns there; its
    band's rules do not reach into a columns widget's slots."""
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="landing-columns", layout="landing")
        with pytest.raises(cp.InvalidOperation, match="does not take"):
            cp.add_widget(page, "hero", "columns", {})


def test_removal_and_undo_treat_the_columns_widget_as_one(page):
    cid = cp.add_widget(page, "main", "columns", {})
    cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "Left"})
    cp.add_widget(page, f"{cid}/col-2", "heading", {"text": "Right"})
    cp.remove_widget(page, cid)
    composition = cp.get_composition(page)
    assert composition["slots"]["main"] == []
    from compositepage.storage import query_composition

    assert len(query_composition(page).placements) == 0
    assert query_composition(page).count == 0
    cp.undo(page)
    columns = columns_of(page, cid)
    assert texts(columns["col-1"]) == ["Left"]
    assert texts(columns["col-2"]) == ["Right"]
    assert query_composition(page).count == 3


def test_a_layout_switch_sends_it_whole_to_the_tray_and_back(page):
    cid = cp.add_widget(page, "aside", "columns", {})
    cp.add_widget(page, f"{cid}/col-2", "heading", {"text": "Inside"})
    cp.set_layout(page, "one-column")
    composition = cp.get_composition(page)
    (tray,) = composition["unplaced"]
    assert tray["id"] == cid and texts(tray["slots"]["col-2"]) == ["Inside"]
    cp.set_layout(page, "two-columns")
    assert texts(columns_of(page, cid)["col-2"]) == ["Inside"]


def test_the_real_page_is_a_bootstrap_row(page):
    cid = cp.add_widget(page, "main", "columns", {"layout": "66-33"})
    cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "Wide"})
    cp.add_widget(page, f"{cid}/col-2", "heading", {"text": "Narrow"})
    html = page.restrictedTraverse("@@compositepage_view")()
    row = html[html.index('<div class="row gy-3 mb-3 compositepage-columns">') :]
    wide, narrow = row.index("col-md-8"), row.index("col-md-4")
    assert wide < row.index("Wide") < narrow < row.index("Narrow")


def test_the_floor_plan_names_the_grid(page):
    cp.add_widget(page, "main", "columns", {"layout": "33-66"})
    html = page.restrictedTraverse("@@design")()
    assert "Narrow and wide" in html
    assert "grid_33_66" not in html


def test_search_finds_the_words_in_columns(page):
    cid = cp.add_widget(page, "main", "columns", {})
    cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "Marzipan"})
    (brain,) = api.content.find(SearchableText="Marzipan")
    assert brain.getId == "columns-page"


def test_export_and_import_keep_the_columns(page, portal):
    from compositepage.restapi.serializer import serialize_composition
    from compositepage.restapi.services.composition_import.post import widgets_of
    from helpers import make_page

    cid = cp.add_widget(page, "main", "columns", {"layout": "33-33-33"})
    cp.add_widget(page, f"{cid}/col-3", "heading", {"text": "Third"})
    document = serialize_composition(page, None, export=True)
    (exported,) = document["slots"]["main"]
    assert texts(exported["slots"]["col-3"]) == ["Third"]
    with api.env.adopt_roles(["Manager"]):
        other = make_page(portal, id="imported", layout="two-columns")
        cp.replace_composition(other, "two-columns", widgets_of(document))
    (copied,) = cp.get_composition(other)["slots"]["main"]
    assert copied["id"] != cid
    assert texts(copied["slots"]["col-3"]) == ["Third"]


# The clipboard: copy, cut and paste, within a page and between pages.


@pytest.fixture
def pages(portal):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        source = make_page(portal, id="source", layout="two-columns")
        target = make_page(portal, id="target", layout="two-columns")
        yield source, target


def test_copy_and_paste_between_pages(pages):
    source, target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    cid = cp.add_widget(source, "main", "columns", {})
    cp.add_widget(source, f"{cid}/col-2", "heading", {"text": "Inside"})
    cp.add_widget(target, "main", "heading", {"text": "Existing"})
    new = cp.paste_widgets(target, source.UID(), [one, cid], "main", index=0)
    slots = cp.get_composition(target)["slots"]
    assert [w["widget_type"] for w in slots["main"]] == [
        "heading",
        "columns",
        "heading",
    ]
    assert [w["id"] for w in slots["main"][:2]] == new and one not in new
    assert texts(slots["main"][1]["slots"]["col-2"]) == ["Inside"]
    # A copy leaves the source as it was; undo on the target takes it back.
    assert len(cp.get_composition(source)["slots"]["main"]) == 2
    cp.undo(target)
    assert texts(cp.get_composition(target)["slots"]["main"]) == ["Existing"]


def test_cut_removes_the_originals_and_their_undo_brings_them_back(pages):
    source, target = pages
    cid = cp.add_widget(source, "aside", "columns", {})
    cp.add_widget(source, f"{cid}/col-1", "heading", {"text": "Left"})
    cp.paste_widgets(target, source.UID(), [cid], "main", cut=True)
    assert cp.get_composition(source)["slots"]["aside"] == []
    (pasted,) = cp.get_composition(target)["slots"]["main"]
    assert texts(pasted["slots"]["col-1"]) == ["Left"]
    cp.undo(source)
    (back,) = cp.get_composition(source)["slots"]["aside"]
    assert back["id"] == cid and texts(back["slots"]["col-1"]) == ["Left"]


def test_paste_into_the_same_page_duplicates(pages):
    source, _target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    (copy,) = cp.paste_widgets(source, source.UID(), [one], "main", index=1)
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["One", "One"]
    assert copy != one


def test_paste_follows_the_target_slot_rules(portal, pages):
    from helpers import make_page

    source, _target = pages
    with api.env.adopt_roles(["Manager"]):
        landing = make_page(portal, id="landing-paste", layout="landing")
    cid = cp.add_widget(source, "main", "columns", {})
    before = cp.get_composition(landing)
    with pytest.raises(cp.InvalidOperation, match="does not take"):
        cp.paste_widgets(landing, source.UID(), [cid], "hero")
    inner = cp.add_widget(landing, "band", "columns", {})
    with pytest.raises(cp.InvalidOperation, match="may not hold another"):
        cp.paste_widgets(landing, source.UID(), [cid], f"{inner}/col-1")
    assert cp.get_composition(landing)["slots"]["hero"] == before["slots"]["hero"]


def test_paste_needs_view_on_the_source_and_cut_needs_design(portal, pages):
    from AccessControl import Unauthorized

    source, target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    # Both may design the target; the source is private, and only the
    # reader may see it.
    for userid in ("outsider", "reader"):
        api.user.create(
            email=f"{userid}@example.org", username=userid, password="secret-1x"
        )
        api.user.grant_roles(username=userid, obj=target, roles=["Editor"])
    api.user.grant_roles(username="reader", obj=source, roles=["Reader"])
    before = cp.get_composition(target)
    with api.env.adopt_user(username="outsider"):
        with pytest.raises(Unauthorized, match="may not see the page"):
            cp.paste_widgets(target, source.UID(), [one], "main")
    with api.env.adopt_user(username="reader"):
        with pytest.raises(Unauthorized, match="may not change the page"):
            cp.paste_widgets(target, source.UID(), [one], "main", cut=True)
        assert cp.get_composition(target) == before
        cp.paste_widgets(target, source.UID(), [one], "main")
    assert len(cp.get_composition(target)["slots"]["main"]) == 1
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["One"]


@pytest.mark.parametrize(
    "source,ids,problem",
    [
        ("0" * 32, ["x"], "copied from is gone"),
        (None, ["x"], "copied from is gone"),
        ("own", [], "list of 1 to"),
        ("own", "abc", "list of 1 to"),
        ("own", ["nope"], "no longer on the page “[^”]+”: it was removed"),
    ],
)
def test_bad_pastes_change_nothing(pages, source, ids, problem):
    page, _target = pages
    cp.add_widget(page, "main", "heading", {"text": "One"})
    before = cp.get_composition(page)
    with pytest.raises(cp.InvalidOperation, match=problem):
        cp.paste_widgets(page, page.UID() if source == "own" else source, ids, "main")
    assert cp.get_composition(page) == before


# What pastes, duplicates and their undo say (from the clipboard try-out).


def said(page, operation):
    """What performing ``operation`` on ``page`` says, in English."""
    from compositepage.operations import perform
    from zope.globalrequest import getRequest
    from zope.i18n import translate

    done = perform(page, operation)
    return translate(done.operation.describe(page), context=getRequest())


def test_undo_of_a_paste_of_several_counts_them(pages):
    source, target = pages
    ids = [
        cp.add_widget(source, "main", "heading", {"text": text})
        for text in ("One", "Two", "Three")
    ]
    paste = {"op": "paste", "source": source.UID(), "ids": ids, "slot": "main"}
    assert said(target, paste) == "3 widgets pasted into Main."
    assert said(target, {"op": "undo"}) == "Undone: 3 widgets pasted."
    assert cp.get_composition(target)["slots"]["main"] == []
    assert said(target, {"op": "redo"}) == "Redone: 3 widgets pasted."
    # One widget pasted is named by its type.
    assert said(target, {**paste, "ids": ids[:1]}) == (
        "Heading pasted into Main, position 4 of 4."
    )
    assert said(target, {"op": "undo"}) == "Undone: Heading pasted."


def test_a_paste_into_the_same_page_says_it_duplicated(pages):
    source, _target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    cid = cp.add_widget(source, "main", "columns", {})
    paste = {"op": "paste", "source": source.UID(), "ids": [one], "slot": "main"}
    assert said(source, {**paste, "index": 1}) == (
        "Heading duplicated; the copy is in Main, position 2 of 3."
    )
    assert said(source, {"op": "undo"}) == "Undone: Heading duplicated."
    assert said(source, {"op": "redo"}) == "Redone: Heading duplicated."
    assert said(source, {**paste, "ids": [one, cid], "slot": "aside"}) == (
        "2 widgets duplicated; the copies are in Sidebar."
    )
    assert said(source, {"op": "undo"}) == "Undone: 2 widgets duplicated."
    # A cut pasted into its own page is not a duplicate: the original goes.
    cut = {**paste, "cut": True, "index": 0}
    assert said(source, cut) == "Heading moved to Main, position 1 of 3."
    assert texts(cp.get_composition(source)["slots"]["main"]) == [
        "One",
        "One",
        None,
    ]


def test_a_cut_pasted_on_its_own_page_moves_in_one_step(pages):
    """Cut and pasted on the same page, widgets move: they keep their ids
    (and a columns widget its children), and one undo puts them all back
    (it took two, and after the first the page held them twice)."""
    source, _target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    cid = cp.add_widget(source, "main", "columns", {})
    cp.add_widget(source, f"{cid}/col-2", "heading", {"text": "Inside"})
    cp.add_widget(source, "aside", "heading", {"text": "Aside"})
    before = cp.get_composition(source)
    cut = {"op": "paste", "source": source.UID(), "ids": [one, cid], "cut": True}
    assert said(source, {**cut, "slot": "aside", "index": 1}) == (
        "2 widgets moved to Sidebar."
    )
    after = cp.get_composition(source)
    assert after["slots"]["main"] == []
    assert [w["id"] for w in after["slots"]["aside"]][1:] == [one, cid]
    assert texts(after["slots"]["aside"][2]["slots"]["col-2"]) == ["Inside"]
    assert said(source, {"op": "undo"}) == "Undone: 2 widgets moved."
    assert cp.get_composition(source)["slots"] == before["slots"]
    assert said(source, {"op": "redo"}) == "Redone: 2 widgets moved."
    assert [w["id"] for w in cp.get_composition(source)["slots"]["aside"]][1:] == [
        one,
        cid,
    ]
    # One widget cut and pasted is named, with where it went.
    assert said(source, {**cut, "ids": [one], "slot": "main"}) == (
        "Heading moved to Main, position 1 of 1."
    )
    assert said(source, {"op": "undo"}) == "Undone: Heading moved."


def test_undo_of_a_paste_cut_from_another_page_says_where_it_went(pages):
    """Undone on the page it was pasted on, a cut widget is on neither page
    until the cut is undone on its own page: the undo says so."""
    source, target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    paste = {"op": "paste", "source": source.UID(), "ids": [one], "slot": "main"}
    assert said(target, {**paste, "cut": True}) == (
        "Heading pasted into Main, position 1 of 1."
    )
    assert said(target, {"op": "undo"}) == (
        "Undone: Heading pasted. It was cut from “A composite page”; undo "
        "there to bring it back."
    )
    assert cp.get_composition(target)["slots"]["main"] == []
    assert cp.get_composition(source)["slots"]["main"] == []
    # Once the cut is undone on its page, there is nothing more to say.
    assert said(target, {"op": "redo"}) == "Redone: Heading pasted."
    # Undone on its own page, the cut says it was one (not "removed").
    assert said(source, {"op": "undo"}) == "Undone: Heading cut."
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["One"]
    assert said(target, {"op": "undo"}) == "Undone: Heading pasted."
    # A copy says nothing more either.
    said(target, paste)
    assert said(target, {"op": "undo"}) == "Undone: Heading pasted."
    # Several cut widgets.
    two = cp.add_widget(source, "main", "heading", {"text": "Two"})
    said(target, {**paste, "ids": [one, two], "cut": True})
    assert said(target, {"op": "undo"}) == (
        "Undone: 2 widgets pasted. They were cut from “A composite page”; undo "
        "there to bring them back."
    )
    assert said(source, {"op": "undo"}) == "Undone: 2 widgets cut."
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["One", "Two"]


def test_redo_of_a_cut_paste_cuts_again_what_undo_brought_back(pages):
    """Undone on both pages, a cut paste redone on its target cuts the
    originals from their page again: the widgets are never on both pages."""
    source, target = pages
    one, two = (
        cp.add_widget(source, "main", "heading", {"text": text})
        for text in ("One", "Two")
    )
    paste = {"op": "paste", "source": source.UID(), "slot": "main", "cut": True}
    said(target, {**paste, "ids": [one]})
    cp.undo(target)
    assert said(source, {"op": "undo"}) == "Undone: Heading cut."
    assert said(target, {"op": "redo"}) == (
        "Redone: Heading pasted. It was cut from “A composite page” again."
    )
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["Two"]
    assert texts(cp.get_composition(target)["slots"]["main"]) == ["One"]
    # The source's undo brings it back once more.
    assert said(source, {"op": "undo"}) == "Undone: Heading cut."
    assert texts(cp.get_composition(source)["slots"]["main"]) == ["One", "Two"]
    # Several, of which the source brought back one: that one goes again.
    cp.undo(target)
    said(target, {**paste, "ids": [one, two]})
    cp.undo(target)
    cp.undo(source)
    assert said(target, {"op": "redo"}) == (
        "Redone: 2 widgets pasted. They were cut from “A composite page” again."
    )
    assert cp.get_composition(source)["slots"]["main"] == []
    assert texts(cp.get_composition(target)["slots"]["main"]) == ["One", "Two"]


def test_redo_of_a_cut_paste_needs_design_page_on_the_source(portal, pages):
    from AccessControl import Unauthorized

    source, target = pages
    one = cp.add_widget(source, "main", "heading", {"text": "One"})
    cp.paste_widgets(target, source.UID(), [one], "main", cut=True)
    cp.undo(target)
    cp.undo(source)
    api.user.create(email="late@example.org", username="late", password="secret-1x")
    api.user.grant_roles(username="late", obj=target, roles=["Editor"])
    api.user.grant_roles(username="late", obj=source, roles=["Reader"])
    before = (cp.get_composition(source), cp.get_composition(target))
    with api.env.adopt_user(username="late"):
        with pytest.raises(Unauthorized, match="may not change the page"):
            cp.redo(target)
    assert (cp.get_composition(source), cp.get_composition(target)) == before


def test_fewer_columns_say_where_their_widgets_went(page):
    cid = cp.add_widget(page, "main", "columns", {"layout": "33-33-33"})
    cp.add_widget(page, f"{cid}/col-1", "heading", {"text": "First"})
    a, _b = (
        cp.add_widget(page, f"{cid}/col-3", "heading", {"text": text})
        for text in ("A", "B")
    )
    update = {"op": "update", "id": cid}
    assert said(page, {**update, "settings": {"layout": "50-50"}}) == (
        "Settings saved. 2 widgets moved to Main, column 2."
    )
    assert texts(columns_of(page, cid)["col-2"]) == ["A", "B"]
    cp.undo(page)
    cp.move_widget(page, a, "aside", 0)
    assert said(page, {**update, "settings": {"layout": "66-33"}}) == (
        "Settings saved. 1 widget moved to Main, column 2."
    )
    # No widget in the columns that go: nothing moved.
    assert said(page, {**update, "settings": {"layout": "25-25-25-25"}}) == (
        "Settings saved."
    )
