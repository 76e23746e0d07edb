"""The ``slot:`` TALES expression used by layout templates.

``<div tal:replace="slot:main" />`` asks the view rendering the template for
the markup of slot ``main``: the real view answers with the rendered widgets,
the design view with a drop zone and design stubs.  So one template expression
serves both templates, and layout templates need no ``structure`` keyword.
"""

from compositepage.layout import SLOT_NAME
from Products.PageTemplates.Expressions import getEngine
from Products.PageTemplates.Expressions import getTrustedEngine


class SlotMarkup(str):
    """Markup produced by our own code: Chameleon inserts it unescaped."""

    def __html__(self):
        return self


class SlotExpression:
    """``slot:<name>``: the markup of a slot, from ``view.render_slot``."""

    def __init__(self, name, expr, engine):
        self.slot = expr.strip()
        if not SLOT_NAME.match(self.slot):
            raise engine.getCompilerError()(
                f"'slot:{expr}' does not name a slot: use lower-case letters, "
                "digits, '-' and '_', starting with a letter."
            )

    def __call__(self, econtext):
        view = econtext.vars.get("view")
        render_slot = getattr(view, "render_slot", None)
        if render_slot is None:
            raise LookupError(
                f"'slot:{self.slot}' is used outside a compositepage layout view."
            )
        return render_slot(self.slot)

    def __repr__(self):
        return f"<SlotExpression slot:{self.slot}>"


def register():
    """Register ``slot:`` with the engines of Zope's page templates, once."""
    for engine in (getEngine(), getTrustedEngine()):
        if "slot" not in engine.types:
            engine.registerType("slot", SlotExpression)
