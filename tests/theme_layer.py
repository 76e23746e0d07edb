"""Small pieces the test suite registers in ZCML (they need a dotted name)."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IThemeLayer(IDefaultBrowserLayer):
    """A browser layer standing for a theme's, to test layout overrides."""
