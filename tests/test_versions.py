"""Versions (CMFEditions): a revert restores the composition with a version
past the one it replaces and no undo history; versions are compared."""

from compositepage import api as cp
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.storage import query_composition
from plone import api

import pytest


@pytest.fixture
def page(portal):
    from helpers import make_page
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])
    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="versioned", layout="two-columns")
        yield page


def texts(page, slot="main"):
    return [w["settings"]["text"] for w in cp.get_composition(page)["slots"][slot]]


def save(page, comment):
    repository = api.portal.get_tool("portal_repository")
    repository.save(page, comment=comment)
    return repository.getHistoryMetadata(page).getLength(countPurged=False) - 1


def test_a_version_keeps_no_undo_history(page):
    cp.add_widget(page, "main", "heading", {"text": "One"})
    cp.add_widget(page, "main", "heading", {"text": "Two"})
    version = save(page, "two headings")
    assert cp.get_composition(page)["can_undo"]  # the page keeps its own
    stored = api.portal.get_tool("portal_repository").retrieve(page, version).object
    composition = query_composition(stored)
    assert [p.settings["text"] for p in composition.ordered()] == ["One", "Two"]
    assert composition.undo_head is None and composition.redo_head is None


def test_revert_moves_the_version_on_and_starts_a_fresh_history(page):
    first = cp.add_widget(page, "main", "heading", {"text": "First"})
    version = save(page, "first")
    cp.update_widget(page, first, {"text": "Changed"})
    cp.add_widget(page, "aside", "heading", {"text": "Later"})
    cp.set_layout(page, "one-column")
    seen_by_an_editor = cp.get_composition(page)["version"]

    api.portal.get_tool("portal_repository").revert(page, version)

    reverted = cp.get_composition(page)
    assert reverted["layout"] == "two-columns"
    assert texts(page) == ["First"]
    assert texts(page, "aside") == []
    assert reverted["version"] > seen_by_an_editor
    assert not reverted["can_undo"] and not reverted["can_redo"]
    with pytest.raises(InvalidOperation):
        cp.undo(page)
    # Whoever still shows the replaced composition is told it changed.
    with pytest.raises(StaleVersion):
        cp.update_widget(page, first, {"text": "Stale"}, version=seen_by_an_editor)
    # The reverted page is designed as usual, with undo and redo.
    cp.update_widget(page, first, {"text": "After revert"}, version=reverted["version"])
    cp.undo(page)
    assert texts(page) == ["First"]
    cp.redo(page)
    assert texts(page) == ["After revert"]


def test_reverting_through_the_history_view(page, layered_request):
    """Plone's revert view (and the REST API's @history) save the reverted
    state as a new version; comparing versions does not fail."""
    cp.add_widget(page, "main", "heading", {"text": "First"})
    first = save(page, "first")
    cp.set_layout(page, "one-column")
    cp.add_widget(page, "main", "heading", {"text": "Second"})
    second = save(page, "second")
    request = layered_request
    for one, two in (("current", str(first)), (str(first), str(second))):
        request.form.update(one=one, two=two)
        request.other.update(one=one, two=two)
        html = page.restrictedTraverse("@@history")()
        # The comparison renders (the widgets are not fields it compares).
        assert "Revisions" in html and "Legend" in html
    history = api.portal.get_tool("portal_repository").getHistoryMetadata
    versions = history(page).getLength(countPurged=False)
    request.form["version_id"] = str(first)
    request.other["version_id"] = str(first)
    page.restrictedTraverse("@@revertversion")()
    assert texts(page) == ["First"]
    assert cp.get_composition(page)["layout"] == "two-columns"
    assert history(page).getLength(countPurged=False) == versions + 1


def test_the_modifier_is_installed_once_and_removed(portal):
    from compositepage.versioning import install_modifier
    from compositepage.versioning import MODIFIER_ID
    from compositepage.versioning import uninstall_modifier

    tool = api.portal.get_tool("portal_modifier")
    assert MODIFIER_ID in tool.objectIds()
    install_modifier(portal)
    assert list(tool.objectIds()).count(MODIFIER_ID) == 1
    uninstall_modifier(portal)
    assert MODIFIER_ID not in tool.objectIds()


def test_after_a_revert_the_next_change_brings_the_links_back(page):
    from plone.app.linkintegrity.utils import getIncomingLinks

    portal = api.portal.get()
    old = api.content.create(portal, "Document", id="old", title="Old")
    new = api.content.create(portal, "Document", id="new", title="New")
    teaser = cp.add_widget(page, "main", "teaser", {"target": old.UID()})
    version = save(page, "teasing the old one")
    cp.update_widget(page, teaser, {"target": new.UID()})
    api.portal.get_tool("portal_repository").revert(page, version)
    cp.add_widget(page, "aside", "heading", {"text": "After the revert"})

    def linking(target):
        return [rel.from_object.getId() for rel in getIncomingLinks(target)]

    assert (linking(old), linking(new)) == (["versioned"], [])


def test_history_offers_compare_and_revert(page, layered_request):
    """Plone's History lists Compare and Revert only for types portal_diff
    compares; composite pages are one."""
    cp.add_widget(page, "main", "heading", {"text": "First"})
    save(page, "first")
    cp.add_widget(page, "main", "heading", {"text": "Second"})
    save(page, "second")
    html = page.restrictedTraverse("@@historyview")()
    assert "Revert to this revision" in html
    assert "@@history?one=" in html


def test_reverting_to_before_the_page_was_composed_empties_it(page):
    from helpers import make_page
    from zope.annotation.interfaces import IAnnotations

    fresh = make_page(api.portal.get(), id="fresh")
    # Annotations of another package: a version of an item without any
    # annotations would not replace the item's at all (CMFEditions replaces
    # what a version holds), and keeps the widgets.
    IAnnotations(fresh)["another.package"] = "data"
    version = save(fresh, "not composed yet")
    assert query_composition(fresh) is None
    cp.add_widget(fresh, "main", "heading", {"text": "Later"})
    seen = cp.get_composition(fresh)["version"]
    api.portal.get_tool("portal_repository").revert(fresh, version)
    reverted = cp.get_composition(fresh)
    assert reverted["slots"] == {"main": []}
    assert reverted["unplaced"] == []
    assert reverted["version"] > seen
    assert not reverted["can_undo"]
