"""Which changes made since an editor's view conflict with their operation.

An operation carries the version of the page its author saw.  Other changes
may have been made since; the operation is refused only when one of them
really conflicts with it (see each kind's ``conflicts_with``):

- its widget's settings were changed (``"edited"``), by another update or
  an undo or redo of one;
- its widget was moved (``"placed"``);
- its widget was removed (``"removed"``);
- every widget of the page was replaced (an import, ``"replaced"``).

Anything else applies, whatever happened elsewhere on the page; a slot rule
that no longer allows it is refused by the operation's own checks.  So each
placement records who last changed its settings and who last placed it, at
which version and when; the composition keeps the last removals.  These
stamps are written with the records an operation writes anyway (a move
writes its placement), except a removal's, which writes the small record of
the last removals.
"""

from compositepage import _
from compositepage.errors import StaleVersion
from datetime import datetime
from datetime import timezone
from persistent.mapping import PersistentMapping
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message

import typing


# Removals kept for telling an editor who removed their widget.
MOST_REMOVALS = 25


class Stamp(typing.NamedTuple):
    """Who made a change, at which version of the page and when (UTC).
    Stored as a plain tuple (see ``stamp``)."""

    version: int
    user: str
    when: str

    @classmethod
    def now(cls, version):
        user = api.user.get_current()
        return cls(
            version,
            user.getId() if user is not None else "",
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )

    @classmethod
    def of(cls, stored):
        return cls(*stored) if stored is not None else None


class Conflict(StaleVersion):
    """A change made since the caller's view conflicts with their operation.

    ``kind``: ``"edited"``, ``"placed"``, ``"removed"``, ``"replaced"`` or
    ``"page"`` (any change, for undo and redo); ``stamp``: who and when;
    ``placement``: the widget's id, and for a removal ``removed``: what it
    was (widget type, slot, order key, settings as stored).
    """

    def __init__(self, current, expected, kind, stamp, placement=None, removed=None):
        self.kind = kind
        self.stamp = stamp
        self.placement = placement
        self.removed = removed
        super().__init__(current, expected)
        self.args = (self.sentence(),)

    def sentence(self):
        mapping = {"name": fullname(self.stamp.user), "time": _time(self.stamp.when)}
        return Message(SENTENCES[self.kind], mapping=mapping)


SENTENCES = {
    "edited": _(
        "conflict_edited",
        default="${name} changed the settings of this widget (${time}).",
    ),
    "placed": _("conflict_placed", default="${name} moved this widget (${time})."),
    "removed": _("conflict_removed", default="${name} removed this widget (${time})."),
    "replaced": _(
        "conflict_replaced",
        default="${name} replaced every widget of this page (${time}).",
    ),
    "page": _(
        "conflict_page",
        default="${name} changed this page since you last saw it (${time}).",
    ),
}


def fullname(userid):
    """The user's full name, or their id (a user since deleted)."""
    user = api.user.get(userid=userid) if userid else None
    name = user.getProperty("fullname", "") if user is not None else ""
    return (
        name
        or userid
        or translate(_("label_someone", default="Someone"), context=getRequest())
    )


def _time(when):
    """``when`` (ISO, UTC) in the site's way of writing times."""
    from DateTime import DateTime
    from Products.CMFPlone.i18nl10n import ulocalized_time

    request = getRequest()
    # A change made before changes were stamped has no time: now, roughly.
    return ulocalized_time(
        DateTime(when) if when else DateTime(),
        long_format=True,
        context=api.portal.get(),
        request=request,
    )


def stamp(placement, kinds, change):
    """Record ``change`` (a Stamp) on ``placement`` for each of ``kinds``
    (``"edited"``, ``"placed"``)."""
    for kind in kinds:
        setattr(placement, kind, tuple(change))


def replaced(composition):
    """Record that every widget of ``composition`` was replaced, at its
    version, by the current user (a revert to a version, a check-in of a
    working copy): editors who still show the composition it replaced are
    refused with who did it, whatever widget they act on."""
    composition.replaced = composition.changed = tuple(Stamp.now(composition.version))


def removal(composition, placement, change):
    """Record that ``placement`` was removed."""
    if composition.removed is None:
        composition.removed = PersistentMapping()
    removed = composition.removed
    removed[placement.id] = (
        tuple(change),
        {
            "widget_type": placement.widget_type,
            "slot": placement.slot,
            "order": placement.order,
            "settings": placement.settings,
        },
    )
    if len(removed) > MOST_REMOVALS:
        oldest = sorted(removed, key=lambda key: removed[key][0][0])
        for key in oldest[: len(removed) - MOST_REMOVALS]:
            del removed[key]


def find(composition, placement_id, kinds, seen, base):
    """The first change of ``kinds`` to ``placement_id`` made after version
    ``seen`` and up to ``base`` (changes after ``base`` are the caller's own,
    earlier in the same request); raises ``Conflict``, or returns None."""
    if composition is None or seen is None:
        return None

    def since(stored):
        return stored is not None and seen < stored[0] <= base

    if since(composition.replaced):
        raise Conflict(
            base, seen, "replaced", Stamp.of(composition.replaced), placement_id
        )
    if not isinstance(placement_id, str):
        return None
    placement = composition.placements.get(placement_id)
    if placement is None:
        removed = (composition.removed or {}).get(placement_id)
        if removed is not None and "removed" in kinds and since(removed[0]):
            stored, what = removed
            raise Conflict(
                base, seen, "removed", Stamp.of(stored), placement_id, dict(what)
            )
        return None
    for kind in ("edited", "placed"):
        stored = getattr(placement, kind, None)
        if kind in kinds and since(stored):
            raise Conflict(base, seen, kind, Stamp.of(stored), placement_id)
    return None


def page_changed(composition, seen, base):
    """Raise ``Conflict`` when anything changed the page after ``seen``."""
    if composition is not None and seen is not None and seen < base:
        stored = composition.changed
        raise Conflict(
            base, seen, "page", Stamp.of(stored) if stored else Stamp(base, "", "")
        )
