"""Test layers of compositepage, reusable by any package that builds on it."""

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

    def setUpPloneSite(self, portal):
        applyProfile(portal, "compositepage:default")


FIXTURE = CompositepageLayer()

INTEGRATION_TESTING = IntegrationTesting(
    bases=(FIXTURE,),
    name="Compositepage:Integration",
)

FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(FIXTURE, WSGI_SERVER_FIXTURE),
    name="Compositepage:Functional",
)

ACCEPTANCE_TESTING = FunctionalTesting(
    bases=(FIXTURE, REMOTE_LIBRARY_BUNDLE_FIXTURE, WSGI_SERVER_FIXTURE),
    name="Compositepage:Acceptance",
)
