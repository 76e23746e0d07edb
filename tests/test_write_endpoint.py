"""Design mode's writes, over HTTP: the editor writes through
``PATCH @composition?expand=design`` like any client, and every answer (a
refusal too) carries the floor plan's state.  Every refusal is a 4xx with a
sentence, and the stored state stays exactly as it was.

(These tests were written for the editor's own endpoint, @@design-write,
which the one write protocol replaced: a stale version is now 412, the
version travels in If-Match, and the body limit is the REST API's 256 KB.)
"""

from compositepage import api as cp
from compositepage.caching import NEVER_CACHED
from helpers import basic_auth
from plone import api

import json
import pytest
import re
import transaction


@pytest.fixture
def page(site):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout="two-columns")
        cp.add_widget(page, "main", "heading", {"text": "One"})
        cp.add_widget(page, "main", "heading", {"text": "Two"})
    transaction.commit()
    return page


class Answer:
    """A PATCH answer, read as design mode reads it: its design component."""

    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code
        self.text = response.text

    def json(self):
        return self.response.json()["@components"]["design"]


def write(site, body, user="editor", headers=None, **kw):
    """One operation as design mode sends it: ``version`` as If-Match."""
    headers = {
        **(headers or {}),
        "Accept": "application/json",
        # A charset keeps plone.restapi's JWT plugin from parsing the body
        # first (see test_restapi.test_deep_json_fails_in_plone_restapi_first).
        "Content-Type": "application/json; charset=utf-8",
    }
    if isinstance(body, dict) and "version" in body:
        body = dict(body)
        headers["If-Match"] = f'"{body.pop("version")}"'
    if isinstance(body, (str, bytes)):
        text = body.decode() if isinstance(body, bytes) else body
        data = '{"operations": [' + text + "]}"
    else:
        data = json.dumps({"operations": [body]})
    response = site.session.patch(
        f"{site.url}/page/@composition?expand=design",
        data=data.encode("utf-8", "surrogatepass"),
        headers={**headers, **basic_auth(user)} if user else headers,
        allow_redirects=False,
        **kw,
    )
    return Answer(response)


def state(page):
    transaction.begin()
    return cp.get_composition(page)


def test_a_move(site, page):
    before = state(page)
    one, two = (w["id"] for w in before["slots"]["main"])
    response = write(
        site, {"op": "move", "id": two, "slot": "aside", "index": 0, "version": 3}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 4
    assert data["message"] == "Heading moved to Sidebar, position 1 of 1."
    assert data["focus"] == two
    assert f"data-placement-id='{two}'" in data["html"]
    after = state(page)
    assert [w["id"] for w in after["slots"]["aside"]] == [two]


def test_blocks_follow_changed_settings(site, page, monkeypatch):
    """Blocks are kept per process by the placement record's serial: the
    stub does not run again for an unchanged placement, and a change shows
    at once, in the write's answer and in the next view."""
    from compositepage import lookup
    from compositepage.browser import canvas
    from helpers import design_document

    heading = lookup.widget_types()["heading"]
    drawn = []

    def counting(settings, references, stub=heading._design_stub):
        drawn.append(settings["text"])
        return stub(settings, references)

    monkeypatch.setattr(heading, "_design_stub", counting)
    canvas._BLOCKS.clear()
    one, _ = (w["id"] for w in state(page)["slots"]["main"])

    def title(html):
        document = design_document(html)
        (block,) = document.cssselect(f'.cp-block[data-placement-id="{one}"]')
        return block.cssselect(".cp-block-title")[0].text_content()

    assert title(site.get("page/@@design", user="editor").content) == "One"
    assert sorted(drawn) == ["One", "Two"]
    del drawn[:]
    assert title(site.get("page/@@design", user="editor").content) == "One"
    assert drawn == []
    response = write(
        site,
        {"op": "update", "id": one, "settings": {"text": "Changed"}, "version": 3},
    )
    assert response.status_code == 200, response.text
    assert "Changed" in response.json()["html"]
    assert title(site.get("page/@@design", user="editor").content) == "Changed"
    assert drawn.count("Two") == 0
    response = write(site, {"op": "undo", "version": 4})
    assert response.status_code == 200, response.text
    assert title(site.get("page/@@design", user="editor").content) == "One"


def test_block_icons_only_from_the_site(site, page, monkeypatch):
    """A design stub may name an icon for its block (DesignStub.icon); the
    state carries the drawings of those the site has, and a name the site
    does not know is left out, so the block keeps its type's icon (Plone's
    resolver would answer its logo)."""
    from compositepage import lookup
    from compositepage.browser import canvas
    from compositepage.widget import DesignStub

    heading = lookup.widget_types()["heading"]

    def naming(settings, references):
        icon = "no-such-icon" if settings["text"] == "One" else "type-h3"
        return DesignStub(kind="heading", title=settings["text"], icon=icon)

    monkeypatch.setattr(heading, "_design_stub", naming)
    for attempt in ("drawn", "kept"):  # built, then from the block cache
        if attempt == "drawn":
            canvas._BLOCKS.clear()
        response = write(site, {"op": "undo", "version": 99})
        assert response.status_code == 412, response.text
        answer = response.json()
        assert "data-icon='no-such-icon'" in answer["html"], attempt
        assert list(answer["icons"]) == ["type-h3"], attempt
        assert answer["icons"]["type-h3"].startswith('<symbol id="cp-icon-type-h3"')


@pytest.mark.parametrize(
    "body,status,message",
    [
        (
            {"op": "move", "id": "nope", "slot": "main", "index": 0, "version": 3},
            400,
            "no widget 'nope'",
        ),
        ({"op": "explode", "version": 3}, 400, "Unknown operation 'explode'"),
        ({"op": "move", "version": 3}, 400, "no widget None"),
        (
            {
                "op": "add",
                "slot": "main",
                "widget_type": "heading",
                "settings": {"text": 5},
                "version": 3,
            },
            400,
            "must be text",
        ),
        (
            {
                "op": "add",
                "slot": "main",
                "widget_type": "heading",
                "settings": {"text": "x"},
                "index": 10**30,
                "version": 3,
            },
            400,
            "is outside",
        ),
        (
            {"op": "set_layout", "layout": "landing", "version": 3},
            403,
            "may not switch the layout",
        ),
        ({"op": "undo", "version": 1}, 412, "changed by someone else"),
        ({"op": "undo", "version": "3x"}, 400, "If-Match must be a version"),
        ([1, 2, 3], 400, "must be a JSON object"),
        ("{not json", 400, "not valid JSON"),
        (
            '{"op": "undo", "x": "' + "x" * 270_000 + '"}',
            413,
            "larger than",
        ),
        ("[" * 500 + "]" * 500, 400, "deeper than 16"),
        ("[" * 150_000 + "]" * 150_000, 413, "larger than"),
        ("[" * 5_000 + "]" * 5_000, 400, "deeper than 16"),
        (
            '{"op": "undo", "x": ' + "[" * 17 + "]" * 17 + "}",
            400,
            "deeper than 16",
        ),
    ],
    ids=[
        "unknown-id",
        "unknown-op",
        "missing-fields",
        "wrong-setting-type",
        "huge-index",
        "no-permission",
        "stale",
        "version-as-text",
        "array",
        "broken-json",
        "too-large",
        "too-deep",
        "huge-and-deep",
        "deeper-than-json-parsers-go",
        "deep-inside",
    ],
)
def test_refusals_change_nothing(site, page, body, status, message):
    before = state(page)
    response = write(site, body)
    assert response.status_code == status, response.text[:300]
    data = response.json()
    assert message in data["error"]
    # The answer carries the stored state, so the editor can show it.
    assert data["version"] == before["version"]
    assert state(page) == before


def test_forms_from_other_sites_are_refused(site, page):
    """What protects a JSON API from cross-site forms: a browser sends a
    form of another site only as a form or as text, and PATCH or a JSON
    content type from another site only after a CORS preflight Plone does
    not grant."""
    before = state(page)
    body = json.dumps({"operations": [{"op": "undo"}]})
    headers = {"Accept": "application/json", **basic_auth("editor")}
    url = f"{site.url}/page/@composition?expand=design"
    for sent in (
        {"data": {"operations": body}},  # application/x-www-form-urlencoded
        {"files": {"operations": ("x.json", body)}},  # multipart/form-data
        {"data": body, "headers": {**headers, "Content-Type": "text/plain"}},
    ):
        response = site.session.patch(url, **{"headers": headers, **sent})
        assert response.status_code == 415, (sent, response.status_code)
        assert "application/json" in response.json()["message"]
    assert state(page) == before


def test_the_editors_own_endpoints_are_gone(site, page):
    # One write protocol: design mode writes through @composition.
    for view in ("@@design-write", "@@design-state"):
        assert site.get(f"page/{view}", user="editor").status_code == 404
        assert site.post(f"page/{view}", user="editor", data="{}").status_code == 404


@pytest.mark.parametrize("user", [None, "member", "contributor", "reviewer"])
def test_only_designers_may_write(site, page, user):
    before = state(page)
    response = write(site, {"op": "undo", "version": 3}, user=user)
    assert response.status_code in (302, 401, 403)
    assert state(page) == before


def test_state_endpoint(site, page):
    response = site.get(
        "page/@composition?expand=design",
        user="editor",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NEVER_CACHED
    data = response.json()["@components"]["design"]
    assert data["version"] == 3 and data["layout"] == "two-columns"
    assert data["html"].count("class='cp-block ") == 2
    for user in (None, "member"):
        assert site.get(
            "page/@composition?expand=design",
            user=user,
            headers={"Accept": "application/json"},
        ).status_code in (401, 403)


@pytest.mark.parametrize(
    "widget_type", ["heading", "richtext", "image", "teaser", "listing", "embed"]
)
def test_settings_form_of_every_type_renders(site, page, widget_type):
    response = site.get(
        f"page/@@compositepage-widget-settings?type={widget_type}&slot=main&index=0&version=2",
        user="editor",
    )
    assert response.status_code == 200, response.text[:500]
    assert 'name="form.buttons.save"' in response.text


def test_settings_form_of_a_placement(site, page):
    one = state(page)["slots"]["main"][0]["id"]
    response = site.get(f"page/@@compositepage-widget-settings?id={one}", user="editor")
    assert response.status_code == 200
    assert 'value="One"' in response.text
    # No error page in the dialog: a sentence it shows, closing.
    from lxml import html

    for query, sentence in (
        ("id=nope", "There is no widget 'nope' on this page."),
        ("type=nope", "There is no widget type 'nope'."),
    ):
        response = site.get(
            f"page/@@compositepage-widget-settings?{query}", user="editor"
        )
        assert response.status_code == 200
        (done,) = html.fromstring(response.content).cssselect("#cp-settings-done")
        assert json.loads(done.get("data-result")) == {"gone": sentence}


def test_settings_form_refuses_a_conflicting_save(site, page):
    """Saved on version 1, after the widget's settings were set at version 2
    (it was added then): the form stays open with the input, says who did
    it, and offers to save over it (issue 15; before, the dialog closed)."""
    one = state(page)["slots"]["main"][0]["id"]
    url = f"page/@@compositepage-widget-settings?id={one}&version=1"
    form = site.get(url, user="editor").text
    authenticator = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', form).group(
        1
    )
    data = {
        "form.widgets.text": "Changed",
        "form.widgets.level:list": "2",
        "_authenticator": authenticator,
    }
    response = site.post(url, user="editor", data={**data, "form.buttons.save": "Save"})
    assert response.status_code == 200
    assert "cp-settings-done" not in response.text
    assert "changed the settings of this widget" in response.text
    assert 'value="Changed"' in response.text
    assert 'name="form.buttons.overwrite"' in response.text
    assert 'name="form.buttons.reload"' in response.text
    assert state(page)["slots"]["main"][0]["settings"]["text"] == "One"
    response = site.post(
        url, user="editor", data={**data, "form.buttons.overwrite": "Save"}
    )
    assert "cp-settings-done" in response.text and "saved" in response.text
    assert state(page)["slots"]["main"][0]["settings"]["text"] == "Changed"


def test_settings_form_needs_the_csrf_token(site, page):
    before = state(page)
    one = before["slots"]["main"][0]["id"]
    response = site.post(
        f"page/@@compositepage-widget-settings?id={one}",
        user="editor",
        data={
            "form.widgets.text": "Forged",
            "form.widgets.level:list": "2",
            "form.buttons.save": "Save",
        },
    )
    assert response.status_code == 403
    assert state(page) == before


def test_undo_and_redo_say_what_they_took_back(site, page):
    """The live region hears what Undo and Redo changed, not just "Undone."."""
    one, two = (w["id"] for w in state(page)["slots"]["main"])
    steps = [
        ({"op": "move", "id": two, "slot": "main", "index": 0}, "Heading moved"),
        (
            {"op": "update", "id": one, "settings": {"text": "New"}},
            "settings of Heading changed",
        ),
        ({"op": "remove", "id": two}, "Heading removed"),
    ]
    version = 3
    for operation, change in steps:
        response = write(site, {**operation, "version": version})
        assert response.status_code == 200, response.text
        version = response.json()["version"]
        response = write(site, {"op": "undo", "version": version})
        assert response.json()["message"] == f"Undone: {change}.", response.text
        version = response.json()["version"]
        response = write(site, {"op": "redo", "version": version})
        assert response.json()["message"] == f"Redone: {change}.", response.text
        version = response.json()["version"]
    assert [w["id"] for w in state(page)["slots"]["main"]] == [one]


def test_fewer_columns_say_where_their_widgets_went(site, page):
    """Over REST and in the settings dialog, a columns widget given fewer
    columns says where the widgets of those that went are now (it said
    only "Settings saved.")."""
    from lxml import html

    with api.env.adopt_roles(["Manager"]):
        row = cp.add_widget(page, "main", "columns", {"layout": "33-33-33"})
        for text in ("A", "B"):
            cp.add_widget(page, f"{row}/col-3", "heading", {"text": text})
    transaction.commit()
    sentence = "Settings saved. 2 widgets moved to Main, column 2."
    version = state(page)["version"]
    update = {"op": "update", "id": row, "settings": {"layout": "50-50"}}
    response = write(site, {**update, "version": version})
    assert response.status_code == 200, response.text
    assert response.json()["message"] == sentence
    response = write(site, {"op": "undo", "version": version + 1})
    assert response.json()["message"] == "Undone: settings of Columns changed."
    url = f"page/@@compositepage-widget-settings?id={row}"
    form = site.get(url, user="editor").text
    authenticator = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', form).group(
        1
    )
    response = site.post(
        url,
        user="editor",
        data={
            "form.widgets.layout:list": "50-50",
            "_authenticator": authenticator,
            "form.buttons.save": "Save",
        },
    )
    (done,) = html.fromstring(response.content).cssselect("#cp-settings-done")
    assert json.loads(done.get("data-result"))["message"] == sentence
    texts = [
        w["settings"]["text"] for w in state(page)["slots"]["main"][2]["slots"]["col-2"]
    ]
    assert texts == ["A", "B"]


def test_a_layout_switch_says_what_went_to_the_tray(site, page):
    """ "Layout switched." left the editor guessing: the sentence says how
    many widgets went to the tray, and which tray."""
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(page, "aside", "heading", {"text": "Side one"})
        cp.add_widget(page, "aside", "heading", {"text": "Side two"})
        api.portal.set_registry_record("plone.available_languages", ["en", "de"])
        api.portal.set_registry_record("plone.use_request_negotiation", True)
    transaction.commit()

    def switch(layout, language="en"):
        version = state(page)["version"]
        answer = write(
            site,
            {"op": "set_layout", "layout": layout, "version": version},
            user="siteadmin",
            headers={"Accept-Language": language},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["message"]

    assert switch("one-column") == (
        "Layout switched to One column. 2 widgets have no place in it and went "
        "to the tray “Not placed in this layout” below the floor plan."
    )
    assert switch("two-columns") == (
        "Layout switched to Two columns; no widget went to the tray."
    )
    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(page, "main", "richtext", {"text": "<p>Rich</p>"})
    transaction.commit()
    # The landing page has no main column and no sidebar.
    assert switch("landing", "de") == (
        "Layout gewechselt zu „Einstiegsseite“. 5 Bausteine haben darin keinen"
        " Platz und liegen jetzt in der Ablage „In diesem Layout nicht platziert“"
        " unter dem Aufbau der Seite."
    )
    assert switch("landing") == "The page already has the layout Landing page."
    transaction.begin()
    assert len(cp.get_composition(page)["unplaced"]) == 5
