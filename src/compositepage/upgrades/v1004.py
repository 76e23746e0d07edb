"""1003 -> 1004: the columns widget in the palette."""

from compositepage.interfaces import ICompositePageSettings
from plone import api


COLUMNS = "columns"


def upgrade(context):
    """Offer the columns widget where the site offers every widget type it
    offered before (the earlier default).  A site that chose fewer widget
    types chose for its editors; it enables columns in the control panel.
    """
    name = f"compositepage.{ICompositePageSettings['enabled_widget_types'].__name__}"
    enabled = list(api.portal.get_registry_record(name) or [])
    offered_before = [
        value
        for value in ICompositePageSettings["enabled_widget_types"].default
        if value != COLUMNS
    ]
    if COLUMNS not in enabled and set(offered_before) <= set(enabled):
        api.portal.set_registry_record(name, enabled + [COLUMNS])
