"""Install and uninstall hooks of the GenericSetup profiles."""

from plone.base.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall profile out of the add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["compositepage:uninstall"]

    def getNonInstallableProducts(self):
        return ["compositepage.upgrades", "compositepage.profiles"]
