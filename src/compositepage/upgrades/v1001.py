"""1000 -> 1001: composite pages in the navigation, with their own icon."""

from plone import api


def upgrade(context):
    """Show composite pages in the navigation and the site map, and give the
    type the icon Plone 6 looks up for content types
    (``contenttype/composite-page``), as a new install has them.

    registry.xml is imported again: it adds the type to the displayed types
    (without purging the list), adds the icon record and keeps the values
    of the add-on's settings.  The type itself is not imported again, which
    would undo a site's changes to it; only its icon changes.
    """
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(
        "profile-compositepage:default", "plone.app.registry", run_dependencies=False
    )
    fti = api.portal.get_tool("portal_types").get("Composite Page")
    if fti is not None:
        fti.manage_changeProperties(icon_expr="string:contenttype/composite-page")
