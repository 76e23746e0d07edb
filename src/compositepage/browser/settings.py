"""The settings form of a widget, generated from its widget type's schema.

Design mode opens it in a dialog, for a placement (``?id=``) or for a new
widget dropped into a slot (``?type=&slot=&index=``): a new widget is created
only when its settings are saved, so nothing incomplete is ever stored.  The
form validates with z3c.form, then the operation (``update`` or ``add``)
validates again and stores; its errors are shown in the form and nothing is
stored.

The form saves on the version of the page the dialog was opened on, merging
what others changed since (``compositepage.conflicts``).  When someone
changed this widget's settings, moved or removed it meanwhile, the form stays
open with what the editor typed, says who did what and when, and offers the
next step: save over the other change or reload it, or add the removed
widget again with these settings.  Every refusal is a sentence in the dialog;
nothing is ever an error page.
"""

from AccessControl import Unauthorized
from compositepage import _
from compositepage import lookup
from compositepage.browser import add_editor_bundle
from compositepage.conflicts import Conflict
from compositepage.conflicts import Stamp
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.errors import translated
from compositepage.operations import perform
from compositepage.placing import arrange
from compositepage.storage import query_composition
from compositepage.validation import plain_settings
from compositepage.validation import settings_content
from html import escape
from plone.autoform.form import AutoExtensibleForm
from plone.protect.authenticator import check
from urllib.parse import urlencode
from z3c.form import button
from z3c.form import form
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
    # After a refused save: the Conflict, which decides the buttons offered.
    conflict = None
    # What the widget was, when someone removed it (conflicts.removal).
    removed = None

    def update(self):
        # Shown in a dialog of the design view: no toolbar, no portlets.
        self.request.set("disable_border", 1)
        self.request.set("disable_plone.leftcolumn", 1)
        self.request.set("disable_plone.rightcolumn", 1)
        add_editor_bundle(self.request)
        problem = self._find_target()
        if problem is not None:
            # Said in the dialog, which closes and shows the stored page.
            self.result = {"gone": translate(problem, context=self.request)}
            return
        self.schema = self.widget_type.schema
        super().update()

    def _find_target(self):
        """Find what the form edits; a sentence when there is nothing."""
        params = self.request.form
        self.placement = None
        self.params = {}
        version = params.get("version")
        if version not in (None, ""):
            if not str(version).isdigit():
                return _(
                    "error_version_number",
                    default="The version must be a whole number.",
                )
            self.params["version"] = str(version)
        if params.get("id"):
            composition = query_composition(self.context)
            placement_id = str(params["id"])
            placement = (
                composition.placements.get(placement_id)
                if composition is not None
                else None
            )
            self.params["id"] = placement_id
            if placement is None:
                removed = (
                    (composition.removed or {}).get(placement_id)
                    if composition
                    else None
                )
                if removed is None or self.request.method != "POST":
                    # Opened on a widget that is gone: nothing to edit.
                    return self._gone(composition, placement_id)
                # Saved after someone removed it: the form keeps the input.
                self.removed = dict(removed[1])
                type_name = self.removed["widget_type"]
            else:
                self.placement = placement
                type_name = placement.widget_type
            self.widget_type = lookup.query_widget_type(type_name)
            if self.widget_type is None:
                return _(
                    "error_type_gone",
                    default="The widget type ${type} is no longer available: this "
                    "widget can be moved or removed, not edited.",
                    mapping={"type": repr(type_name)},
                )
            return None
        self.widget_type = lookup.query_widget_type(params.get("type"))
        if self.widget_type is None:
            return _(
                "error_no_widget_type_short",
                default="There is no widget type ${type}.",
                mapping={"type": repr(params.get("type"))},
            )
        self.params.update(
            type=self.widget_type.name,
            slot=str(params.get("slot", "")),
            index=str(params.get("index", "")),
        )
        return None

    def _gone(self, composition, placement_id):
        """Why there is no widget ``placement_id`` to edit."""
        removed = (composition.removed or {}).get(placement_id) if composition else None
        if removed is not None:
            stamp = Stamp.of(removed[0])
            return Conflict(composition.version, None, "removed", stamp).message
        return _(
            "error_no_widget",
            default="There is no widget ${id} on this page.",
            mapping={"id": repr(placement_id)},
        )

    @property
    def label(self):
        title = translate(self.widget_type.title, context=self.request)
        if self.placement is None and self.removed is None:
            return _("msg_new_title", default="New ${type}", mapping={"type": title})
        return _(
            "msg_settings_title", default="Settings of ${type}", mapping={"type": title}
        )

    @property
    def action(self):
        return f"{self.request.getURL()}?{urlencode(self.params)}"

    def getContent(self):
        settings = self.placement.settings if self.placement is not None else {}
        if self.removed is not None:
            settings = self.removed["settings"]
        return settings_content(self.widget_type, settings, self.context)

    def _index(self):
        index = self.params.get("index")
        return int(index) if index and index.isdigit() else None

    def _save(self, operation, version):
        """Perform ``operation`` with the form's input; False when refused
        (the form says why and offers what to do next)."""
        check(self.request)  # plone.protect's token: a form, not a JSON API
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return False
        try:
            operation["settings"] = plain_settings(self.widget_type, data, self.context)
            done = perform(self.context, operation, version).operation
        except Conflict as error:
            self.conflict = error
            self.status = translated(error, self.request)
            # The buttons offered follow the conflict.
            self.updateActions()
            return False
        except StaleVersion as error:
            self.status = translated(error, self.request)
            self.result = {"stale": True}
            return False
        except (InvalidOperation, Unauthorized) as error:
            self.status = translated(error, self.request)
            return False
        # Where a new widget went, as a move says it; where fewer columns
        # sent the widgets of those that went ("Settings saved." else).
        self.result = {
            "saved": True,
            "focus": done.focus,
            "message": translate(done.describe(self.context), context=self.request),
        }
        return True

    def _the_operation(self):
        if self.placement is None and self.removed is None:
            return {
                "op": "add",
                "slot": self.params.get("slot"),
                "widget_type": self.widget_type.name,
                "index": self._index(),
            }
        return {"op": "update", "id": self.params["id"]}

    def _version(self):
        version = self.params.get("version")
        return int(version) if version is not None else None

    @button.buttonAndHandler(_("button_save", default="Save"), name="save")
    def handle_save(self, action):
        self._save(self._the_operation(), self._version())

    # The next steps after a refused save: offered then, and taken when
    # their button comes with the next request.

    def _changed_by_someone(self):
        if "form.buttons.overwrite" in self.request.form:
            return True
        return self.conflict is not None and self.conflict.kind != "removed"

    def _removed_by_someone(self):
        if "form.buttons.readd" in self.request.form:
            return self.removed is not None
        return self.conflict is not None and self.conflict.kind == "removed"

    @button.buttonAndHandler(
        _("button_save_over", default="Save over their change"),
        name="overwrite",
        condition=lambda form: form._changed_by_someone(),
    )
    def handle_overwrite(self, action):
        # The editor saw what changed and keeps their own settings.
        self._save(self._the_operation(), None)

    @button.buttonAndHandler(
        _("button_reload_settings", default="Show their change"),
        name="reload",
        condition=lambda form: form._changed_by_someone(),
    )
    def handle_reload(self, action):
        # The form again, with the settings as stored now (the input is
        # dropped, as the editor chose).
        composition = query_composition(self.context)
        params = {**self.params, "version": composition.version}
        self.request.response.redirect(f"{self.request.getURL()}?{urlencode(params)}")
        self.result = {"reloading": True}

    @button.buttonAndHandler(
        _("button_add_again", default="Add it again with these settings"),
        name="readd",
        condition=lambda form: form._removed_by_someone(),
    )
    def handle_readd(self, action):
        removed = self.removed or {}
        slot = removed.get("slot")
        composition = query_composition(self.context)
        layout = lookup.layout_of(self.context)
        placed = arrange(composition, layout)[0].get(slot, [])
        # Where it was: before the widgets that came after it.
        index = len([p for p in placed if p.order < removed.get("order", "")])
        operation = {
            "op": "add",
            "slot": slot,
            "widget_type": self.widget_type.name,
            "index": index,
        }
        self._save(operation, None)

    @button.buttonAndHandler(_("button_cancel", default="Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.result = {"cancelled": True}

    def render(self):
        if self.result is not None:
            if self.result.get("reloading"):
                return ""
            # A tiny page the design view's dialog recognises and closes on.
            self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
            return (
                '<!DOCTYPE html><html><body><div id="cp-settings-done" '
                f'data-result="{escape(json.dumps(self.result))}"></div></body></html>'
            )
        return super().render()
