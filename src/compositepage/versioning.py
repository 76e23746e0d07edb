"""Versions (CMFEditions): what a saved version holds, and what a revert does.

A version is a copy of the page made by CMFEditions, the composition with
it.  Its undo history is left out: it would be stored again with every
version, and after a revert it would undo steps of a past the page no longer
has.  A revert brings back a composition with no history and a version past
the one it replaces, so editors who still look at the replaced composition
are told the page changed instead of writing into it; its links for link
integrity are made again at its next change.

This is a CMFEditions modifier, registered in ``portal_modifier`` on install.
"""

from Acquisition import aq_base
from compositepage import conflicts
from compositepage import lookup
from compositepage.copies import history_heads
from compositepage.relations import forget_links
from compositepage.storage import ensure_composition
from compositepage.storage import forget_history
from compositepage.storage import query_composition
from Products.CMFCore.utils import getToolByName
from Products.CMFEditions.interfaces.IModifier import ICloneModifier
from Products.CMFEditions.interfaces.IModifier import ISaveRetrieveModifier
from Products.CMFEditions.Modifiers import ConditionalModifier
from zope.interface import implementer


MODIFIER_ID = "compositepage_composition"
MODIFIER_TITLE = "Composite pages: versions without undo history"


@implementer(ICloneModifier, ISaveRetrieveModifier)
class CompositionModifier:
    """Leaves the undo history out of versions; a revert moves the version on."""

    def __init__(self, id_=MODIFIER_ID, title=MODIFIER_TITLE):
        self.id = id_
        self.title = title

    def getOnCloneModifiers(self, obj):
        """The history is not copied into the version at all."""
        composition = query_composition(obj)
        if composition is None:
            return None
        heads = history_heads(composition)
        if not heads:
            return None

        def persistent_id(value):
            return "history" if id(value) in heads else None

        def persistent_load(pid):
            return None

        return persistent_id, persistent_load, [], []

    def beforeSaveModifier(self, obj, clone):
        forget_history(clone)
        return {}, [], []

    def afterRetrieveModifier(self, obj, repo_clone, preserve=()):
        """A version taken out of the repository (to be looked at, compared
        or reverted to) has no history and a version past the page's."""
        restored = query_composition(repo_clone)
        current = query_composition(obj)
        if restored is None and current is not None and has_annotations(repo_clone):
            # A version from before the page was composed: its composition
            # was the empty one, which a revert brings back (a revert only
            # replaces what the version holds).
            restored = ensure_composition(
                repo_clone, lookup.get_setting("default_layout")
            )
        if restored is not None:
            newest = current.version if current is not None else 0
            restored.version = max(restored.version, newest) + 1
            conflicts.replaced(restored)
            forget_history(repo_clone)
            # The page's relations are those of the replaced composition.
            forget_links(repo_clone)
        return [], [], {}


def has_annotations(obj):
    """Whether ``obj`` holds annotations (a version may hold none)."""
    return getattr(aq_base(obj), "__annotations__", None) is not None


def install_modifier(context):
    """Register the modifier in the site's ``portal_modifier`` (once)."""
    tool = getToolByName(context, "portal_modifier", None)
    if tool is None or MODIFIER_ID in tool.objectIds():
        return
    wrapper = ConditionalModifier(MODIFIER_ID, CompositionModifier(), MODIFIER_TITLE)
    wrapper.edit(enabled=True, title=MODIFIER_TITLE)
    tool.register(MODIFIER_ID, wrapper)


def uninstall_modifier(context):
    tool = getToolByName(context, "portal_modifier", None)
    if tool is not None and MODIFIER_ID in tool.objectIds():
        tool.unregister(MODIFIER_ID)
