"""The composition as a component of an item's normal GET serialization."""

from compositepage.interfaces import IComposite
from compositepage.restapi.serializer import serialize_composition
from plone.restapi.interfaces import IExpandableElement
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(IExpandableElement)
@adapter(IComposite, Interface)
class CompositionElement:
    """``@components.compositepage``; ``?expand=compositepage`` inlines it."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, expand=False):
        url = f"{self.context.absolute_url()}/@composition"
        if not expand:
            return {"compositepage": {"@id": url}}
        return {"compositepage": serialize_composition(self.context, self.request)}
