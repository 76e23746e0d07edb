"""The homepage and folders: enabling the behavior on a type in Site Setup is
all a site administrator does; the Display menu then offers the composite
view, the toolbar Design, and design mode works on the site root."""

from browser import drag_new
from browser import screenshot
from browser import screenshot_viewport
from browser import settings_frame
from browser import wait_dialog_closed
from compositepage import api as cp
from plone import api

import pytest
import transaction


VIEW = "compositepage_view"


@pytest.fixture
def types(portal):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])
    return api.portal.get_tool("portal_types")


def set_behaviors(fti, behaviors):
    # As the types control panel and GenericSetup do: through _updateProperty,
    # whose modified event refreshes Dexterity's caches and tells us.
    fti._updateProperty("behaviors", tuple(behaviors))


class TestDisplayMenu:
    @pytest.mark.parametrize("name", ["Plone Site", "Folder", "Document"])
    def test_enabling_the_behavior_offers_the_view(self, types, name):
        fti = types[name]
        behaviors, views = fti.behaviors, fti.view_methods
        assert VIEW not in views
        set_behaviors(fti, (*behaviors, "compositepage.composite"))
        try:
            assert fti.view_methods == (*views, VIEW)
            assert fti.default_view != VIEW  # offered, not imposed
        finally:
            set_behaviors(fti, behaviors)
        assert fti.view_methods == tuple(views)

    def test_the_behavior_by_its_interface_counts_too(self, types):
        fti = types["Folder"]
        behaviors = fti.behaviors
        set_behaviors(fti, (*behaviors, "compositepage.behaviors.ICompositeBehavior"))
        try:
            assert VIEW in fti.view_methods
        finally:
            set_behaviors(fti, behaviors)

    def test_switching_it_off_takes_the_view_from_items(self, types, portal):
        fti = types["Folder"]
        behaviors = fti.behaviors
        set_behaviors(fti, (*behaviors, "compositepage.composite"))
        try:
            folder = api.content.create(portal, "Folder", id="folder", title="F")
            folder.setLayout(VIEW)
            other = api.content.create(portal, "Folder", id="other", title="O")
            other.setLayout("summary_view")
            fti.manage_changeProperties(default_view=VIEW)
        finally:
            set_behaviors(fti, behaviors)
        assert VIEW not in fti.view_methods
        assert fti.default_view == "album_view"  # the first remaining one
        assert folder.getLayout() == "album_view"
        assert other.getLayout() == "summary_view"
        assert "Folder" in folder()  # the default view renders

    def test_the_composite_page_type_keeps_its_view(self, types):
        fti = types["Composite Page"]
        from plone.dexterity.fti import DexterityFTIModificationDescription
        from zope.lifecycleevent import modified

        # As the behaviors form says it changed them: the old value is lost.
        modified(fti, DexterityFTIModificationDescription("behaviors", ""))
        assert fti.view_methods == (VIEW,)


def test_the_site_root_as_homepage_screenshots(site, open_browser):
    """A Manager makes the site root a composite page in Site Setup (the
    content types control panel is theirs); a site administrator chooses the
    view in the Display menu and composes the page."""
    manager = open_browser(site, "manager")
    manager.goto("@@dexterity-types/Plone%20Site/@@behaviors")
    checkbox = manager.get_by_label("Composite page")
    checkbox.check()
    # The top of the form, down to the behavior.
    manager.set_viewport_size({"width": 1280, "height": 1120})
    manager.evaluate("window.scrollTo(0, 0)")
    screenshot_viewport(manager, "homepage-behaviors")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_load_state()

    page = open_browser(site, "siteadmin")
    page.goto("")
    assert page.locator("#contentview-compositepage-design").count() == 1
    page.locator("#plone-contentmenu-display > a").click()
    choice = page.locator("#plone-contentmenu-display a", has_text="Composite page")
    choice.wait_for()
    screenshot_viewport(page, "homepage-display-menu")
    choice.click()
    page.wait_for_load_state()
    transaction.begin()
    assert site.portal.getLayout() == VIEW

    page.locator("#contentview-compositepage-design a").click()
    page.wait_for_selector("#compositepage-editor")
    page.select_option("#cp-layout", "two-columns")
    page.click('[data-action="set_layout"]')
    page.wait_for_selector('[data-slot="aside"]')
    drag_new(page, "heading", "main")
    frame = settings_frame(page)
    frame.locator("input[name$='.text']").fill("Welcome to our site")
    frame.locator('[name="form.buttons.save"]').click()
    wait_dialog_closed(page)
    drag_new(page, "richtext", "aside")
    frame = settings_frame(page)
    frame.locator('[name="form.buttons.cancel"]').click()
    wait_dialog_closed(page)
    screenshot(page, "homepage-design")

    transaction.begin()
    composition = cp.get_composition(site.portal)
    assert composition["layout"] == "two-columns"
    assert [w["settings"]["text"] for w in composition["slots"]["main"]] == [
        "Welcome to our site"
    ]
    visitor = open_browser(site)
    visitor.goto("")
    assert visitor.locator("h2", has_text="Welcome to our site").count() == 1
    screenshot(visitor, "homepage-real")
