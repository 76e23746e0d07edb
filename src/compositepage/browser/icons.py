"""Icons of design mode: one SVG sprite per page, blocks refer to it.

Plone's icon resolver reads and parses an icon's SVG file at every call; a
floor plan draws each icon once as a ``<symbol>`` and every block refers to
it with ``<use href="#cp-icon-...">``.
"""

from compositepage import logger
from plone.memoize import ram
from plone.registry.interfaces import IRegistry
from zope.component import getMultiAdapter
from zope.component import getUtility

import re


# What an icon name may hold in our markup (the site's registry names
# icons with letters, digits and dashes).
ICON_NAME = re.compile(r"[^a-z0-9-]")
SVG = re.compile(r"<svg([^>]*)>(.*)</svg>\s*$", re.S)
VIEWBOX = re.compile(r'view[bB]ox="([^"]+)"')


def icon_name(name):
    """``name`` as our markup uses it (``puzzle`` when there is none)."""
    return ICON_NAME.sub("", name or "puzzle")


def known(names):
    """The names the site's icon registry has (``plone.icon.<name>``):
    Plone's resolver answers its logo for any other name."""
    registry = getUtility(IRegistry)
    return [name for name in names if f"plone.icon.{name}" in registry]


# Kept per process, by the file the site's registry names for the icon (a
# site that points an icon at another file gets that one).
@ram.cache(lambda function, resolver, name, source: str(source))
def _symbol(resolver, name, source):
    """The ``<symbol>`` of an icon, with ``{id}`` to fill in ("" when it
    cannot be drawn)."""
    try:
        tag = resolver.tag(name, tag_class="", tag_alt="")
    except (NotImplementedError, ValueError, OSError):
        # An icon kept in the database, or not an SVG file: Plone's resolver
        # cannot read it; the editor draws no icon rather than fail.
        logger.warning("Icon %r cannot be drawn from %r", name, source)
        tag = ""
    # Plone's icon resolver answers bytes for SVG icons.
    if isinstance(tag, bytes):
        tag = tag.decode("utf-8")
    found = SVG.search(tag)
    if found is None:
        return ""
    box = VIEWBOX.search(found.group(1))
    view_box = f' viewBox="{box.group(1)}"' if box else ""
    body = found.group(2).replace("{", "{{").replace("}", "}}")
    return f'<symbol id="{{id}}"{view_box}>{body}</symbol>'


def symbols(context, request, names):
    """``{name: <symbol> markup}`` of the icons called ``names``."""
    resolver = getMultiAdapter((context, request), name="iconresolver")
    drawn = {}
    for name in sorted(names):
        symbol = _symbol(resolver, name, resolver.lookup(name))
        if symbol:
            drawn[name] = symbol.format(id=f"cp-icon-{name}")
    return drawn
