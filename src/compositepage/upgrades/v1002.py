"""1001 -> 1002: composite pages in Plone's editorial machinery."""

from compositepage.interfaces import IComposite
from compositepage.relations import update_links
from compositepage.versioning import install_modifier
from plone import api


def upgrade(context):
    """Record the links of every composite page for link integrity, and keep
    undo history out of new versions.

    Pages composed before this version hold links plone.app.linkintegrity
    was never told about: deleting what a teaser shows went unwarned.  Every
    item with the composite behavior (the site root too, when it has it) gets
    its ``isReferencing`` relations; its content is not otherwise touched.
    """
    portal = api.portal.get()
    install_modifier(portal)
    if IComposite.providedBy(portal):
        update_links(portal)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        object_provides=IComposite.__identifier__
    ):
        update_links(brain._unrestrictedGetObject())
