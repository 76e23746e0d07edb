"""Caching: the real view is cached like Plone's content views, design never.

The real view declares the ruleset of Plone's item views
(``plone.content.itemView``, in caching.zcml), so a site that uses
plone.app.caching's profiles caches composite pages as it caches documents;
every change of a composition sends ``Purge`` for the page
(``compositepage.operations.finish``).

Design mode answers with what its user is editing right now: its responses
tell browsers and proxies not to store them, whatever caching a site set up.
"""

from plone.transformchain.interfaces import ITransform
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


# The views of design mode (their names are their addresses), and the REST
# service it reads and writes through when it asks for the floor plan.
DESIGN_VIEWS = frozenset(("design", "compositepage-widget-settings"))
DESIGN_SERVICE = "@composition"
NEVER_CACHED = "no-store, no-cache, must-revalidate, max-age=0, private"


def never_cache(response):
    """Tell browsers and proxies not to store ``response``."""
    response.setHeader("Cache-Control", NEVER_CACHED)
    response.setHeader("Expires", "Sat, 01 Jan 2000 00:00:00 GMT")
    response.setHeader("Pragma", "no-cache")


def is_design_view(published, request):
    from compositepage.interfaces import IComposite

    name = getattr(published, "__name__", None)
    context = getattr(published, "context", None)
    if not IComposite.providedBy(context):
        return False
    if name == DESIGN_SERVICE:
        return "design" in (request.form.get("expand") or "").split(",")
    return name in DESIGN_VIEWS


@implementer(ITransform)
@adapter(Interface, Interface)
class NeverCached:
    """Marks design-mode responses as not to be stored by any cache.

    A plone.transformchain step after plone.caching's (order 12000), so it
    has the last word on the headers; it leaves the body alone.
    """

    order = 12500

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def mark(self):
        if is_design_view(self.published, self.request):
            never_cache(self.request.response)

    def transformBytes(self, result, encoding):
        self.mark()

    def transformUnicode(self, result, encoding):
        self.mark()

    def transformIterable(self, result, encoding):
        self.mark()
