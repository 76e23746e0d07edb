"""1000 -> 1001: composite pages in the navigation, with their own icon."""

from plone import api
from plone.registry import field
from plone.registry import Record


ICON = "plone.icon.contenttype/composite-page"


def upgrade(context):
    """Show composite pages in the navigation and the site map, and give the
    type the icon Plone 6 looks up for content types
    (``contenttype/composite-page``), as a new install has them."""
    shown = api.portal.get_registry_record("plone.displayed_types", default=None)
    if shown is not None and "Composite Page" not in shown:
        api.portal.set_registry_record(
            "plone.displayed_types", tuple(shown) + ("Composite Page",)
        )
    registry = api.portal.get_tool("portal_registry")
    if ICON not in registry.records:
        registry.records[ICON] = Record(
            field.TextLine(title="Composite Page"),
            "++plone++bootstrap-icons/layout-text-window.svg",
        )
    fti = api.portal.get_tool("portal_types").get("Composite Page")
    if fti is not None:
        fti.manage_changeProperties(icon_expr="string:contenttype/composite-page")
