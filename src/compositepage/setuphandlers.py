"""Install and uninstall hooks of the GenericSetup profiles."""

from plone import api
from plone.base.interfaces import INonInstallable
from zope.interface import implementer


TYPE = "Composite Page"
DISPLAYED_TYPES = "plone.displayed_types"


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall profile out of the add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["compositepage:uninstall"]

    def getNonInstallableProducts(self):
        return ["compositepage.upgrades", "compositepage.profiles"]


def post_install(context):
    """What the default profile cannot say in XML: the CMFEditions modifier
    that keeps undo history out of versions (see compositepage.versioning)."""
    from compositepage.versioning import install_modifier

    install_modifier(api.portal.get())


def uninstall(context):
    """What the uninstall profile cannot say in XML: take the type out of the
    types shown in navigation (registry.xml only adds to a list) and out of
    the types versions are compared for, and remove the CMFEditions
    modifier."""
    from compositepage.versioning import uninstall_modifier

    uninstall_modifier(api.portal.get())
    diff = api.portal.get_tool("portal_diff")
    if diff.getDiffForPortalType(TYPE):
        diff.setDiffForPortalType(TYPE, {})
    shown = api.portal.get_registry_record(DISPLAYED_TYPES, default=None)
    if shown and TYPE in shown:
        api.portal.set_registry_record(
            DISPLAYED_TYPES, tuple(name for name in shown if name != TYPE)
        )
