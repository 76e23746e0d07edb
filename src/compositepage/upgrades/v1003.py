"""1002 -> 1003: a new composite page opens in design mode; the content
pickers search the whole site as one types."""

from plone import api


OLD_IMMEDIATE_VIEW = "compositepage_view"


def upgrade(context):
    """After the add form, Plone opens the type's ``immediate_view``: design
    mode, where an empty page is filled, instead of the empty real page.

    A site that chose another immediate view keeps it.  registry.xml is
    imported again for the pickers' search operation (it keeps the values of
    the add-on's settings).
    """
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(
        "profile-compositepage:default", "plone.app.registry", run_dependencies=False
    )
    fti = api.portal.get_tool("portal_types").get("Composite Page")
    if fti is not None and fti.immediate_view == OLD_IMMEDIATE_VIEW:
        fti.manage_changeProperties(immediate_view="@@design")
