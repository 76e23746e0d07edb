"""Link integrity: every reference a widget holds is a link Plone knows about.

plone.app.linkintegrity records what a content item links to as
``isReferencing`` relations, from the links its ``IRetriever`` finds, and
warns before an item that others link to is deleted.  Composite pages get a
retriever that adds the links of their widgets (placed or in the tray) to
those of their own fields, so Plone's own handlers (add, copy, edit, delete)
keep the relations right, and ``update_links`` brings them up to date after
each change of a composition.

What a widget links to is said by an ``IWidgetLinks`` adapter of its widget
type, looked up by the type's name first: the default one finds the content
its settings choose (a teaser's target, an image) and the links in its rich
text; the listing's adds the places its search terms look in.  A third-party
widget type registers a named adapter of its own to add what it links to.
"""

from compositepage import logger
from compositepage import lookup
from compositepage.interfaces import IComposite
from compositepage.interfaces import ICompositionChangedEvent
from compositepage.interfaces import IWidgetType
from compositepage.operations import kind
from compositepage.storage import query_composition
from plone.app.linkintegrity.handlers import check_linkintegrity_dependencies
from plone.app.linkintegrity.handlers import getObjectsFromLinks
from plone.app.linkintegrity.handlers import updateReferences
from plone.app.linkintegrity.interfaces import IRetriever
from plone.app.linkintegrity.parser import extractLinks
from plone.app.linkintegrity.retriever import DXGeneral
from plone.app.linkintegrity.utils import ensure_intid
from plone.app.linkintegrity.utils import getOutgoingLinks
from plone.app.querystring.queryparser import parseFormquery
from plone.app.querystring.queryparser import PATH_INDICES
from plone.app.textfield.interfaces import IRichText
from plone.base.interfaces import IPloneSiteRoot
from plone.uuid.interfaces import IUUID
from Products.CMFCore.utils import getToolByName
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations
from zope.component import adapter
from zope.component import queryAdapter
from zope.interface import implementer
from zope.interface import Interface
from zope.schema import getFieldsInOrder


def uuid_link(uuid):
    """The link to content by UUID, as Plone's editor writes it."""
    return f"resolveuid/{uuid}"


class IWidgetLinks(Interface):
    """What the widgets of one widget type link to (adapts IWidgetType)."""

    def links(context, settings):
        """The links (``resolveuid/<uuid>``, paths or URLs of the site) that
        a widget with ``settings`` on the page ``context`` holds."""


@implementer(IWidgetLinks)
@adapter(IWidgetType)
class WidgetLinks:
    """The content a widget's settings choose, and the links in its rich text."""

    def __init__(self, widget_type):
        self.widget_type = widget_type
        self.rich_text = tuple(
            name
            for name, field in getFieldsInOrder(widget_type.schema)
            if IRichText.providedBy(field)
        )

    def links(self, context, settings):
        found = {uuid_link(uuid) for uuid in self.widget_type.reference_uuids(settings)}
        for name in self.rich_text:
            value = settings.get(name)
            if isinstance(value, str) and ("href" in value or "src" in value):
                found.update(extractLinks(value))
        return found


@implementer(IWidgetLinks)
@adapter(IWidgetType)
class ListingLinks(WidgetLinks):
    """A listing links to the places its search terms look in."""

    def links(self, context, settings):
        found = super().links(context, settings)
        found.update(query_links(context, settings.get("query")))
        return found


def query_links(context, query):
    """Links to the content the path criteria of a search point at.

    Each criterion is read by plone.app.querystring's own parser, so every
    form it accepts (absolute, relative and navigation paths, UUIDs, with or
    without depth) resolves as the listing's search does.
    """
    if not isinstance(query, list):
        return set()
    portal = getToolByName(context, "portal_url").getPortalObject()
    found = set()
    for row in query:
        if not isinstance(row, dict) or row.get("i") not in PATH_INDICES:
            continue
        try:
            parsed = parseFormquery(context, [row])
        except ConflictError:
            raise
        except Exception:
            # A criterion the parser cannot read (its target was deleted, the
            # site no longer offers its operation) points at nothing.
            continue
        for index in PATH_INDICES & set(parsed):
            paths = (
                parsed[index].get("query") if isinstance(parsed[index], dict) else ()
            )
            for path in paths or ():
                target = portal.unrestrictedTraverse(str(path), None)
                if target is None or IPloneSiteRoot.providedBy(target):
                    continue
                uuid = IUUID(target, None)
                if uuid:
                    found.add(uuid_link(uuid))
    return found


def links_finder(widget_type):
    """The IWidgetLinks adapter of a widget type: its own (named by the
    type) or the default one."""
    finder = queryAdapter(widget_type, IWidgetLinks, name=widget_type.name)
    return finder if finder is not None else IWidgetLinks(widget_type)


def composition_links(context):
    """The links of every widget of ``context``, placed or in the tray."""
    composition = query_composition(context)
    if composition is None:
        return set()
    links = set()
    finders = {}
    for placement in composition.placements.values():
        name = placement.widget_type
        if name not in finders:
            widget_type = lookup.query_widget_type(name)
            finders[name] = links_finder(widget_type) if widget_type else None
        if finders[name] is None:
            continue
        try:
            links.update(finders[name].links(context, placement.settings))
        except ConflictError:
            raise
        except Exception:
            # Another package's adapter: its failure must not make every
            # change of the page fail; the page then misses these links.
            logger.exception(
                "Could not find the links of the %s widget %s on %s",
                name,
                placement.id,
                "/".join(context.getPhysicalPath()),
            )
    return links


@implementer(IRetriever)
@adapter(IComposite)
class CompositeRetriever(DXGeneral):
    """The links of a composite page: its fields' and its widgets'."""

    def retrieveLinks(self):
        return super().retrieveLinks() | composition_links(self.context)


# The widgets' links the page's relations were last made from: finding the
# content of every link costs a catalog query each, so it is only done when
# these change.  None: not known (a version was restored), make them again.
LINKS_KEY = "compositepage.links"
NO_LINKS = frozenset()


def update_links(obj, force=False):
    """Bring the ``isReferencing`` relations of ``obj`` up to date.

    What plone.app.linkintegrity does when content is modified, but only
    when the widgets' links changed since the relations were made (``force``
    makes them anyway): most changes of a composition keep every link.
    """
    if not check_linkintegrity_dependencies(obj):
        return
    links = frozenset(composition_links(obj))
    annotations = IAnnotations(obj)
    if not force and annotations.get(LINKS_KEY, NO_LINKS) == links:
        return
    retriever = IRetriever(obj, None)
    if retriever is None or ensure_intid(obj) is None:
        return
    refs = getObjectsFromLinks(obj, retriever.retrieveLinks())
    current = {relation.to_id for relation in getOutgoingLinks(obj)}
    if current != {ref.to_id for ref in refs}:
        updateReferences(obj, refs)
    if links or LINKS_KEY in annotations:
        annotations[LINKS_KEY] = links


def forget_links(obj):
    """Mark the links of ``obj`` as not known, so its next change makes its
    relations again: for a composition restored from a version."""
    if query_composition(obj) is not None:
        IAnnotations(obj)[LINKS_KEY] = None


@adapter(ICompositionChangedEvent)
def composition_changed(event):
    """Keep the relations in step with every change of a composition."""
    operation = getattr(event, "operation", None)
    found = kind(operation.get("op")) if isinstance(operation, dict) else None
    if found is not None and not found.changes_links:
        # A move (or the undo of one) keeps every widget and its settings.
        return
    update_links(event.object)
