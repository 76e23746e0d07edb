"""Any type can be composite: enabling the behavior offers the composite view.

A site administrator makes the site root, folders or any other Dexterity type
composite in Site Setup -> Content Types -> Behaviors.  The type's Display
menu then offers "Composite page"; switching the behavior off takes the view
away again, and items that showed it go back to the type's default view, so
none is left with a view it no longer has.
"""

from Acquisition import aq_base
from compositepage.interfaces import IComposite
from plone.behavior.registration import BehaviorRegistrationNotFound
from plone.behavior.registration import lookup_behavior_registration
from plone.dexterity.interfaces import IDexterityFTI
from plone.dexterity.interfaces import IDexterityFTIModificationDescription
from Products.CMFCore.utils import getToolByName
from zope.component import adapter
from zope.component.hooks import getSite
from zope.lifecycleevent.interfaces import IObjectModifiedEvent


VIEW = "compositepage_view"
BEHAVIOR = "compositepage.composite"


def is_composite_type(fti):
    """Whether the type's behaviors include ours (by name or interface)."""
    for name in fti.behaviors or ():
        try:
            registration = lookup_behavior_registration(name=name)
        except BehaviorRegistrationNotFound:
            continue
        if registration.marker is IComposite or name == BEHAVIOR:
            return True
    return False


def offer_view(fti):
    """Put the composite view into the type's views, or take it out."""
    views = list(fti.view_methods or ())
    if is_composite_type(fti):
        if VIEW not in views:
            fti.manage_changeProperties(view_methods=(*views, VIEW))
        return
    if VIEW not in views:
        return
    views.remove(VIEW)
    changes = {"view_methods": tuple(views)}
    if fti.default_view == VIEW:
        changes["default_view"] = views[0] if views else "view"
    fti.manage_changeProperties(**changes)
    forget_view(fti)


def forget_view(fti):
    """Items of the type that show the composite view show the default one."""
    site = getSite()
    catalog = getToolByName(site, "portal_catalog", None)
    items = []
    if getattr(aq_base(site), "portal_type", None) == fti.getId():
        items.append(site)
    if catalog is not None:
        items.extend(
            brain._unrestrictedGetObject()
            for brain in catalog.unrestrictedSearchResults(portal_type=fti.getId())
        )
    for item in items:
        if getattr(aq_base(item), "layout", None) != VIEW:
            continue
        if item.hasProperty("layout"):
            item.manage_delProperties(["layout"])
        else:
            del item.layout


@adapter(IDexterityFTI, IObjectModifiedEvent)
def type_modified(fti, event):
    """The behaviors of a type changed (types control panel, a profile)."""
    for description in event.descriptions:
        if (
            IDexterityFTIModificationDescription.providedBy(description)
            and description.attribute == "behaviors"
        ):
            offer_view(fti)
            return
