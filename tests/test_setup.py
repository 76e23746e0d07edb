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
        assert profile_last_version(f"{PACKAGE}:default") == "1000"

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

    def test_uninstall_profile_hidden(self):
        from compositepage.setuphandlers import HiddenProfiles

        assert "compositepage:uninstall" in (
            HiddenProfiles().getNonInstallableProfiles()
        )


class TestUninstall:
    @pytest.fixture(autouse=True)
    def _uninstalled(self, portal, installer):
        with api.env.adopt_roles(["Manager"]):
            self.page = api.content.create(
                container=portal, type="Document", id="kept", title="Kept"
            )
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

    def test_reinstall(self, installer):
        with api.env.adopt_roles(["Manager"]):
            installer.install_product(PACKAGE)
        assert installer.is_product_installed(PACKAGE) is True
        assert api.portal.get_registry_record("compositepage.history_length") == 50
