"""Events of compositepage."""

from compositepage.interfaces import ICompositionChangedEvent
from zope.interface import implementer
from zope.interface.interfaces import ObjectEvent


@implementer(ICompositionChangedEvent)
class CompositionChangedEvent(ObjectEvent):
    """Notified after each operation; deliberately not an IObjectModifiedEvent,
    which would make CMFEditions store a version of the page per drag."""

    def __init__(self, object, operation):
        super().__init__(object)
        self.operation = operation
