"""pytest fixtures: the Plone layers of compositepage.testing, set up once."""

from compositepage.testing import FUNCTIONAL_TESTING
from compositepage.testing import INTEGRATION_TESTING
from compositepage.testing import ITERATE_FUNCTIONAL_TESTING
from compositepage.testing import ITERATE_INTEGRATION_TESTING
from compositepage.testing import MULTILINGUAL_FUNCTIONAL_TESTING
from compositepage.testing import MULTILINGUAL_INTEGRATION_TESTING
from helpers import basic_auth
from helpers import PASSWORD
from helpers import ROLES
from pytest_plone import fixtures_factory

import os
import pytest
import requests
import transaction
import zope.pytestlayer.fixture


# Compile the .po catalogues to .mo when the ZCML registers them (as the
# instance of make start does), so translations are there in tests.
os.environ.setdefault("zope_i18n_compile_mo_files", "true")


# pytest puts this folder on sys.path (rootdir conftest, "prepend" mode), so
# the tests import their helpers as top-level modules.
pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional_layer"),
            (INTEGRATION_TESTING, "integration_layer"),
        )
    )
)

# Layers with more of Plone installed (plone.app.iterate, ...): not kept for
# the session, as they stack on the fixture the layers above keep.  Their
# tests are classes that name their layer (``layer = ...``): zope.pytestlayer
# runs them after the others, grouped by layer, and sets each layer up once.
# (zope.pytestlayer's own factory: pytest-plone's keep_session=False is not in
# the version Plone 6.1 pins.)
for _layer, _prefix in (
    (ITERATE_INTEGRATION_TESTING, "iterate_integration"),
    (ITERATE_FUNCTIONAL_TESTING, "iterate_functional"),
    (MULTILINGUAL_INTEGRATION_TESTING, "multilingual_integration"),
    (MULTILINGUAL_FUNCTIONAL_TESTING, "multilingual_functional"),
):
    globals().update(
        zope.pytestlayer.fixture.create(
            _layer,
            session_fixture_name=f"{_prefix}_session",
            class_fixture_name=f"{_prefix}_class",
            function_fixture_name=_prefix,
        )
    )


# zope.pytestlayer tears a layer down after each test class unless the layer
# was set up by its session fixture; asking for it first keeps the Plone site
# (and the functional layer's WSGI server) up for the whole run.
@pytest.fixture
def integration(integration_layer_session, integration_layer):
    return integration_layer


@pytest.fixture
def functional(functional_layer_session, functional_layer):
    return functional_layer


@pytest.fixture
def layered_request(portal, http_request):
    """The integration request, marked with our browser layer as Plone would."""
    from compositepage.interfaces import ICompositepageLayer
    from zope.interface import alsoProvides

    alsoProvides(http_request, ICompositepageLayer)
    return http_request


class Site:
    """The functional layer's site over real HTTP, with a user per role."""

    def __init__(self, layer):
        self.layer = layer
        self.portal = layer["portal"]
        self.url = f"http://{layer['host']}:{layer['port']}/plone"
        self.session = requests.Session()

    def add_users(self):
        from plone import api

        for username, roles in ROLES.items():
            api.user.create(
                email=f"{username}@example.org",
                username=username,
                password=PASSWORD,
                roles=roles,
            )

    def get(self, path, user=None, **kw):
        headers = kw.pop("headers", {})
        if user:
            headers.update(basic_auth(user))
        return self.session.get(
            f"{self.url}/{path.lstrip('/')}",
            headers=headers,
            allow_redirects=False,
            **kw,
        )

    def post(self, path, user=None, **kw):
        headers = kw.pop("headers", {})
        if user:
            headers.update(basic_auth(user))
        return self.session.post(
            f"{self.url}/{path.lstrip('/')}",
            headers=headers,
            allow_redirects=False,
            **kw,
        )


def make_site(layer):
    """The site of a functional layer with users, committed."""
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    result = Site(layer)
    setRoles(result.portal, TEST_USER_ID, ["Manager"])
    result.add_users()
    transaction.commit()
    return result


@pytest.fixture
def site(functional):
    """The functional site with users; commit what a test builds before HTTP."""
    result = make_site(functional)
    yield result
    result.session.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright, for the whole run."""
    from browser import CHROMIUM
    from browser import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def open_browser(chromium):
    """``open_browser(site, user=None)``: a page of ``site`` (a ``Site``) in
    a fresh browser context; a script error in any page fails the test."""
    from browser import open_page

    pages = []

    def open(site, user=None, **options):
        page = open_page(chromium, site.url, user, **options)
        pages.append(page)
        return page

    yield open
    for page in pages:
        assert page.errors == [], page.errors
        page.context.close()


@pytest.fixture
def browse(open_browser, site):
    """``browse(user=None)``: a page of the functional site (see
    ``open_browser``)."""

    def open(user=None, **options):
        return open_browser(site, user, **options)

    return open


def pytest_terminal_summary(terminalreporter):
    """Report what the browser tests measured (drop to stored state)."""
    from browser import drop_time_report
    from browser import DROP_TIMES

    if DROP_TIMES:
        terminalreporter.write_line("compositepage editor: " + drop_time_report())
