"""Undo and redo: apply the inverse (or the original) of a history entry."""

from compositepage import _
from compositepage import conflicts
from compositepage import history
from compositepage.errors import InvalidOperation
from compositepage.interfaces import IOperationKind
from compositepage.operations import from_stored
from compositepage.operations import Operation
from zope.i18nmessageid import Message
from zope.interface import provider


class _Step(Operation):
    """Undo (``redo = False``) or redo the latest entry of the history."""

    fields = ()
    recorded = False
    redo = False
    nothing = None
    done = None
    done_with_note = None
    # What the step takes back or does again, and what to know besides
    # (Operation.phrase, Operation.undo_note / redo_note); set by prepare.
    said = None
    note = None

    @classmethod
    def conflict(cls, composition, data, seen, base):
        # Undo takes back the page's latest change, whoever made it: after a
        # change the author has not seen, that would be someone else's.
        conflicts.page_changed(composition, seen, base)

    @classmethod
    def prepare(cls, context, composition, data):
        entry = history.latest(composition, redo=cls.redo)
        if entry is None:
            raise InvalidOperation(cls.nothing)
        operation = cls()
        # Said before it is applied: an undone add leaves no widget to name.
        forward = from_stored(entry.forward)
        operation.said = forward.phrase(
            context, composition, from_stored(entry.inverse)
        )
        if cls.redo:
            forward.check_redo(context)
            operation.note = forward.redo_note(context)
        else:
            operation.note = forward.undo_note(context)
        return operation

    def apply(self, context, composition):
        entry = history.latest(composition, redo=self.redo)
        forward, inverse = entry.forward, entry.inverse
        if not self.redo:
            forward, inverse = inverse, forward
        # What is applied is the entry's inverse (redo: its forward); what
        # takes that back is the other one.
        self.performed = from_stored(forward)
        self.performed.stamp = self.stamp
        self.performed.apply(context, composition)
        history.step(composition, redo=self.redo)
        return from_stored(inverse)

    def applied(self):
        return self.performed.stored()

    def changes_text(self, context, inverse):
        return self.performed.changes_text(context, inverse)

    def follow_ups(self, context):
        # Redone, a paste cut from another page cuts there again.
        return self.performed.follow_ups(context)

    def describe(self, context):
        if self.note is not None:
            return Message(
                self.done_with_note, mapping={"change": self.said, "note": self.note}
            )
        return Message(self.done, mapping={"change": self.said})


@provider(IOperationKind)
class Undo(_Step):
    name = "undo"
    nothing = _(
        "error_nothing_to_undo", default="There is nothing to undo on this page."
    )
    done = _("msg_undone_change", default="Undone: ${change}.")
    done_with_note = _("msg_undone_change_note", default="Undone: ${change}. ${note}")


@provider(IOperationKind)
class Redo(_Step):
    name = "redo"
    redo = True
    nothing = _(
        "error_nothing_to_redo", default="There is nothing to redo on this page."
    )
    done = _("msg_redone_change", default="Redone: ${change}.")
    done_with_note = _("msg_redone_change_note", default="Redone: ${change}. ${note}")
