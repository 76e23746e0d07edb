"""Error messages of our forms that say more than zope.schema's.

z3c.form shows a field's error as the error's doc string: "Value is too
long" leaves an editor guessing.  Its ``message`` value adapters
(``ComputedErrorViewMessage``) replace that for our forms only.
"""

from compositepage.browser.controlpanel import CompositePageSettingsForm
from compositepage.browser.settings import WidgetSettingsForm
from compositepage.validation import bounds_message
from z3c.form.error import ComputedErrorViewMessage
from zope.i18n import translate
from zope.schema.interfaces import OutOfBounds


def _bounds(adapter):
    message = bounds_message(adapter.error)
    if message is None:
        return adapter.error.doc()
    return translate(message, context=adapter.request)


# Both forms edit values with limits: widget settings (a heading's length)
# and the control panel's numbers.
WidgetSettingsBounds = ComputedErrorViewMessage(
    _bounds, error=OutOfBounds, form=WidgetSettingsForm
)
ControlPanelBounds = ComputedErrorViewMessage(
    _bounds, error=OutOfBounds, form=CompositePageSettingsForm
)
