"""Operations: every change of a composition, one small class per kind.

A kind of operation (``add``, ``move`` ...) is a subclass of ``Operation``,
registered in ZCML as a named utility providing ``IOperationKind`` (see
configure.zcml); ``kind(name)`` finds it.  Each kind knows

- what a client sends (``fields``) and how it is validated into an
  operation ready to apply (``prepare``);
- how it changes a composition, returning the operation that takes it back
  (``apply``);
- the sentence that says what it did (``describe``) and the phrase undo
  and redo use for it (``phrase``, by default its ``change``);
- its plain-data form, kept in the undo history and shown by REST
  (``stored`` / ``from_stored``).

``perform`` runs one operation the way every writer does (the Python API,
REST, the editor, the settings form): permission, version, validation, then
the change, its history entry, the page's date, the catalog and the events,
all in the caller's transaction.
"""

from compositepage import _
from compositepage import conflicts
from compositepage import history
from compositepage import indexing
from compositepage import lookup
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.events import CompositionChangedEvent
from compositepage.interfaces import IOperationKind
from compositepage.operations import checks
from compositepage.storage import Composition
from compositepage.storage import ensure_composition
from compositepage.storage import query_composition
from dataclasses import dataclass
from z3c.caching.purge import Purge
from zope.component import getUtilitiesFor
from zope.component import queryUtility
from zope.event import notify
from zope.i18nmessageid import Message


class Operation:
    """One change of a composition (a base class: see the kinds).

    An instance holds the operation in its stored form (``self.data``:
    plain data, positions as order keys), whoever it came from.
    """

    name = None
    # What a client sends besides "op" (positions as indexes).
    fields = ()
    # Whether it goes into the undo history (undo and redo do not).
    recorded = True
    # What it did, for "Undone: ${change}." ("${type} moved").
    change = _("change_update", default="settings of ${type} changed")
    # Changes made since the author's view that refuse it (of its widget:
    # "edited", "placed", "removed"; see compositepage.conflicts).
    conflicts_with = ()
    # Whether it may change what widgets link to (link integrity follows);
    # a move keeps every widget and its settings.
    changes_links = True

    def __init__(self, **data):
        self.data = data
        # An operation that would change nothing (a move to where the widget
        # is): performed, it is described but neither applied nor recorded.
        self.noop = False
        # Who makes it, at which version, when (conflicts.Stamp), for the
        # records it changes; set by perform.
        self.stamp = None

    @classmethod
    def conflict(cls, composition, data, seen, base):
        """Raise ``conflicts.Conflict`` when a change made after version
        ``seen`` (up to ``base``) conflicts with this operation."""
        if cls.conflicts_with:
            conflicts.find(composition, data.get("id"), cls.conflicts_with, seen, base)

    def __repr__(self):
        return f"<{type(self).__name__} {self.data!r}>"

    @classmethod
    def prepare(cls, context: object, composition: Composition | None, data: dict):
        """Validate what a client sent into an operation ready to apply.

        :param composition: The page's composition (None: never composed).
        :param data: The client's plain data, ``{"op": ..., **fields}``.
        :raises: ``InvalidOperation``, ``Unauthorized``.
        """
        raise NotImplementedError

    @classmethod
    def from_stored(cls, data: dict) -> "Operation":
        """The operation of a stored form (``stored()``)."""
        return cls(**{key: value for key, value in data.items() if key != "op"})

    def stored(self) -> dict:
        """The plain form kept in the undo history and shown by REST."""
        return {"op": self.name, **self.data}

    def applied(self) -> dict:
        """The stored form of what was applied (CompositionChangedEvent)."""
        return self.stored()

    def apply(self, context: object, composition: Composition) -> "Operation":
        """Change ``composition``; return the operation that takes it back."""
        raise NotImplementedError

    def describe(self, context: object) -> Message:
        """The sentence saying what was done, once it was applied."""
        return _("msg_saved", default="Saved.")

    def phrase(
        self, context: object, composition: Composition | None, inverse: "Operation"
    ) -> Message:
        """What it did, for "Undone: ${change}." (``change`` with the title
        of the widget type); said before it is taken back or done again,
        while ``inverse`` is the operation that takes it back."""
        name = self.widget_type_name(composition) or inverse.widget_type_name(
            composition
        )
        return Message(self.change, mapping={"type": type_title(name)})

    def undo_note(self, context: object) -> Message | None:
        """What an editor should know besides once it is undone (a paste
        cut from another page: the originals are still gone there)."""
        return None

    def redo_note(self, context: object) -> Message | None:
        """What an editor should know besides once it is done again (a
        paste cut from another page: the originals are cut there again)."""
        return None

    def check_redo(self, context: object) -> None:
        """Raise ``Unauthorized`` (or ``InvalidOperation``) when the user
        may not do it again; called before anything changes."""

    @property
    def focus(self) -> str | None:
        """The placement an editor looks at afterwards (the one operated
        on), if any."""
        return self.data.get("id")

    def changes_text(self, context: object, inverse: "Operation") -> bool:
        """Whether site search may find something else afterwards."""
        return True

    def follow_ups(self, context: object) -> list:
        """Operations of other pages this one entails, ``[(page, data)]``,
        performed after it in the same transaction (a cut's removal)."""
        return []

    def widget_type_name(self, composition: Composition | None) -> str:
        """The name of the widget type the operation is about, or ""."""
        found = self.data.get("widget_type")
        if found:
            return found
        placement_id = self.data.get("id")
        placement = (
            composition.placements.get(placement_id)
            if composition is not None and isinstance(placement_id, str)
            else None
        )
        return placement.widget_type if placement is not None else ""


def kind(name: str) -> type[Operation] | None:
    """The kind of operation called ``name``, or None."""
    return queryUtility(IOperationKind, name=name) if isinstance(name, str) else None


def kind_names() -> list[str]:
    return sorted(name for name, _ in getUtilitiesFor(IOperationKind))


def from_stored(data: dict) -> Operation:
    """The operation of a stored form (``Operation.stored()``)."""
    found = kind(data.get("op"))
    if found is None:
        raise InvalidOperation(
            _(
                "error_unknown_operation",
                default="Unknown operation ${op}.",
                mapping={"op": repr(data.get("op"))},
            )
        )
    return found.from_stored(data)


def _kind_of(data):
    if not isinstance(data, dict):
        raise InvalidOperation(
            _("error_operation_object", default="An operation must be a JSON object.")
        )
    found = kind(data.get("op"))
    if found is None:
        raise InvalidOperation(
            _(
                "error_operation_unknown",
                default="Unknown operation ${op}; use one of: ${ops}.",
                mapping={"op": repr(data.get("op")), "ops": ", ".join(kind_names())},
            )
        )
    if "version" in data:
        # Accepted and not checked, it would let a client believe its
        # version was checked.
        raise InvalidOperation(
            _(
                "error_operation_version",
                default="An operation has no field 'version': send the version "
                "you saw in the If-Match header.",
            )
        )
    for field in data:
        if field not in ("op", *found.fields):
            raise InvalidOperation(
                _(
                    "error_operation_field",
                    default="The operation ${op} has no field ${field} (it takes: ${fields}).",
                    mapping={
                        "op": repr(found.name),
                        "field": repr(field),
                        "fields": ", ".join(found.fields) or "-",
                    },
                )
            )
    return found


@dataclass
class Performed:
    """What ``perform`` did: the page's version afterwards and the
    operation (``operation.noop`` when nothing needed to change)."""

    version: int
    operation: Operation


def perform(
    context: object,
    data: dict,
    version: int | None = None,
    merge: bool = True,
    base: int | None = None,
) -> Performed:
    """Validate and apply one operation, given as a client sends it.

    :param context: A content item with the composite behavior.
    :param data: ``{"op": kind, **fields}`` (see each kind's ``fields``).
    :param version: The version the caller saw (None: not checked).
    :param merge: Whether changes made since ``version`` are merged: the
        operation is refused only when one of them conflicts with it
        (``conflicts.Conflict``); otherwise any change since refuses it.
    :param base: Changes after this version are the caller's own (earlier
        operations of the same request); default: the current version.
    :raises: ``InvalidOperation``, ``StaleVersion``, ``Unauthorized``;
        nothing has changed then.
    """
    found = _kind_of(data)
    checks.require(checks.DESIGN_PAGE, context, checks.may_not_design())
    composition = query_composition(context)
    checks.version(composition, version)
    current = composition.version if composition is not None else 0
    base = current if base is None else base
    if version is not None and version != base:
        if not merge or version > base:
            # A version not given yet cannot have been seen.
            raise StaleVersion(current, version)
        found.conflict(composition, data, version, base)
    operation = found.prepare(context, composition, data)
    if operation.noop:
        return Performed(current, operation)
    if composition is None:
        composition = ensure_composition(context, lookup.layout_of(context).name)
    operation.stamp = conflicts.Stamp.now(composition.version + 1)
    inverse = operation.apply(context, composition)
    if operation.recorded:
        history.record(composition, operation.stored(), inverse.stored())
    done = Performed(finish(context, composition, operation, inverse), operation)
    for other, follow_up in operation.follow_ups(context):
        perform(other, follow_up)
    return done


def finish(context, composition, operation, inverse):
    """What every change of a composition is followed by; the new version."""
    composition.version += 1
    composition.changed = tuple(operation.stamp)
    context.setModificationDate()
    indexing.reindex(context, operation.changes_text(context, inverse))
    notify(CompositionChangedEvent(context, operation.applied()))
    notify(Purge(context))
    return composition.version


def type_title(name: str):
    """The title of the widget type ``name`` (its name when unregistered)."""
    widget_type = lookup.query_widget_type(name)
    return widget_type.title if widget_type is not None else name
