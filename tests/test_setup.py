"""Install, uninstall and reinstall of the compositepage:default profile."""

from plone import api

import pytest


PACKAGE = "compositepage"
SETTINGS_PREFIX = "compositepage"


class TestInstall:
    @pytest.fixture(autouse=True)
    def _setup(self, portal):
        self.portal = portal

    def test_product_installed(self, installer):
        assert installer.is_product_installed(PACKAGE) is True

    def test_browserlayer(self, browser_layers):
        from compositepage.interfaces import ICompositepageLayer

        assert ICompositepageLayer in browser_layers

    def test_profile_version(self, profile_last_version):
        assert profile_last_version(f"{PACKAGE}:default") == "1004"

    @pytest.mark.parametrize(
        "name,expected",
        [
            ("history_length", 50),
            ("default_layout", "one-column"),
            ("max_widgets_per_page", 1000),
        ],
    )
    def test_registry_records(self, name, expected):
        value = api.portal.get_registry_record(f"{SETTINGS_PREFIX}.{name}")
        assert value == expected

    def test_type_action_controlpanel_and_bundle(self):
        assert "Composite Page" in api.portal.get_tool("portal_types")
        actions = api.portal.get_tool("portal_actions")
        assert "compositepage-design" in actions.object.objectIds()
        controlpanel = api.portal.get_tool("portal_controlpanel")
        configlets = [action.getId() for action in controlpanel.listActions()]
        assert "compositepage" in configlets
        assert (
            api.portal.get_registry_record("plone.bundles/compositepage-editor.enabled")
            is False
        )

    def test_in_navigation_with_its_icon(self):
        assert "Composite Page" in api.portal.get_registry_record(
            "plone.displayed_types"
        )
        assert "Document" in api.portal.get_registry_record("plone.displayed_types")
        fti = api.portal.get_tool("portal_types")["Composite Page"]
        assert fti.icon_expr == "string:contenttype/composite-page"
        resolver = self.portal.restrictedTraverse("@@iconresolver")
        assert resolver.url("contenttype/composite-page").endswith(
            "/layout-text-window.svg"
        )

    def test_upgrade_to_1001(self):
        from compositepage.upgrades.v1001 import upgrade

        registry = api.portal.get_tool("portal_registry")
        fti = api.portal.get_tool("portal_types")["Composite Page"]
        # As a site installed with profile version 1000 has it.
        shown = api.portal.get_registry_record("plone.displayed_types")
        api.portal.set_registry_record(
            "plone.displayed_types", tuple(t for t in shown if t != "Composite Page")
        )
        del registry.records["plone.icon.contenttype/composite-page"]
        fti.manage_changeProperties(icon_expr="string:layout-text-window")
        setup = api.portal.get_tool("portal_setup")
        steps = setup.listUpgrades(f"{PACKAGE}:default", show_old=True)
        assert [step["dest"] for step in steps] == [
            ("1001",),
            ("1002",),
            ("1003",),
            ("1004",),
        ]
        upgrade(setup)
        upgrade(setup)  # twice: no harm
        after = api.portal.get_registry_record("plone.displayed_types")
        assert sorted(after) == sorted(shown)
        assert api.portal.get_registry_record(
            "plone.icon.contenttype/composite-page"
        ).endswith("/layout-text-window.svg")
        assert fti.icon_expr == "string:contenttype/composite-page"

    def test_new_pages_open_in_design_mode(self):
        fti = api.portal.get_tool("portal_types")["Composite Page"]
        assert fti.immediate_view == "@@design"

    def test_pickers_path_operation(self):
        from plone.app.querystring.queryparser import parseFormquery

        site = "/".join(self.portal.getPhysicalPath())
        query = [{"i": "path", "o": "compositepage.picker_path", "v": ""}]
        # Browsing: the folder shown; searching: the whole site.
        query[0]["v"] = f"{site}/section::1"
        assert parseFormquery(self.portal, query) == {
            "path": {"query": [f"{site}/section"], "depth": 1}
        }
        query[0]["v"] = f"{site}/section"
        assert parseFormquery(self.portal, query) == {"path": {"query": [site]}}
        query[0]["v"] = f"{site}/section::x"
        assert parseFormquery(self.portal, query)["path"]["depth"] == 1

    def test_upgrade_to_1003(self):
        from compositepage.upgrades.v1003 import upgrade

        registry = api.portal.get_tool("portal_registry")
        fti = api.portal.get_tool("portal_types")["Composite Page"]
        # As a site installed with profile version 1002 has it.
        fti.manage_changeProperties(immediate_view="compositepage_view")
        for key in list(registry.records.keys()):
            if key.startswith("compositepage.picker_path."):
                del registry.records[key]
        history = api.portal.get_registry_record("compositepage.history_length")
        api.portal.set_registry_record("compositepage.history_length", 7)
        setup = api.portal.get_tool("portal_setup")
        upgrade(setup)
        upgrade(setup)  # twice: no harm
        assert fti.immediate_view == "@@design"
        assert api.portal.get_registry_record(
            "compositepage.picker_path.operation"
        ) == ("compositepage.pickers.picker_path")
        # The add-on's settings keep their values.
        assert api.portal.get_registry_record("compositepage.history_length") == 7
        api.portal.set_registry_record("compositepage.history_length", history)
        # A site's own choice of immediate view stays.
        fti.manage_changeProperties(immediate_view="view")
        upgrade(setup)
        assert fti.immediate_view == "view"

    def test_upgrade_to_1004(self):
        from compositepage.upgrades.v1004 import upgrade

        record = "compositepage.enabled_widget_types"
        default = api.portal.get_registry_record(record)
        assert "columns" in default
        setup = api.portal.get_tool("portal_setup")
        try:
            # As a site installed with profile version 1003 has it.
            before = [name for name in default if name != "columns"]
            api.portal.set_registry_record(record, before)
            upgrade(setup)
            upgrade(setup)  # twice: no harm
            assert api.portal.get_registry_record(record) == before + ["columns"]
            # A site that chose fewer widget types keeps its choice.
            api.portal.set_registry_record(record, ["heading", "richtext"])
            upgrade(setup)
            assert api.portal.get_registry_record(record) == ["heading", "richtext"]
        finally:
            api.portal.set_registry_record(record, default)

    def test_uninstall_profile_hidden(self):
        from compositepage.setuphandlers import HiddenProfiles

        assert "compositepage:uninstall" in (
            HiddenProfiles().getNonInstallableProfiles()
        )


class TestUninstall:
    @pytest.fixture(autouse=True)
    def _uninstalled(self, portal, installer):
        from compositepage import api as cp

        with api.env.adopt_roles(["Manager"]):
            self.page = api.content.create(
                container=portal, type="Document", id="kept", title="Kept"
            )
            self.composite = api.content.create(
                container=portal, type="Composite Page", id="composed", title="Composed"
            )
            cp.add_widget(self.composite, "main", "heading", {"text": "Kept heading"})
            installer.uninstall_product(PACKAGE)
        self.portal = portal

    def test_product_uninstalled(self, installer):
        assert installer.is_product_installed(PACKAGE) is False

    def test_browserlayer_removed(self, browser_layers):
        from compositepage.interfaces import ICompositepageLayer

        assert ICompositepageLayer not in browser_layers

    def test_registry_records_removed(self):
        registry = api.portal.get_tool("portal_registry")
        left = [
            key for key in registry.records.keys() if key.startswith("compositepage.")
        ]
        assert left == []

    def test_content_untouched(self):
        assert self.portal["kept"].title == "Kept"

    def test_type_action_controlpanel_and_bundle_removed(self):
        assert "Composite Page" not in api.portal.get_tool("portal_types")
        actions = api.portal.get_tool("portal_actions")
        assert "compositepage-design" not in actions.object.objectIds()
        controlpanel = api.portal.get_tool("portal_controlpanel")
        configlets = [action.getId() for action in controlpanel.listActions()]
        assert "compositepage" not in configlets
        registry = api.portal.get_tool("portal_registry")
        assert "plone.bundles/compositepage-editor.enabled" not in registry.records
        assert "plone.icon.contenttype/composite-page" not in registry.records
        shown = api.portal.get_registry_record("plone.displayed_types")
        assert "Composite Page" not in shown
        assert "Document" in shown
        modifiers = api.portal.get_tool("portal_modifier").objectIds()
        assert "compositepage_composition" not in modifiers
        diff = api.portal.get_tool("portal_diff")
        assert diff.getDiffForPortalType("Composite Page") == {}
        assert diff.getDiffForPortalType("Document")

    def test_reinstall_keeps_compositions(self, installer):
        from compositepage import api as cp

        with api.env.adopt_roles(["Manager"]):
            installer.install_product(PACKAGE)
        assert installer.is_product_installed(PACKAGE) is True
        assert api.portal.get_registry_record("compositepage.history_length") == 50
        composition = cp.get_composition(self.portal["composed"])
        assert [w["settings"]["text"] for w in composition["slots"]["main"]] == [
            "Kept heading"
        ]
