"""The ``compositepage.composite`` behavior: makes a Dexterity type composite."""

from Acquisition import aq_parent
from compositepage import _
from compositepage import api
from compositepage import lookup
from compositepage.interfaces import IComposite
from compositepage.storage import ensure_composition
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.interface import implementer
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory


@provider(IContextAwareDefaultFactory)
def default_layout(context):
    return lookup.get_setting("default_layout")


@provider(IFormFieldProvider)
class ICompositeBehavior(model.Schema):
    """The layout field of composite pages."""

    model.fieldset(
        "layout",
        label=_("fieldset_layout", default="Layout"),
        fields=["composite_layout"],
    )
    composite_layout = schema.Choice(
        title=_("label_composite_layout", default="Layout"),
        description=_(
            "help_composite_layout",
            default="How the page's widgets are arranged. Widgets whose place "
            "the new layout lacks are kept aside, not deleted.",
        ),
        vocabulary="compositepage.Layouts",
        defaultFactory=default_layout,
        required=False,
    )
    directives.write_permission(composite_layout="compositepage.ManageLayouts")


@implementer(ICompositeBehavior)
@adapter(IComposite)
class CompositeBehavior:
    """Reads and writes the layout in the composition, not in an attribute."""

    def __init__(self, context):
        self.context = context

    @property
    def composite_layout(self):
        layout = api.get_layout(self.context)
        return layout.name if layout is not None else None

    @composite_layout.setter
    def composite_layout(self, name):
        if not name or name == self.composite_layout:
            return
        if aq_parent(self.context) is None:
            # The add form fills a page that is not in its folder yet: there is
            # nothing to undo and no place to check permissions on, and the
            # form already checked the field's write permission.
            if lookup.query_layout(name, self.context) is None:
                raise ValueError(f"There is no layout {name!r}.")
            ensure_composition(self.context, name).layout = name
            return
        api.set_layout(self.context, name)
