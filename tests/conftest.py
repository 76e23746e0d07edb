"""pytest fixtures: the Plone layers of compositepage.testing, set up once."""

from compositepage.testing import FUNCTIONAL_TESTING
from compositepage.testing import INTEGRATION_TESTING
from pytest_plone import fixtures_factory


pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional"),
            (INTEGRATION_TESTING, "integration"),
        )
    )
)
