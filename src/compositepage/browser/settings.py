"""The settings form of a widget, generated from its widget type's schema.

Design mode opens it in a dialog, for a placement (``?id=``) or for a new
widget dropped into a slot (``?type=&slot=&index=``): a new widget is created
only when its settings are saved, so nothing incomplete is ever stored.  The
form validates with z3c.form, then ``compositepage.api`` validates again and
stores; its errors are shown in the form and nothing is stored.
"""

from AccessControl import Unauthorized
from compositepage import _
from compositepage import lookup
from compositepage.browser.design import BUNDLE
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.errors import translated
from compositepage.operations import perform
from compositepage.storage import query_composition
from compositepage.validation import plain_settings
from compositepage.validation import settings_content
from html import escape
from plone.autoform.form import AutoExtensibleForm
from plone.protect.authenticator import check
from Products.CMFPlone.resources import add_bundle_on_request
from urllib.parse import urlencode
from z3c.form import button
from z3c.form import form
from zExceptions import BadRequest
from zope.i18n import translate

import json


class WidgetSettingsForm(AutoExtensibleForm, form.Form):
    """Settings of one widget: edit a placement, or create a new one."""

    ignoreContext = False
    enable_form_tabbing = False
    # Plone's autofocus would focus a field that a pattern then hides
    # (TinyMCE, related items): it loses focus at once and Plone's validation
    # calls the untouched form wrong.  The editor's script focuses instead.
    enable_autofocus = False
    schema = None
    result = None

    def update(self):
        # Shown in a dialog of the design view: no toolbar, no portlets.
        self.request.set("disable_border", 1)
        self.request.set("disable_plone.leftcolumn", 1)
        self.request.set("disable_plone.rightcolumn", 1)
        add_bundle_on_request(self.request, BUNDLE)
        self._find_target()
        self.schema = self.widget_type.schema
        super().update()

    def _find_target(self):
        params = self.request.form
        self.placement = None
        self.params = {}
        if params.get("id"):
            composition = query_composition(self.context)
            placement = (
                composition.placements.get(params["id"])
                if composition is not None
                else None
            )
            if placement is None:
                raise BadRequest(f"There is no widget {params['id']!r} on this page.")
            self.placement = placement
            self.widget_type = lookup.query_widget_type(placement.widget_type)
            if self.widget_type is None:
                raise BadRequest("This widget's type is no longer available.")
            self.params["id"] = placement.id
        else:
            self.widget_type = lookup.query_widget_type(params.get("type"))
            if self.widget_type is None:
                raise BadRequest(f"There is no widget type {params.get('type')!r}.")
            self.params.update(
                type=self.widget_type.name,
                slot=str(params.get("slot", "")),
                index=str(params.get("index", "")),
            )
        if params.get("version") not in (None, ""):
            self.params["version"] = str(params["version"])

    @property
    def label(self):
        title = translate(self.widget_type.title, context=self.request)
        if self.placement is None:
            return _("msg_new_title", default="New ${type}", mapping={"type": title})
        return _(
            "msg_settings_title", default="Settings of ${type}", mapping={"type": title}
        )

    @property
    def action(self):
        return f"{self.request.getURL()}?{urlencode(self.params)}"

    def getContent(self):
        settings = self.placement.settings if self.placement is not None else {}
        return settings_content(self.widget_type, settings, self.context)

    def _version(self):
        version = self.params.get("version")
        if version is None:
            return None
        try:
            return int(version)
        except ValueError:
            raise BadRequest("The version must be a whole number.")

    def _index(self):
        index = self.params.get("index")
        if not index:
            return None
        try:
            return int(index)
        except ValueError:
            raise BadRequest("The position must be a whole number.")

    @button.buttonAndHandler(_("button_save", default="Save"), name="save")
    def handle_save(self, action):
        check(self.request)  # plone.protect's token: a form, not a JSON API
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        # Every field, an emptied one as None: an update keeps the settings
        # it does not name, so a cleared link or alt text must be named.
        settings = plain_settings(self.widget_type, data, self.context)
        if self.placement is None:
            operation = {
                "op": "add",
                "slot": self.params.get("slot"),
                "widget_type": self.widget_type.name,
                "settings": settings,
                "index": self._index(),
            }
        else:
            operation = {"op": "update", "id": self.placement.id, "settings": settings}
        try:
            done = perform(self.context, operation, self._version()).operation
        except StaleVersion:
            self.status = _(
                "msg_stale",
                default="This page was changed by someone else — your view has been "
                "refreshed.",
            )
            self.result = {"stale": True}
            return
        except (InvalidOperation, Unauthorized) as error:
            self.status = translated(error, self.request)
            return
        self.result = {"saved": True, "focus": done.focus}
        if self.placement is None:
            # Where a new widget went, as a move says it (else "Settings saved.").
            self.result["message"] = translate(
                done.describe(self.context), context=self.request
            )

    @button.buttonAndHandler(_("button_cancel", default="Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.result = {"cancelled": True}

    def render(self):
        if self.result is not None:
            # A tiny page the design view's dialog recognises and closes on.
            self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
            return (
                '<!DOCTYPE html><html><body><div id="cp-settings-done" '
                f'data-result="{escape(json.dumps(self.result))}"></div></body></html>'
            )
        return super().render()
