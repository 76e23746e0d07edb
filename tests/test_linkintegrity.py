"""Link integrity: every reference a widget holds is a relation that
plone.app.linkintegrity knows, and the relations follow every change."""

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


@pytest.fixture
def targets(manager):
    from helpers import make_image

    portal = manager
    return {
        "doc": api.content.create(portal, "Document", id="doc", title="A document"),
        "other": api.content.create(portal, "Document", id="other", title="Other"),
        "news": api.content.create(portal, "Folder", id="news", title="News"),
        "image": make_image(portal),
    }


@pytest.fixture
def page(manager):
    from helpers import make_page

    return make_page(manager, layout="two-columns")


def linking(target):
    """The ids of the items plone.app.linkintegrity says link to ``target``."""
    from plone.app.linkintegrity.utils import getIncomingLinks

    return sorted(rel.from_object.getId() for rel in getIncomingLinks(target))


def listing_of(uuid_or_path, operation="absolutePath"):
    return {
        "query": [
            {
                "i": "path",
                "o": f"plone.app.querystring.operation.string.{operation}",
                "v": uuid_or_path,
            }
        ]
    }


class TestEveryKindOfReference:
    def test_teaser_target(self, page, targets):
        cp.add_widget(page, "main", "teaser", {"target": targets["doc"].UID()})
        assert linking(targets["doc"]) == ["page"]
        assert linking(targets["other"]) == []

    def test_image(self, page, targets):
        cp.add_widget(page, "main", "image", {"image": targets["image"].UID()})
        assert linking(targets["image"]) == ["page"]

    def test_links_in_rich_text(self, page, targets):
        html = (
            f'<p><a href="resolveuid/{targets["doc"].UID()}">by UUID</a>, '
            f'<a href="{targets["other"].absolute_url()}">by address</a>, '
            '<a href="https://example.org/">elsewhere</a></p>'
        )
        cp.add_widget(page, "main", "richtext", {"text": html})
        assert linking(targets["doc"]) == ["page"]
        assert linking(targets["other"]) == ["page"]

    @pytest.mark.parametrize("by", ["uuid", "path"])
    def test_listing_paths(self, page, targets, by):
        news = targets["news"]
        value = f"{news.UID()}::1" if by == "uuid" else "/news"
        cp.add_widget(page, "main", "listing", listing_of(value))
        assert linking(news) == ["page"]

    def test_listing_relative_path_and_other_criteria(self, page, targets):
        query = listing_of("../news", "relativePath")["query"]
        query.append(
            {
                "i": "portal_type",
                "o": "plone.app.querystring.operation.selection.any",
                "v": ["News Item"],
            }
        )
        cp.add_widget(page, "main", "listing", {"query": query})
        assert linking(targets["news"]) == ["page"]

    def test_a_listing_of_the_whole_site_links_to_nothing(self, page, targets):
        cp.add_widget(page, "main", "listing", listing_of("/"))
        assert linking(targets["news"]) == []


class TestRelationsFollowChanges:
    def test_update_undo_redo_remove(self, page, targets):
        doc, other = targets["doc"], targets["other"]
        teaser = cp.add_widget(page, "main", "teaser", {"target": doc.UID()})
        cp.update_widget(page, teaser, {"target": other.UID()})
        assert (linking(doc), linking(other)) == ([], ["page"])
        cp.undo(page)
        assert (linking(doc), linking(other)) == (["page"], [])
        cp.redo(page)
        assert (linking(doc), linking(other)) == ([], ["page"])
        cp.remove_widget(page, teaser)
        assert linking(other) == []
        cp.undo(page)
        assert linking(other) == ["page"]

    def test_a_move_keeps_them(self, page, targets):
        doc = targets["doc"]
        cp.add_widget(page, "main", "heading", {"text": "Title"})
        teaser = cp.add_widget(page, "main", "teaser", {"target": doc.UID()})
        cp.move_widget(page, teaser, "aside", 0)
        cp.move_widget(page, teaser, "main", 0)
        assert linking(doc) == ["page"]

    def test_widgets_in_the_tray_still_count(self, page, targets):
        doc = targets["doc"]
        cp.add_widget(page, "aside", "teaser", {"target": doc.UID()})
        cp.set_layout(page, "one-column")
        assert cp.get_composition(page)["unplaced"]
        assert linking(doc) == ["page"]

    def test_replacing_the_composition(self, page, targets):
        doc, other = targets["doc"], targets["other"]
        cp.add_widget(page, "main", "teaser", {"target": doc.UID()})
        cp.replace_composition(
            page,
            "one-column",
            [
                {
                    "slot": "main",
                    "widget_type": "teaser",
                    "settings": {"target": other.UID()},
                }
            ],
        )
        assert (linking(doc), linking(other)) == ([], ["page"])

    def test_a_copy_links_too_and_a_deleted_page_no_more(self, page, targets):
        doc = targets["doc"]
        cp.add_widget(page, "main", "teaser", {"target": doc.UID()})
        transaction.savepoint(optimistic=True)
        api.content.copy(source=page, id="copy")
        assert linking(doc) == ["copy", "page"]
        api.content.delete(page)
        assert linking(doc) == ["copy"]

    def test_a_text_change_does_not_rewrite_them(self, page, targets):
        from plone.app.linkintegrity.utils import getOutgoingLinks

        cp.add_widget(page, "main", "teaser", {"target": targets["doc"].UID()})
        text = cp.add_widget(page, "main", "richtext", {"text": "<p>One</p>"})
        before = list(getOutgoingLinks(page))
        cp.update_widget(page, text, {"text": "<p>Two</p>"})
        assert list(getOutgoingLinks(page)) == before

    def test_off_when_the_site_checks_no_links(self, page, targets):
        api.portal.set_registry_record("plone.enable_link_integrity_checks", False)
        cp.add_widget(page, "main", "teaser", {"target": targets["doc"].UID()})
        assert linking(targets["doc"]) == []
        # Switched on again: the page's next change records its links.
        api.portal.set_registry_record("plone.enable_link_integrity_checks", True)
        cp.add_widget(page, "main", "heading", {"text": "Later"})
        assert linking(targets["doc"]) == ["page"]


def test_the_page_own_rich_text_fields_still_count(manager, targets):
    """The retriever adds the widgets' links to those Plone finds in the
    item's own fields: here a Document made composite, with its text."""
    from compositepage.relations import CompositeRetriever
    from plone.app.textfield.value import RichTextValue

    fti = api.portal.get_tool("portal_types")["Document"]
    behaviors = fti.behaviors
    # Through _updateProperty, whose event refreshes Dexterity's caches.
    fti._updateProperty("behaviors", (*behaviors, "compositepage.composite"))
    try:
        document = api.content.create(manager, "Document", id="with-text")
        document.text = RichTextValue(
            f'<a href="resolveuid/{targets["other"].UID()}">x</a>', "text/html"
        )
        cp.add_widget(document, "main", "teaser", {"target": targets["doc"].UID()})
        assert CompositeRetriever(document).retrieveLinks() == {
            f"resolveuid/{targets['other'].UID()}",
            f"resolveuid/{targets['doc'].UID()}",
        }
    finally:
        fti._updateProperty("behaviors", behaviors)


def test_a_widget_type_adds_its_links_with_an_adapter(page, targets):
    """An integrator's widget type says what it links to with a named
    IWidgetLinks adapter; a failing one costs its links, not the change."""
    from compositepage.interfaces import IWidgetType
    from compositepage.relations import IWidgetLinks
    from compositepage.relations import WidgetLinks
    from zope.component import getGlobalSiteManager

    class HeadingLinks(WidgetLinks):
        def links(self, context, settings):
            return {"resolveuid/" + targets["other"].UID()}

    class Broken(WidgetLinks):
        def links(self, context, settings):
            raise ValueError("broken")

    registry = getGlobalSiteManager()
    registry.registerAdapter(HeadingLinks, (IWidgetType,), IWidgetLinks, "heading")
    registry.registerAdapter(Broken, (IWidgetType,), IWidgetLinks, "richtext")
    try:
        cp.add_widget(page, "main", "heading", {"text": "Links elsewhere"})
        cp.add_widget(page, "main", "richtext", {"text": "<p>x</p>"})
        assert linking(targets["other"]) == ["page"]
    finally:
        registry.unregisterAdapter(
            HeadingLinks, (IWidgetType,), IWidgetLinks, "heading"
        )
        registry.unregisterAdapter(Broken, (IWidgetType,), IWidgetLinks, "richtext")


def test_upgrade_records_the_links_of_existing_pages(page, targets):
    from compositepage.upgrades.v1002 import upgrade
    from plone.app.linkintegrity.handlers import updateReferences

    cp.add_widget(page, "main", "teaser", {"target": targets["doc"].UID()})
    updateReferences(page, [])  # as a page composed before 1002 has it
    assert linking(targets["doc"]) == []
    upgrade(api.portal.get_tool("portal_setup"))
    assert linking(targets["doc"]) == ["page"]


def test_delete_confirmation_lists_the_page_screenshots(site, open_browser):
    """Deleting an item a teaser shows: Plone's own warning names the page."""
    from browser import screenshot_viewport
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        news = api.content.create(site.portal, "News Item", id="news", title="Big news")
        page = make_page(site.portal, title="Our front page", layout="two-columns")
        cp.add_widget(page, "main", "teaser", {"target": news.UID()})
    transaction.commit()

    browser = open_browser(site, "editor")
    browser.goto("news")
    browser.locator("#plone-contentmenu-actions > a").click()
    browser.locator("#plone-contentmenu-actions a", has_text="Delete").click()
    dialog = browser.locator(".modal-content", has_text="Potential link breakage")
    dialog.wait_for()
    assert (
        dialog.locator("a", has_text="Our front page").get_attribute("href")
        == page.absolute_url()
    )
    screenshot_viewport(browser, "delete-confirmation")
    # Cancel keeps the item; the teaser still shows it.
    dialog.get_by_role("button", name="Cancel").click()
    transaction.begin()
    assert "news" in site.portal.objectIds()
