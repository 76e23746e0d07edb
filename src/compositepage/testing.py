"""Test layers of compositepage, reusable by any package that builds on it."""

from importlib.metadata import version
from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.robotframework.testing import REMOTE_LIBRARY_BUNDLE_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE


class CompositepageLayer(PloneSandboxLayer):
    """Plone with the content types, our ZCML and compositepage:default."""

    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import compositepage
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=compositepage)
        if int(version("plone.restapi").split(".")[0]) < 10:
            self.register_types_control_panel(configurationContext)

    def register_types_control_panel(self, configurationContext):
        """Plone's types control panel, registered again in this layer.

        plone.restapi 9 (Plone 6.1) names an adapter "dexterity-types" for
        any context on its browser layer.  Loaded here, into this layer's
        registry, it is found before Plone's control panel page of that name
        in a base layer's registry, and the page answered 404 in tests.  A
        site has a single registry, where the page is the better match.
        """
        from zope.configuration import xmlconfig

        xmlconfig.string(
            """<configure xmlns:browser="http://namespaces.zope.org/browser">
              <include package="Products.Five" file="meta.zcml" />
              <browser:page
                  name="dexterity-types"
                  for="plone.base.interfaces.IPloneSiteRoot"
                  class="plone.app.dexterity.browser.types.TypesContext"
                  allowed_interface="OFS.interfaces.IItem"
                  permission="plone.schemaeditor.ManageSchemata"
                  />
            </configure>""",
            context=configurationContext,
        )

    def setUpPloneSite(self, portal):
        applyProfile(portal, "compositepage:default")


def _testing_layers(fixture, name):
    """The integration and functional layers of ``fixture``, called
    ``<name>:Integration`` and ``<name>:Functional`` (the latter with a WSGI
    server, for browser and HTTP tests)."""
    return (
        IntegrationTesting(bases=(fixture,), name=f"{name}:Integration"),
        FunctionalTesting(
            bases=(fixture, WSGI_SERVER_FIXTURE), name=f"{name}:Functional"
        ),
    )


FIXTURE = CompositepageLayer()

INTEGRATION_TESTING, FUNCTIONAL_TESTING = _testing_layers(FIXTURE, "Compositepage")

ACCEPTANCE_TESTING = FunctionalTesting(
    bases=(FIXTURE, REMOTE_LIBRARY_BUNDLE_FIXTURE, WSGI_SERVER_FIXTURE),
    name="Compositepage:Acceptance",
)


# Layers with the parts of Plone's editorial machinery that need a profile:
# their ZCML is loaded already (plone.restapi includes plone.app.iterate,
# Products.CMFPlone includes plone.app.multilingual).  Each is set up on top
# of FIXTURE, only for the tests that ask for it, and torn down after them.


class IterateLayer(PloneSandboxLayer):
    """compositepage with working copies (plone.app.iterate), and Folder as
    a composite type (behavior enabled as in the types control panel), with
    the locking plone.app.iterate needs to check a folder out."""

    defaultBases = (FIXTURE,)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "plone.app.iterate:default")
        folder = portal.portal_types["Folder"]
        folder._updateProperty(
            "behaviors", (*folder.behaviors, "plone.locking", "compositepage.composite")
        )


ITERATE_FIXTURE = IterateLayer()

ITERATE_INTEGRATION_TESTING, ITERATE_FUNCTIONAL_TESTING = _testing_layers(
    ITERATE_FIXTURE, "Compositepage:Iterate"
)


class MultilingualLayer(PloneSandboxLayer):
    """compositepage with translations (plone.app.multilingual) in English
    and German, each with its language root folder (/en, /de)."""

    defaultBases = (FIXTURE,)
    languages = ("en", "de")

    def setUpPloneSite(self, portal):
        from plone.registry.interfaces import IRegistry
        from zope.component import getUtility

        # What the Language control panel stores, before the add-on's
        # installation creates a root folder per language.
        registry = getUtility(IRegistry)
        registry["plone.available_languages"] = list(self.languages)
        registry["plone.default_language"] = self.languages[0]
        applyProfile(portal, "plone.app.multilingual:default")


MULTILINGUAL_FIXTURE = MultilingualLayer()

MULTILINGUAL_INTEGRATION_TESTING, MULTILINGUAL_FUNCTIONAL_TESTING = _testing_layers(
    MULTILINGUAL_FIXTURE, "Compositepage:Multilingual"
)
