"""Caching (plone.app.caching, plone.cachepurging): the real view is cached
like a document, every change queues the purge of the page's addresses, and
design mode is never cached."""

from compositepage import api as cp
from plone import api

import pytest
import transaction


@pytest.fixture
def manager(portal):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])
    with api.env.adopt_roles(["Manager"]):
        yield portal


def test_the_real_view_declares_the_item_view_ruleset(manager, layered_request):
    from compositepage.browser.view import CompositeView
    from helpers import make_page
    from plone.caching.interfaces import IRulesetLookup
    from z3c.caching.registry import lookup
    from zope.component import queryMultiAdapter

    page = make_page(manager)
    view = page.restrictedTraverse("@@compositepage_view")
    assert isinstance(view, CompositeView)
    assert lookup(view) == "plone.content.itemView"
    # Also where plone.app.caching looks it up, under any name it is given.
    assert queryMultiAdapter((view, layered_request), IRulesetLookup)() == (
        "plone.content.itemView"
    )


@pytest.fixture
def purging(manager):
    """plone.app.caching installed, purging on, with a caching proxy."""
    from plone.app.testing import applyProfile
    from plone.cachepurging.interfaces import ICachePurgingSettings
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    applyProfile(manager, "plone.app.caching:default")
    settings = getUtility(IRegistry).forInterface(ICachePurgingSettings)
    settings.enabled = True
    settings.cachingProxies = ("http://localhost:1234",)
    return manager


def queued():
    from plone.cachepurging.hooks import KEY
    from zope.annotation.interfaces import IAnnotations
    from zope.globalrequest import getRequest

    return IAnnotations(getRequest()).setdefault(KEY, set())


def test_every_change_queues_the_purge_of_the_page(purging):
    from helpers import make_page

    page = make_page(purging, layout="two-columns")
    addresses = {
        "/plone/page",
        "/plone/page/",
        "/plone/page/view",
        "/plone/page/compositepage_view",
    }
    changes = (
        lambda: cp.add_widget(page, "main", "heading", {"text": "One"}),
        lambda: cp.move_widget(
            page, cp.get_composition(page)["slots"]["main"][0]["id"], "aside", 0
        ),
        lambda: cp.undo(page),
        lambda: cp.redo(page),
        lambda: cp.set_layout(page, "one-column"),
        lambda: cp.remove_widget(page, cp.get_composition(page)["unplaced"][0]["id"]),
    )
    for change in changes:
        queued().clear()
        change()
        assert addresses <= queued()


def test_the_homepage_is_purged_at_the_site_address(purging):
    fti = api.portal.get_tool("portal_types")["Plone Site"]
    behaviors = fti.behaviors
    fti._updateProperty("behaviors", (*behaviors, "compositepage.composite"))
    try:
        purging.setLayout("compositepage_view")
        queued().clear()
        cp.add_widget(purging, "main", "heading", {"text": "Welcome"})
        assert {"/plone", "/plone/", "/plone/compositepage_view"} <= queued()
    finally:
        fti._updateProperty("behaviors", behaviors)


def test_nothing_is_queued_while_purging_is_off(manager):
    from helpers import make_page

    page = make_page(manager)
    queued().clear()
    cp.add_widget(page, "main", "heading", {"text": "One"})
    assert queued() == set()


def test_cached_like_documents_design_never(site):
    """With plone.app.caching's profile for a caching proxy: visitors get the
    composite page with the rule and operation of a document; design mode
    answers with no-store whatever the rules say."""
    from helpers import make_page
    from helpers import publish
    from plone.app.testing import applyProfile

    portal = site.portal
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "plone.app.caching:default")
        applyProfile(portal, "plone.app.caching:with-caching-proxy")
        # "Enable caching" in the control panel.
        api.portal.set_registry_record(
            "plone.caching.interfaces.ICacheSettings.enabled", True
        )
        page = make_page(portal, layout="two-columns")
        cp.add_widget(page, "main", "heading", {"text": "Cached"})
        document = api.content.create(portal, "Document", id="doc", title="Doc")
        publish(page)
        publish(document)
    transaction.commit()

    real = site.get("page")
    assert real.status_code == 200 and "Cached" in real.text
    like = site.get("doc")
    for header in ("X-Cache-Rule", "X-Cache-Operation", "Cache-Control"):
        assert real.headers.get(header) == like.headers.get(header), header
    assert real.headers["X-Cache-Rule"] == "plone.content.itemView"

    for path, headers in (
        ("page/@@design", {}),
        ("page/@composition?expand=design", {"Accept": "application/json"}),
    ):
        response = site.get(path, user="editor", headers=headers)
        assert response.status_code == 200, path
        assert "no-store" in response.headers["Cache-Control"], path
        assert "private" in response.headers["Cache-Control"], path
        assert "X-Cache-Rule" not in response.headers, path
