"""The compositepage control panel (``@@compositepage-controlpanel``)."""

from compositepage import _
from compositepage.interfaces import ICompositePageSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from z3c.form.browser.checkbox import CheckBoxFieldWidget


class CompositePageSettingsForm(RegistryEditForm):
    schema = ICompositePageSettings
    schema_prefix = "compositepage"
    label = _("controlpanel_title", default="Composite pages")
    description = _(
        "controlpanel_description",
        default="Which layouts and widget types editors may use, and limits.",
    )

    def updateFields(self):
        super().updateFields()
        self.fields["enabled_layouts"].widgetFactory = CheckBoxFieldWidget
        self.fields["enabled_widget_types"].widgetFactory = CheckBoxFieldWidget


CompositePageControlPanel = layout.wrap_form(
    CompositePageSettingsForm, ControlPanelFormWrapper
)
