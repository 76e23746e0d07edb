"""Working copies (plone.app.iterate): a draft of a composite page.

Checking out gives the working copy a composition of its own, so design mode
on the draft never touches the live page: plone.app.iterate's folderish
copier copies annotations by reference, which would share the composition.
Checking in gives the live page the working copy's composition in the same
transaction, with a version past both, so an editor still looking at the
live page is told it changed instead of writing into a composition he never
saw.  Cancelling deletes the working copy and leaves the live page as it was.
"""

from compositepage import conflicts
from compositepage.copies import copy_composition
from compositepage.relations import update_links
from compositepage.storage import forget_history
from compositepage.storage import query_composition
from plone.app.iterate.interfaces import IAfterCheckinEvent
from plone.app.iterate.interfaces import ICheckinEvent
from plone.app.iterate.interfaces import ICheckoutEvent
from z3c.caching.purge import Purge
from zope.component import adapter
from zope.event import notify


@adapter(ICheckoutEvent)
def checked_out(event):
    """The working copy gets a deep copy of the baseline's composition."""
    if copy_composition(event.object, event.working_copy) is not None:
        # Created before its composition was copied: its links are only
        # known now.
        update_links(event.working_copy, force=True)


@adapter(ICheckinEvent)
def checking_in(event):
    """Before the merge: the working copy's composition becomes the live
    page's next version, with no history (the draft's steps are not steps of
    the live page)."""
    draft = query_composition(event.object)
    if draft is None:
        return
    live = query_composition(event.baseline)
    draft.version = max(draft.version, live.version if live is not None else 0) + 1
    conflicts.replaced(draft)
    forget_history(event.object)


@adapter(IAfterCheckinEvent)
def checked_in(event):
    """After the merge: search and caches follow the new composition.

    The copier reindexes the live page before it copies the annotations, so
    its text is indexed again; plone.app.iterate then notifies a modified
    event, which brings the links up to date.
    """
    page = event.object
    if query_composition(page) is None:
        return
    page.reindexObject(idxs=["SearchableText"])
    notify(Purge(page))
