"""Who may do what: every view and call × every role, on published and on
private content, against a table written here.  Any cell that differs fails."""

from compositepage import api as cp
from plone import api

import json
import pytest
import transaction


ROLES = [
    None,  # Anonymous
    "member",
    "contributor",
    "editor",
    "reviewer",
    "siteadmin",
    "manager",
    "owner",  # a Member who owns the page
]

# Y: allowed (2xx), N: refused (401, 403 or a redirect to the login form).
# Viewing follows Plone's workflow (simple_publication_workflow: a Reviewer
# does not see private content); designing needs "compositepage: Design page";
# layouts and the control panel need "compositepage: Manage layouts".
# Columns follow ROLES: anon member contributor editor reviewer siteadmin
# manager owner.  Each row: (published, private).
EXPECTED = {
    "real view": ("YYYYYYYY", "NNYYNYYY"),
    "design view": ("NNNYNYYY", "NNNYNYYY"),
    "settings form": ("NNNYNYYY", "NNNYNYYY"),
    "design state": ("NNNYNYYY", "NNNYNYYY"),
    "design write": ("NNNYNYYY", "NNNYNYYY"),
    "control panel": ("NNNNNYYN", "NNNNNYYN"),
    "REST get": ("YYYYYYYY", "NNYYNYYY"),
    "REST get export": ("NNNYNYYY", "NNNYNYYY"),
    "REST patch add": ("NNNYNYYY", "NNNYNYYY"),
    "REST patch move": ("NNNYNYYY", "NNNYNYYY"),
    "REST patch update": ("NNNYNYYY", "NNNYNYYY"),
    "REST patch remove+undo": ("NNNYNYYY", "NNNYNYYY"),
    "REST patch set_layout": ("NNNNNYYN", "NNNNNYYN"),
    "REST import": ("NNNYNYYY", "NNNYNYYY"),
    "REST layouts": ("YYYYYYYY", "NNYYNYYY"),
    "REST widgets": ("YYYYYYYY", "NNYYNYYY"),
}


def outcome(response):
    if 200 <= response.status_code < 300:
        return "Y"
    if response.status_code in (401, 403) or (
        response.status_code == 302 and "login" in response.headers.get("Location", "")
    ):
        return "N"
    return f"?{response.status_code}"


@pytest.fixture
def pages(site):
    from helpers import make_page
    from helpers import PASSWORD
    from helpers import publish

    api.user.create(email="owner@example.org", username="owner", password=PASSWORD)
    made = {}
    with api.env.adopt_roles(["Manager"]):
        for state in ("published", "private"):
            page = make_page(site.portal, id=state, title=state.title())
            for text in ("One", "Two"):
                cp.add_widget(page, "main", "heading", {"text": text})
            api.user.grant_roles(username="owner", obj=page, roles=["Owner"])
            if state == "published":
                publish(page)
            made[state] = page
    transaction.commit()
    return made


class Caller:
    def __init__(self, site, path, user):
        self.site = site
        self.path = path
        self.user = user

    def headers(self):
        from helpers import basic_auth

        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.user:
            headers.update(basic_auth(self.user))
        return headers

    def version_and_ids(self):
        transaction.begin()
        composition = cp.get_composition(self.site.portal[self.path])
        return composition["version"], [w["id"] for w in composition["slots"]["main"]]

    def rest(self, method, path, body=None):
        url = f"{self.site.url}/{path}"
        data = None if body is None else json.dumps(body)
        return self.site.session.request(
            method, url, headers=self.headers(), data=data, allow_redirects=False
        )

    def patch(self, *operations):
        return self.rest(
            "PATCH", f"{self.path}/@composition", {"operations": list(operations)}
        )

    def call(self, what):
        return CALLS[what](self, *self.version_and_ids())

    # One method per row of the table, given the version and widget ids.

    def real_view(self, version, ids):
        return self.site.get(self.path, user=self.user)

    def design_view(self, version, ids):
        return self.site.get(f"{self.path}/@@design", user=self.user)

    def settings_form(self, version, ids):
        url = f"{self.path}/@@compositepage-widget-settings?type=heading&slot=main"
        return self.site.get(url, user=self.user)

    def design_state(self, version, ids):
        # What design mode reads: the floor plan with the composition.
        return self.rest("GET", f"{self.path}/@composition?expand=design")

    def design_write(self, version, ids):
        # What design mode writes: PATCH @composition, as any client.
        body = {
            "operations": [{"op": "move", "id": ids[0], "slot": "main", "index": 0}]
        }
        return self.site.session.patch(
            f"{self.site.url}/{self.path}/@composition?expand=design",
            headers={**self.headers(), "If-Match": f'"{version}"'},
            data=json.dumps(body),
            allow_redirects=False,
        )

    def control_panel(self, version, ids):
        return self.site.get("@@compositepage-controlpanel", user=self.user)

    def rest_get(self, version, ids):
        return self.rest("GET", f"{self.path}/@composition")

    def rest_export(self, version, ids):
        return self.rest("GET", f"{self.path}/@composition?export=1")

    def patch_add(self, version, ids):
        add = {
            "op": "add",
            "slot": "main",
            "widget_type": "heading",
            "settings": {"text": "x"},
        }
        return self.patch(add)

    def patch_move(self, version, ids):
        return self.patch({"op": "move", "id": ids[-1], "slot": "main", "index": 0})

    def patch_update(self, version, ids):
        return self.patch({"op": "update", "id": ids[0], "settings": {"level": 3}})

    def patch_remove(self, version, ids):
        return self.patch({"op": "remove", "id": ids[0]}, {"op": "undo"})

    def patch_layout(self, version, ids):
        return self.patch({"op": "set_layout", "layout": "landing"}, {"op": "undo"})

    def rest_import(self, version, ids):
        from compositepage.restapi.serializer import serialize_composition

        with api.env.adopt_roles(["Manager"]):
            document = serialize_composition(
                self.site.portal[self.path], None, export=True
            )
        return self.rest("POST", f"{self.path}/@composition-import", document)

    def rest_layouts(self, version, ids):
        return self.rest("GET", f"{self.path}/@compositepage-layouts")

    def rest_widgets(self, version, ids):
        return self.rest("GET", f"{self.path}/@compositepage-widgets")


CALLS = {
    "real view": Caller.real_view,
    "design view": Caller.design_view,
    "settings form": Caller.settings_form,
    "design state": Caller.design_state,
    "design write": Caller.design_write,
    "control panel": Caller.control_panel,
    "REST get": Caller.rest_get,
    "REST get export": Caller.rest_export,
    "REST patch add": Caller.patch_add,
    "REST patch move": Caller.patch_move,
    "REST patch update": Caller.patch_update,
    "REST patch remove+undo": Caller.patch_remove,
    "REST patch set_layout": Caller.patch_layout,
    "REST import": Caller.rest_import,
    "REST layouts": Caller.rest_layouts,
    "REST widgets": Caller.rest_widgets,
}


def test_role_matrix(site, pages, capsys):
    observed = {}
    for what in EXPECTED:
        row = []
        for state in ("published", "private"):
            cells = ""
            for user in ROLES:
                cells += outcome(Caller(site, state, user).call(what))
            row.append(cells)
        observed[what] = tuple(row)
    cells = sum(len(a) + len(b) for a, b in EXPECTED.values())
    with capsys.disabled():
        print(f"\nrole matrix: {cells} cells checked")
    assert observed == EXPECTED


def test_writes_refused_by_the_matrix_changed_nothing(site, pages):
    """A refused write leaves the page exactly as it was."""
    transaction.begin()
    before = {state: cp.get_composition(page) for state, page in pages.items()}
    for user in (None, "member", "contributor", "reviewer"):
        for state in pages:
            caller = Caller(site, state, user)
            for what in (
                "design write",
                "REST patch add",
                "REST patch remove+undo",
                "REST import",
            ):
                assert outcome(caller.call(what)) == "N"
    transaction.begin()
    assert {state: cp.get_composition(page) for state, page in pages.items()} == before
