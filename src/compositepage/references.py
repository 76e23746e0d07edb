"""Content that placements refer to, found in one catalog query per page."""

from Products.CMFCore.utils import getToolByName


def resolve(context, placements, types):
    """{uuid: brain} for every reference of ``placements`` the user may see.

    One restricted catalog query (as the current user) for the whole page, so
    a reference to deleted or private content is simply missing.
    """
    uuids = set()
    for placement in placements:
        # Placement records, or their plain-data form (dicts).
        if isinstance(placement, dict):
            name, settings = placement["widget_type"], placement["settings"]
        else:
            name, settings = placement.widget_type, placement.settings
        widget_type = types.get(name)
        if widget_type is not None:
            uuids.update(widget_type.reference_uuids(settings))
    if not uuids:
        return {}
    catalog = getToolByName(context, "portal_catalog")
    return {brain.UID: brain for brain in catalog(UID=sorted(uuids))}
