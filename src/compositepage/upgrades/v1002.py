"""1001 -> 1002: composite pages in Plone's editorial machinery."""

from compositepage.interfaces import IComposite
from compositepage.relations import update_links
from compositepage.versioning import install_modifier
from plone import api


def upgrade(context):
    """Record the links of every composite page for link integrity, keep
    undo history out of new versions, offer Compare and Revert in the
    History of composite pages (portal_diff), and hide Design where Plone
    hides Edit (on a page locked by someone else, e.g. checked out).

    Pages composed before this version hold links plone.app.linkintegrity
    was never told about: deleting what a teaser shows went unwarned.  Every
    item with the composite behavior (the site root too, when it has it) gets
    its ``isReferencing`` relations; its content is not otherwise touched.
    """
    portal = api.portal.get()
    install_modifier(portal)
    setup = api.portal.get_tool("portal_setup")
    for step in ("actions", "difftool"):
        setup.runImportStepFromProfile(
            "profile-compositepage:default", step, run_dependencies=False
        )
    if IComposite.providedBy(portal):
        update_links(portal, force=True)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        object_provides=IComposite.__identifier__
    ):
        update_links(brain._unrestrictedGetObject(), force=True)
