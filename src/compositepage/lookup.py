"""Finding registrations and settings.

Layout and widget names coming from storage or from a request are only ever
used as keys into what the directives registered: never as paths, templates,
expressions or dotted names.
"""

from compositepage.interfaces import ICompositePageSettings
from compositepage.interfaces import ILayout
from compositepage.interfaces import IWidgetType
from plone.registry.interfaces import IRegistry
from zope.component import getAdapters
from zope.component import getSiteManager
from zope.component import getUtilitiesFor
from zope.component import queryMultiAdapter
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.globalrequest import getRequest
from zope.publisher.browser import TestRequest


SETTINGS_PREFIX = "compositepage"
_DEFAULTS = {
    name: ICompositePageSettings[name].default for name in ICompositePageSettings
}


def get_setting(name):
    """A value of ICompositePageSettings, or its default when not installed."""
    registry = queryUtility(IRegistry)
    key = f"{SETTINGS_PREFIX}.{name}"
    if registry is None or key not in registry.records:
        return _DEFAULTS[name]
    return registry[key]


def current_request():
    """The request being published, or a blank one for the default browser
    layer: scripts run outside a publisher request (zconsole, tests) still
    look layouts up and convert settings."""
    request = getRequest()
    return request if request is not None else TestRequest()


def layouts_for(context=None, request=None):
    """{name: Layout} of every layout registered for context and request."""
    context = context if context is not None else getSite()
    request = request if request is not None else current_request()
    return dict(getAdapters((context, request), ILayout))


def query_layout(name, context=None, request=None):
    """The layout called ``name`` for context and request, or None."""
    if not isinstance(name, str):
        return None
    context = context if context is not None else getSite()
    request = request if request is not None else current_request()
    return queryMultiAdapter((context, request), ILayout, name=name)


def _registries(registry, seen=None):
    """A component registry and all its bases, most specific first."""
    seen = seen if seen is not None else set()
    if id(registry) in seen:
        return
    seen.add(id(registry))
    yield registry
    for base in getattr(registry, "__bases__", ()):
        yield from _registries(base, seen)


def all_layout_titles():
    """{name: title} of every registered layout, whatever its context or layer."""
    titles = {}
    for registry in _registries(getSiteManager()):
        for registration in registry.registeredAdapters():
            if registration.provided is ILayout:
                titles.setdefault(registration.name, registration.factory.title)
    return titles


def widget_types():
    """{name: WidgetType} of every registered widget type."""
    return dict(getUtilitiesFor(IWidgetType))


def query_widget_type(name):
    """The widget type called ``name``, or None."""
    if not isinstance(name, str):
        return None
    return queryUtility(IWidgetType, name=name)


def enabled_layouts(context=None):
    """{name: Layout} of the enabled layouts available for ``context``, in
    the configured order."""
    found = layouts_for(context)
    return {
        name: found[name] for name in get_setting("enabled_layouts") if name in found
    }


def layout_of(obj):
    """The layout ``obj`` is shown with: the stored one when it is registered
    for ``obj``, otherwise the default layout or the first enabled one (None
    when there is none)."""
    from compositepage.storage import query_composition

    composition = query_composition(obj)
    if composition is not None:
        layout = query_layout(composition.layout, obj)
        if layout is not None:
            return layout
    layout = query_layout(get_setting("default_layout"), obj)
    if layout is not None:
        return layout
    return next(iter(enabled_layouts(obj).values()), None)


def enabled_widget_types():
    """The enabled widget types, in the configured order."""
    types = widget_types()
    return [
        types[name] for name in get_setting("enabled_widget_types") if name in types
    ]
