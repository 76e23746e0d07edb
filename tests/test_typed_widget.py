"""An integrator's widget type with a Decimal, a Datetime and a
RelationChoice field works with no change to compositepage: its settings
are converted by plone.restapi's field deserializers and json_compatible,
stored as plain data, and refused with a sentence when they do not fit."""

from compositepage import api as cp
from plone import api

import pytest
import typed_widget


@pytest.fixture
def typed(portal):
    """The widget type ``typed`` registered and enabled, for one test."""
    from plone.app.testing import popGlobalRegistry
    from plone.app.testing import pushGlobalRegistry
    from typed_widget import ZCML
    from zope.component.hooks import setSite
    from zope.configuration import xmlconfig

    pushGlobalRegistry(portal)
    setSite(portal)
    try:
        xmlconfig.string(ZCML)
        enabled = api.portal.get_registry_record("compositepage.enabled_widget_types")
        api.portal.set_registry_record(
            "compositepage.enabled_widget_types", [*enabled, "typed"]
        )
        yield
    finally:
        popGlobalRegistry(portal)
        setSite(portal)


@pytest.fixture
def page(portal, typed):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        yield make_page(portal)


@pytest.fixture
def document(portal):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal, type="Document", id="doc", title="Doc"
        )


def stored(page):
    (widget,) = cp.get_composition(page)["slots"]["main"]
    return widget["settings"]


def instant(text):
    """A stored Datetime as the instant it means: plone.restapi 10 (Plone
    6.2) writes UTC with its offset, plone.restapi 9 (6.1) without."""
    from datetime import datetime
    from datetime import timezone

    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def test_settings_are_converted_by_plone_restapi(page, document):
    cp.add_widget(
        page,
        "main",
        "typed",
        {
            "amount": "12.50",
            "when": "2026-11-30T10:00:00+01:00",
            "target": document.UID(),
        },
    )
    settings = stored(page)
    assert instant(settings.pop("when")) == instant("2026-11-30T09:00:00+00:00")
    assert settings == {"amount": "12.50", "target": document.UID()}


def test_values_in_other_forms(page, document):
    # A JSON number for the Decimal, a path for the relation: stored as the
    # Decimal's text and the target's UUID.
    pid = cp.add_widget(page, "main", "typed", {"amount": 3.25, "target": "/doc"})
    assert stored(page) == {"amount": "3.25", "when": None, "target": document.UID()}
    # An update keeps what it does not name.
    cp.update_widget(page, pid, {"when": "2026-01-02T03:04:05Z"})
    assert instant(stored(page)["when"]) == instant("2026-01-02T03:04:05+00:00")
    assert stored(page)["target"] == document.UID()


@pytest.mark.parametrize(
    "settings,problem",
    [
        ({"amount": "twelve"}, "'Amount' (amount) is not valid"),
        ({"amount": "-1"}, "'Amount' (amount) is not valid"),
        ({"when": "yesterday"}, "'When' (when) is not valid"),
        ({"when": 5}, "'When' (when) is not valid"),
        ({"target": "0" * 32}, "'Target' (target) is not valid"),
        ({"target": 12}, "'Target' (target) is not valid"),
    ],
)
def test_values_that_do_not_fit_are_refused(page, settings, problem):
    before = cp.get_composition(page)
    with pytest.raises(
        cp.InvalidOperation, match=problem.replace("(", r"\(").replace(")", r"\)")
    ):
        cp.add_widget(page, "main", "typed", settings)
    assert cp.get_composition(page) == before


def test_the_settings_form_shows_stored_values(page, document, layered_request):
    from zope.component import getMultiAdapter

    pid = cp.add_widget(
        page, "main", "typed", {"amount": "7.5", "target": document.UID()}
    )
    layered_request.form.update({"id": pid})
    form = getMultiAdapter(
        (page, layered_request), name="compositepage-widget-settings"
    )
    form.update()
    assert form.widgets["amount"].value == "7.5"
    assert document.UID() in str(form.widgets["target"].value)


def test_a_refused_reference_leaves_the_response_as_it_was(page):
    # plone.restapi's relation deserializer sets the response of the request
    # it converts for to 400 when it refuses a value; a refusal caught by an
    # integrator's view must not turn that view's answer into an error.
    from zope.globalrequest import getRequest

    response = getRequest().response
    assert response.getStatus() == 200
    with pytest.raises(cp.InvalidOperation):
        cp.add_widget(page, "main", "typed", {"target": "0" * 32})
    assert response.getStatus() == 200


@pytest.mark.parametrize(
    "zcml,setting", [("FILE_ZCML", "picture"), ("FILES_ZCML", "pictures")]
)
def test_a_file_setting_is_refused_when_the_site_starts(portal, zcml, setting):
    from plone.app.testing import popGlobalRegistry
    from plone.app.testing import pushGlobalRegistry
    from zope.component.hooks import setSite
    from zope.configuration import xmlconfig
    from zope.configuration.exceptions import ConfigurationError

    pushGlobalRegistry(portal)
    try:
        with pytest.raises(ConfigurationError) as info:
            xmlconfig.string(getattr(typed_widget, zcml))
    finally:
        popGlobalRegistry(portal)
        setSite(portal)
    message = str(info.value)
    assert f"The setting '{setting}' of widget 'filed' is a file or image" in message
    assert "plone.app.vocabularies.Catalog" in message


def test_a_value_without_a_plain_form_is_refused_when_saved(page):
    # An integrator's field whose deserializer gives an object that
    # plone.restapi's json_compatible cannot turn into plain data.
    from plone.app.testing import popGlobalRegistry
    from plone.app.testing import pushGlobalRegistry
    from zope.component.hooks import setSite
    from zope.configuration import xmlconfig

    portal = api.portal.get()
    pushGlobalRegistry(portal)
    setSite(portal)
    try:
        xmlconfig.string(typed_widget.POINT_ZCML)
        enabled = api.portal.get_registry_record("compositepage.enabled_widget_types")
        api.portal.set_registry_record(
            "compositepage.enabled_widget_types", [*enabled, "point"]
        )
        before = cp.get_composition(page)
        with pytest.raises(
            cp.InvalidOperation,
            match=r"'Where' \(where\) has a value of a kind settings cannot hold "
            r"\(SimpleNamespace\)",
        ):
            cp.add_widget(page, "main", "point", {"where": "1,2"})
        assert cp.get_composition(page) == before
    finally:
        popGlobalRegistry(portal)
        setSite(portal)
