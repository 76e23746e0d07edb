"""Paste: widgets copied (or cut) from a page, placed into a slot of this one.

The editor's clipboard lives in the browser; what it pastes is named by the
page it was copied from (its UUID) and the widgets' ids there.  A paste
makes new placements with fresh ids and the same settings (validated as
for an add: the target slot's rules, the widget types the user may add);
a columns widget comes with the widgets in its columns.  A cut then removes
the originals from their page, in the same transaction, as an operation of
that page (its own undo brings them back).
"""

from AccessControl import Unauthorized
from AccessControl.security import checkPermission
from compositepage import _
from compositepage import conflicts
from compositepage import lookup
from compositepage import ordering
from compositepage import placing
from compositepage.errors import InvalidOperation
from compositepage.interfaces import IComposite
from compositepage.interfaces import IOperationKind
from compositepage.operations import checks
from compositepage.operations import Operation
from compositepage.operations import type_title
from compositepage.operations.widgets import derived
from compositepage.operations.widgets import Move
from compositepage.operations.widgets import placed
from compositepage.operations.widgets import placed_several
from compositepage.operations.widgets import Remove
from compositepage.storage import Placement
from compositepage.storage import query_composition
from compositepage.validation import validate_settings
from plone.app.uuid.utils import uuidToObject
from plone.uuid.interfaces import IUUID
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import provider

import uuid


MAY_NOT_CUT = _(
    "error_may_not_cut",
    default="You may not change the page the widgets were cut from.",
)


def source_page(uid, cut):
    """The page widgets are pasted from, which the user may view (and
    design, to cut from it)."""
    found = uuidToObject(uid, unrestricted=True) if isinstance(uid, str) else None
    if found is None or not IComposite.providedBy(found):
        raise InvalidOperation(
            _(
                "error_no_source",
                default="The page the widgets were copied from is gone.",
            )
        )
    if not checkPermission("zope2.View", found):
        raise Unauthorized(
            translate(
                _(
                    "error_may_not_view_source",
                    default="You may not see the page the widgets were copied from.",
                ),
                context=getRequest(),
            )
        )
    if cut:
        checks.require(checks.DESIGN_PAGE, found, MAY_NOT_CUT)
    return found


def _copy(context, source, original, slot):
    """A placement of ``source`` as a new one of ``context`` in ``slot``:
    ``[its data, and that of the widgets in its own slots]``."""
    kind = checks.widget_type(original.widget_type, context)
    checks.no_container_in_container(kind, slot)
    settings = kind.clean(validate_settings(kind, original.settings, context), context)
    new_id = uuid.uuid4().hex
    copies = [
        {
            "id": new_id,
            "widget_type": kind.name,
            "slot": slot,
            "order": original.order,
            "settings": settings,
        }
    ]
    for child in placing.children(source, original.id):
        _parent, own = placing.parent_of(child.slot)
        inner = _copy(context, source, child, placing.sub_slot(new_id, own))
        copies.extend(inner)
    return copies


@provider(IOperationKind)
class Paste(Operation):
    name = "paste"
    fields = ("source", "ids", "slot", "index", "cut")
    change = _("change_paste", default="${type} pasted")

    @classmethod
    def prepare(cls, context, composition, data):
        cut = data.get("cut", False)
        if not isinstance(cut, bool):
            raise InvalidOperation(
                _("error_cut_bool", default='"cut" must be true or false.')
            )
        ids = checks.widget_ids({"ids": data.get("ids")})
        source = source_page(data.get("source"), cut)
        stored = query_composition(source)
        gone = [pid for pid in ids if stored is None or pid not in stored.placements]
        if gone:
            raise InvalidOperation(
                _(
                    "error_paste_gone",
                    default="A widget on the clipboard is no longer on the page "
                    "“${page}”: it was removed or cut from there since. Empty "
                    "the clipboard and copy again what you need.",
                    mapping={"page": source.Title()},
                )
            )
        originals = [stored.placements[pid] for pid in ids]
        # A widget in a container that is pasted too goes with it.
        chosen = {p.id for p in originals}
        originals = [
            p
            for p in originals
            if (placing.parent_of(p.slot) or (None,))[0] not in chosen
        ]
        # Cut and pasted on its own page, a widget moves (one step to undo).
        moving = cut and source.UID() == IUUID(context, None)
        layout = lookup.layout_of(context)
        target = checks.slot(layout, data.get("slot"), composition)
        arranged = placing.placed_in(composition, layout, target.name)
        index = data.get("index")
        index = checks.index(
            len(arranged) if index is None else index, len(arranged), target
        )
        staying = [p for p in arranged if not (moving and p.id in chosen)]
        copies = []
        for number, original in enumerate(originals):
            copied = _copy(context, stored, original, target.name)
            checks.room(target, staying + originals[:number], original.widget_type)
            copies.extend(copied)
        maximum = lookup.get_setting("max_widgets_per_page")
        added = 0 if moving else len(copies)
        if (composition.count if composition else 0) + added > maximum:
            raise InvalidOperation(
                _(
                    "error_page_full",
                    default="This page already holds ${max} widgets, the most allowed.",
                    mapping={"max": maximum},
                )
            )
        # The pasted widgets in a row, at ``index``; those in their own
        # columns keep their order keys there.
        before = arranged[index - 1].order if index > 0 else None
        after = arranged[index].order if index < len(arranged) else None
        for copy in copies:
            if copy["slot"] == target.name:
                before = ordering.key_between(before, after)
                copy["order"] = before
        if moving:
            tops = [copy for copy in copies if copy["slot"] == target.name]
            moves = [
                {"id": original.id, "slot": target.name, "order": copy["order"]}
                for original, copy in zip(originals, tops, strict=True)
            ]
            operation = Move(**moves[0])
            if moves[1:]:
                operation.data["moves"] = moves[1:]
            return operation
        return cls(
            source=source.UID(),
            cut=cut,
            ids=[p.id for p in originals],
            placements=copies,
        )

    def apply(self, context, composition):
        for data in self.data["placements"]:
            composition.placements[data["id"]] = Placement(
                derived=derived(
                    data["widget_type"], data["settings"], context, checks.may_not_add
                ),
                **data,
            )
            conflicts.stamp(
                composition.placements[data["id"]], ("edited", "placed"), self.stamp
            )
            composition.count += 1
        return Remove(ids=self.top())

    def top(self):
        """The ids of the pasted widgets (not those in their columns)."""
        slot = self.data["placements"][0]["slot"]
        return [p["id"] for p in self.data["placements"] if p["slot"] == slot]

    @property
    def focus(self):
        return self.data["placements"][0]["id"]

    def widget_type_name(self, composition):
        return self.data["placements"][0]["widget_type"]

    def duplicates(self, context):
        """Whether it copied widgets of this very page (a duplicate)."""
        return not self.data["cut"] and self.data["source"] == IUUID(context, None)

    def describe(self, context):
        top = self.top()
        duplicate = self.duplicates(context)
        if len(top) == 1:
            return placed(context, top[0], DUPLICATED if duplicate else PASTED)
        return placed_several(
            context,
            self.data["placements"][0]["slot"],
            len(top),
            DUPLICATED_SEVERAL if duplicate else PASTED_SEVERAL,
        )

    def phrase(self, context, composition, inverse):
        """What it did: "Text pasted", "3 widgets pasted", "Text duplicated"."""
        duplicate = self.duplicates(context)
        count = len(self.top())
        if count > 1:
            return Message(
                CHANGE_DUPLICATED_SEVERAL if duplicate else CHANGE_PASTED_SEVERAL,
                mapping={"count": count},
            )
        return Message(
            CHANGE_DUPLICATED if duplicate else self.change,
            mapping={"type": type_title(self.widget_type_name(composition))},
        )

    def _cut_from(self, context):
        """The other page this paste was cut from (None: a copy, or a page
        deleted since) and the ids of the originals that are on it now."""
        if not self.data["cut"] or self.data["source"] == IUUID(context, None):
            return None, []
        source = uuidToObject(self.data["source"], unrestricted=True)
        stored = query_composition(source) if source is not None else None
        if stored is None:
            return source, []
        return source, [pid for pid in self.data["ids"] if pid in stored.placements]

    def undo_note(self, context):
        """Undone, a paste of widgets cut from another page leaves them on
        neither page until the cut is undone there too."""
        source, back = self._cut_from(context)
        if source is None or back or not checkPermission("zope2.View", source):
            # Its own undo brought them back already (or the editor may not
            # see the page).
            return None
        several = len(self.data["ids"]) > 1
        return Message(
            CUT_FROM_SEVERAL if several else CUT_FROM, mapping={"page": source.Title()}
        )

    def check_redo(self, context):
        """Redone after the cut was undone on its page, the paste cuts the
        originals from there again: the user must be allowed to."""
        source, back = self._cut_from(context)
        if back:
            checks.require(checks.DESIGN_PAGE, source, MAY_NOT_CUT)

    def redo_note(self, context):
        source, back = self._cut_from(context)
        if not back:
            return None
        return Message(
            CUT_AGAIN_SEVERAL if len(back) > 1 else CUT_AGAIN,
            mapping={"page": source.Title()},
        )

    def follow_ups(self, context):
        """A cut removes the originals from their page (done again: those
        its undo there brought back)."""
        source, back = self._cut_from(context)
        if not back:
            return []
        return [(source, {"op": "remove", "ids": back})]


PASTED = _(
    "msg_pasted",
    default="${type} pasted into ${slot}, position ${position} of ${count}.",
)
PASTED_SEVERAL = _(
    "msg_pasted_several", default="${count} widgets pasted into ${slot}."
)
DUPLICATED = _(
    "msg_duplicated",
    default="${type} duplicated; the copy is in ${slot}, position ${position} "
    "of ${count}.",
)
DUPLICATED_SEVERAL = _(
    "msg_duplicated_several",
    default="${count} widgets duplicated; the copies are in ${slot}.",
)
# What undo and redo say they took back or did again ("Undone: ${change}.").
CHANGE_PASTED_SEVERAL = _("change_paste_several", default="${count} widgets pasted")
CHANGE_DUPLICATED = _("change_duplicate", default="${type} duplicated")
CHANGE_DUPLICATED_SEVERAL = _(
    "change_duplicate_several", default="${count} widgets duplicated"
)
CUT_FROM = _(
    "msg_undone_cut_from",
    default="It was cut from “${page}”; undo there to bring it back.",
)
CUT_FROM_SEVERAL = _(
    "msg_undone_cut_from_several",
    default="They were cut from “${page}”; undo there to bring them back.",
)
CUT_AGAIN = _("msg_redone_cut_again", default="It was cut from “${page}” again.")
CUT_AGAIN_SEVERAL = _(
    "msg_redone_cut_again_several", default="They were cut from “${page}” again."
)
