"""Translations (plone.app.multilingual): a translation starts as a copy.

When an editor translates a composite page, the translation gets a copy of
the original's composition, with a history of its own: the same widgets in
the same places, their texts still to be translated.  Teasers, images and
links of rich text that lead to content translated into the new language
lead to that translation instead.  The translation form offers the
original's layout, and a layout chosen there is kept.
"""

from Acquisition import aq_parent
from compositepage import lookup
from compositepage.behaviors import ICompositeBehavior
from compositepage.copies import copy_composition
from compositepage.interfaces import IComposite
from compositepage.relations import update_links
from compositepage.storage import query_composition
from plone.app.multilingual.dx.interfaces import IMultilingualAddForm
from plone.app.multilingual.interfaces import ITranslatable
from plone.app.multilingual.interfaces import ITranslationManager
from plone.uuid.interfaces import IUUID
from Products.CMFCore.utils import getToolByName
from z3c.form.widget import ComputedWidgetAttribute
from zope.component.hooks import getSite

import re


RESOLVEUID = re.compile(r"(resolveuid/)([0-9a-f]{32})\b")


class Translations:
    """The UUIDs of translations into one language, looked up once each."""

    def __init__(self, context, language):
        self.catalog = getToolByName(context, "portal_catalog")
        self.language = language
        self.found = {}

    def __call__(self, uuid):
        """The UUID of the translation of the content ``uuid``, or ``uuid``."""
        if uuid not in self.found:
            self.found[uuid] = self._lookup(uuid) or uuid
        return self.found[uuid]

    def _lookup(self, uuid):
        brains = self.catalog.unrestrictedSearchResults(UID=uuid)
        if not brains:
            return None
        content = brains[0]._unrestrictedGetObject()
        if not ITranslatable.providedBy(content):
            return None
        translation = ITranslationManager(content).get_translation(self.language)
        return IUUID(translation, None) if translation is not None else None

    def html(self, text):
        return RESOLVEUID.sub(lambda m: m.group(1) + self(m.group(2)), text)


def translate_settings(widget_type, settings, translations):
    """``settings`` with each content reference and rich text link leading to
    its translation where there is one."""
    references = set(widget_type.reference_uuids(settings))
    result = {}
    for name, value in settings.items():
        if isinstance(value, str) and value in references:
            value = translations(value)
        elif isinstance(value, list) and references.intersection(
            v for v in value if isinstance(v, str)
        ):
            value = [
                translations(v) if isinstance(v, str) and v in references else v
                for v in value
            ]
        elif isinstance(value, str) and "resolveuid/" in value:
            value = translations.html(value)
        result[name] = value
    return result


def in_place(content):
    """``content`` wrapped in its container: the translation form notifies
    with the bare object it created, which cannot be indexed at its place."""
    if aq_parent(content) is not None:
        return content
    uuid = IUUID(content, None)
    catalog = getToolByName(getSite(), "portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=uuid) if uuid else ()
    return brains[0]._unrestrictedGetObject() if brains else None


def translated(event):
    """A composite page was translated: the translation gets its composition.

    ``event`` is plone.app.multilingual's ``IObjectTranslatedEvent``, sent
    after the translation was created, by the translation form and by
    ``ITranslationManager.add_translation`` alike.
    """
    source, target = event.object, in_place(event.target)
    if target is None or not IComposite.providedBy(target):
        return
    chosen = query_composition(target)
    if chosen is not None and len(chosen.placements):
        # Already composed: nothing of it is replaced.
        return
    layout = chosen.layout if chosen is not None else None
    composition = copy_composition(source, target, layout=layout)
    if composition is None:
        return
    translations = Translations(target, event.language)
    for placement in composition.placements.values():
        widget_type = lookup.query_widget_type(placement.widget_type)
        if widget_type is None:
            continue
        settings = translate_settings(widget_type, placement.settings, translations)
        if settings != placement.settings:
            placement.settings = settings
            placement.derived = widget_type.derive(settings, target)
    composition.version = 0
    target.reindexObject(idxs=["SearchableText"])
    update_links(target, force=True)


def source_layout(adapter):
    """The layout the translation form offers: the original's.

    A z3c.form default value of the layout field in plone.app.multilingual's
    translation form, which names what it translates in the request.
    """
    info = getattr(adapter.request, "translation_info", None) or {}
    catalog = getToolByName(adapter.context, "portal_catalog")
    if info.get("tg"):
        for brain in catalog.unrestrictedSearchResults(
            TranslationGroup=info["tg"], Language=info.get("source_language")
        ):
            composition = query_composition(brain._unrestrictedGetObject())
            if composition is not None:
                return composition.layout
    return lookup.get_setting("default_layout")


LayoutOfTheOriginal = ComputedWidgetAttribute(
    source_layout,
    view=IMultilingualAddForm,
    field=ICompositeBehavior["composite_layout"],
)
