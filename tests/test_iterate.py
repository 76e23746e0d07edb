"""Working copies (plone.app.iterate): a draft with a composition of its own,
checked in as the live page's next version, or cancelled without a trace."""

from Acquisition import aq_parent
from compositepage import api as cp
from compositepage.conflicts import Conflict
from compositepage.errors import StaleVersion
from compositepage.storage import query_composition
from compositepage.testing import ITERATE_FUNCTIONAL_TESTING
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
        dropped = cp.add_widget(page, "main", "heading", {"text": "Not in the draft"})
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
        cp.remove_widget(wc, dropped)
        cp.set_layout(wc, "one-column")  # the teaser goes to the tray
        assert cp.get_composition(page) == live_before
        assert texts(page) == {
            "main": ["Live heading", "Not in the draft"],
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
        # Also when the widget they act on is gone: the check-in replaced
        # every widget (not "there is no such widget").
        with pytest.raises(Conflict) as refused:
            cp.remove_widget(live, dropped, version=seen_by_an_editor)
        assert refused.value.kind == "replaced"
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

    def test_design_is_hidden_where_edit_is(self, portal, targets):
        """Checking out locks the live page: Plone hides its Edit action, and
        Design goes with it (changes belong in the working copy)."""
        page = make_live(portal, targets, "Composite Page")
        actions = api.portal.get_tool("portal_actions")

        def available(obj):
            return {a["id"] for a in actions.listFilteredActionsFor(obj)["object"]}

        assert {"edit", "compositepage-design"} <= available(page)
        wc = checkout(page)
        assert not {"edit", "compositepage-design"} & available(page)
        assert {"edit", "compositepage-design"} <= available(wc)

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
        # Its "View changes" compares the two as for any content.
        assert "Changes to" in wc.restrictedTraverse("@@iterate_diff")()


@pytest.fixture
def iterate_site(iterate_functional):
    from conftest import make_site

    site = make_site(iterate_functional)
    yield site
    site.session.close()


class TestWorkingCopiesInTheBrowser:
    layer = ITERATE_FUNCTIONAL_TESTING

    def test_prepare_changes_in_a_working_copy_screenshots(
        self, iterate_site, open_browser
    ):
        """An editor (who may also add content) checks a published page out,
        designs the working copy while visitors still see the live page, and
        checks it in."""
        from browser import drag_new
        from browser import screenshot
        from browser import settings_frame
        from browser import wait_dialog_closed
        from helpers import make_page

        site = iterate_site
        with api.env.adopt_roles(["Manager"]):
            page = make_page(site.portal, title="Opening hours", layout="two-columns")
            cp.add_widget(page, "main", "heading", {"text": "Open every day"})
            cp.add_widget(page, "main", "richtext", {"text": "<p>From 9 to 5.</p>"})
            api.content.transition(obj=page, transition="publish")
            api.user.grant_roles(username="editor", roles=["Editor", "Contributor"])
        transaction.commit()

        before = site.portal.objectIds()
        editor = open_browser(site, "editor")
        editor.goto("page")
        editor.locator("#plone-contentmenu-actions > a").click()
        editor.locator("#plone-contentmenu-actions a", has_text="Check out").click()
        # The working copy goes into the parent folder: a place where the
        # editor may add content (Editors alone may not).
        editor.locator('[name="form.button.Checkout"]').click()
        editor.locator(".portalMessage", has_text="This is a working copy").wait_for()
        draft_url = editor.url.rstrip("/")
        assert draft_url != f"{site.url}/page"
        editor.locator("#contentview-compositepage-design a").click()
        editor.wait_for_selector("#compositepage-editor")
        assert (
            editor.locator(".portalMessage", has_text="This is a working copy").count()
            == 1
        )
        drag_new(editor, "heading", "aside")
        frame = settings_frame(editor)
        frame.locator("input[name$='.text']").fill("Closed on holidays")
        frame.locator('[name="form.buttons.save"]').click()
        wait_dialog_closed(editor)
        screenshot(editor, "working-copy-design")

        # The live page: visitors see nothing of the draft; design mode of
        # the live page says a working copy exists and links to it.
        visitor = open_browser(site)
        visitor.goto("page")
        assert "Closed on holidays" not in visitor.inner_text("#content")
        editor.goto("page/@@design")
        notice = editor.locator(".portalMessage", has_text="working copy")
        assert (
            notice.locator("a", has_text="a working copy")
            .get_attribute("href")
            .startswith(draft_url)
        )
        screenshot(editor, "working-copy-live-design")

        editor.goto(draft_url)
        editor.locator("#plone-contentmenu-actions > a").click()
        editor.locator("#plone-contentmenu-actions a", has_text="Check in").click()
        editor.locator('[name="checkin_message"]').fill("Holidays")
        editor.locator('[name="form.button.Checkin"]').click()
        editor.wait_for_load_state()
        visitor.goto("page")
        assert "Closed on holidays" in visitor.inner_text("#content")
        transaction.begin()
        assert site.portal.objectIds() == before
