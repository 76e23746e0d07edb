"""Working copies (plone.app.iterate): a draft with a composition of its own,
checked in as the live page's next version, or cancelled without a trace."""

from Acquisition import aq_parent
from compositepage import api as cp
from compositepage.errors import StaleVersion
from compositepage.storage import query_composition
from compositepage.testing import ITERATE_INTEGRATION_TESTING
from plone import api

import pytest
import transaction


@pytest.fixture
def portal(iterate_integration):
    """The site of the layer with plone.app.iterate, as a Manager."""
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    portal = iterate_integration["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    with api.env.adopt_roles(["Manager"]):
        yield portal


@pytest.fixture
def targets(portal):
    return {
        "doc": api.content.create(portal, "Document", id="doc", title="Old target"),
        "new": api.content.create(portal, "Document", id="new", title="New target"),
    }


def make_live(portal, targets, portal_type):
    """A published composite page (Item or Folder) with a heading and a teaser."""
    if portal_type == "Folder":
        page = api.content.create(portal, "Folder", id="page", title="Live")
        cp.set_layout(page, "two-columns")
    else:
        from helpers import make_page

        page = make_page(portal, layout="two-columns", title="Live")
    cp.add_widget(page, "main", "heading", {"text": "Live heading"})
    cp.add_widget(page, "aside", "teaser", {"target": targets["doc"].UID()})
    api.content.transition(obj=page, transition="publish")
    # plone.app.iterate copies with OFS copy and paste, which needs the
    # objects in the database.
    transaction.savepoint(optimistic=True)
    return page


def policy(obj):
    from plone.app.iterate.interfaces import ICheckinCheckoutPolicy

    return ICheckinCheckoutPolicy(obj)


def checkout(page):
    return policy(page).checkout(aq_parent(page))


def texts(obj):
    slots = cp.get_composition(obj)["slots"]
    return {
        slot: [w["settings"].get("text") or w["settings"].get("target") for w in ws]
        for slot, ws in slots.items()
    }


def linking(target):
    from plone.app.linkintegrity.utils import getIncomingLinks

    return sorted(
        "/".join(rel.from_object.getPhysicalPath()[2:])
        for rel in getIncomingLinks(target)
    )


@pytest.fixture
def layered_request(portal):
    from compositepage.interfaces import ICompositepageLayer
    from zope.interface import alsoProvides

    request = portal.REQUEST
    alsoProvides(request, ICompositepageLayer)
    return request


class TestWorkingCopies:
    # zope.pytestlayer keeps a layer up from one test to the next that
    # names it, so the layer is set up once for the class.
    layer = ITERATE_INTEGRATION_TESTING

    @pytest.mark.parametrize("portal_type", ["Composite Page", "Folder"])
    def test_check_out_edit_check_in(self, portal, targets, portal_type):
        page = make_live(portal, targets, portal_type)
        for _ in range(3):  # a history, and a version the draft must pass
            cp.update_widget(
                page, cp.get_composition(page)["slots"]["main"][0]["id"], {"level": 3}
            )
            cp.undo(page)
        live_before = cp.get_composition(page)
        seen_by_an_editor = live_before["version"]

        wc = checkout(page)
        draft = cp.get_composition(wc)
        # Its own copy: the same layout, widgets and settings, a fresh history.
        assert query_composition(wc) is not query_composition(page)
        assert draft["layout"] == "two-columns"
        assert draft["slots"] == live_before["slots"]
        assert draft["unplaced"] == []
        assert not draft["can_undo"] and not draft["can_redo"]
        for placement in query_composition(wc).placements.values():
            assert placement is not query_composition(page).placements[placement.id]
        assert linking(targets["doc"]) == sorted(["page", wc.getId()])

        # Design on the draft: the live page sees nothing of it.
        heading = draft["slots"]["main"][0]["id"]
        teaser = draft["slots"]["aside"][0]["id"]
        cp.update_widget(wc, heading, {"text": "Draft heading"})
        cp.update_widget(wc, teaser, {"target": targets["new"].UID()})
        cp.add_widget(wc, "main", "richtext", {"text": "<p>Draftword</p>"})
        cp.set_layout(wc, "one-column")  # the teaser goes to the tray
        assert cp.get_composition(page) == live_before
        assert texts(page) == {
            "main": ["Live heading"],
            "aside": [targets["doc"].UID()],
        }
        assert linking(targets["new"]) == [wc.getId()]
        draft = cp.get_composition(wc)

        live = policy(wc).checkin("The new look")
        assert live.getId() == "page"
        assert wc.getId() not in portal.objectIds()
        after = cp.get_composition(live)
        assert after["layout"] == "one-column"
        assert (after["slots"], after["unplaced"]) == (
            draft["slots"],
            draft["unplaced"],
        )
        assert after["version"] > max(seen_by_an_editor, draft["version"])
        assert not after["can_undo"]
        # An editor who still shows the old live page is told it changed.
        with pytest.raises(StaleVersion):
            cp.update_widget(
                live, heading, {"text": "Stale"}, version=seen_by_an_editor
            )
        # Search, link integrity and further design follow the new composition.
        catalog = api.portal.get_tool("portal_catalog")
        assert [b.getId for b in catalog(SearchableText="Draftword")] == ["page"]
        assert linking(targets["doc"]) == []
        assert linking(targets["new"]) == ["page"]
        cp.add_widget(live, "main", "heading", {"text": "After check-in"})

    @pytest.mark.parametrize("portal_type", ["Composite Page", "Folder"])
    def test_cancel_leaves_the_live_page_untouched(self, portal, targets, portal_type):
        page = make_live(portal, targets, portal_type)
        live_before = cp.get_composition(page)
        wc = checkout(page)
        cp.remove_widget(wc, cp.get_composition(wc)["slots"]["aside"][0]["id"])
        cp.set_layout(wc, "landing")
        baseline = policy(wc).cancelCheckout()
        assert baseline.getPhysicalPath() == page.getPhysicalPath()
        assert wc.getId() not in portal.objectIds()
        assert cp.get_composition(page) == live_before
        assert linking(targets["doc"]) == ["page"]
        cp.undo(page)  # the live page's own history is still there

    def test_design_view_says_a_working_copy_exists(
        self, portal, targets, layered_request
    ):
        page = make_live(portal, targets, "Composite Page")
        wc = checkout(page)
        html = page.restrictedTraverse("@@design")()
        assert "This item is being edited by" in html
        assert f'href="{wc.absolute_url()}' in html
        draft_html = wc.restrictedTraverse("@@design")()
        assert "This is a working copy of" in draft_html
        assert f'href="{page.absolute_url()}' in draft_html
