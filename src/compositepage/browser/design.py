"""Design mode: the floor plan of a page and the JSON write path of the editor.

The design view renders the layout's *design* template; ``slot:`` expressions
ask ``render_slot`` for a drop zone holding one block per placement, drawn
from the widget type's design stub.  No widget renderer ever runs here, so a
slow or broken widget cannot slow down or break the editor.
"""

from AccessControl import Unauthorized
from AccessControl.security import checkPermission
from compositepage import _
from compositepage import api
from compositepage import logger
from compositepage import lookup
from compositepage import references
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.jsonbody import read_json
from compositepage.jsonbody import RequestProblem
from compositepage.operations import apply_operation
from compositepage.operations import MOVED
from compositepage.storage import query_composition
from compositepage.tales import SlotMarkup
from compositepage.widget import DesignStub
from html import escape
from plone.protect.authenticator import check
from plone.registry.interfaces import IRegistry
from Products.CMFPlone.resources import add_bundle_on_request
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Forbidden
from ZODB.POSException import ConflictError
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.i18n import translate

import json
import re
import transaction
import zlib


BUNDLE = "compositepage-editor"
# The editor posts small JSON documents; anything bigger is not ours.
MAX_BODY_BYTES = 64 * 1024
MOST_LINES_DRAWN = 24
ICON_NAME = re.compile(r"[^a-z0-9-]")
SVG = re.compile(r"<svg([^>]*)>(.*)</svg>\s*$", re.S)
VIEWBOX = re.compile(r'view[bB]ox="([^"]+)"')
# Icon file (as the site's registry names it) -> its <symbol> markup.
_SYMBOLS = {}
# (widget type, placement record, its serial, language) -> (block markup,
# the icon it shows instead of its type's, or "")
_BLOCKS = {}


def _widths(seed):
    """Width of a block's fuzzy lines and of its last line (percent): varied
    between blocks, stable for a placement."""
    digest = zlib.crc32(seed.encode())
    return 80 + digest % 21, 35 + (digest >> 8) % 30


def _symbol(resolver, name):
    """The ``<symbol>`` of an icon, with ``{id}`` to fill in.

    Plone's icon resolver reads and parses the SVG file at every call;
    the symbol is kept per process, keyed by the file the site's
    registry names for the icon (so a site that points an icon at
    another file gets that one).
    """
    source = resolver.lookup(name)
    if source in _SYMBOLS:
        return _SYMBOLS[source]
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
    symbol = ""
    if found is not None:
        box = VIEWBOX.search(found.group(1))
        view_box = f' viewBox="{box.group(1)}"' if box else ""
        body = found.group(2).replace("{", "{{").replace("}", "}}")
        symbol = f'<symbol id="{{id}}"{view_box}>{body}</symbol>'
    if len(_SYMBOLS) < 500:
        _SYMBOLS[source] = symbol
    return symbol


def _number(value, default, least, most):
    """A number from a design stub (integrator code), kept within bounds."""
    kind = type(default)
    try:
        value = kind(value or default)
    except (TypeError, ValueError, OverflowError):
        return default
    if value != value:  # NaN
        return default
    return min(most, max(least, value)) if value else default


# What the editor's script says, by key (see DesignView.messages).
MESSAGES = {
    "moved": MOVED,
    "picked": _(
        "msg_picked",
        default="${type} picked up. Use the arrow keys to move it, Enter to "
        "drop it, Escape to cancel.",
    ),
    "placing": _(
        "msg_placing",
        default="New ${type}: use the arrow keys to choose its place, Enter "
        "to place it, Escape to cancel.",
    ),
    "position": _("msg_position", default="${slot}, position ${position} of ${count}."),
    "cancelled": _("msg_cancelled", default="Move cancelled."),
    "tray_hint": _(
        "msg_tray_hint",
        default="Not placed. Press the right arrow key to move it into "
        "the first slot that takes it.",
    ),
    "not_allowed": _(
        "msg_not_allowed", default="${slot} does not take ${type} widgets."
    ),
    "stale": _(
        "msg_stale",
        default="This page was changed by someone else — your view has been refreshed.",
    ),
    "failed": _(
        "msg_failed",
        default="The change could not be saved. Your view shows what is stored.",
    ),
    "confirm_remove": _(
        "msg_confirm_remove",
        default="Remove this ${type} widget? You can undo it afterwards.",
    ),
    "settings_title": _("msg_settings_title", default="Settings of ${type}"),
    "new_title": _("msg_new_title", default="New ${type}"),
    "saving": _("msg_saving", default="Saving…"),
    "saved": _("msg_updated", default="Settings saved."),
    "settings": _("button_settings", default="Settings"),
    "remove": _("button_remove", default="Remove"),
    "widget": _("label_widget", default="widget"),
    "block_label": _(
        "block_label",
        default="${type}: ${title}, ${position} of ${count} in ${slot}",
    ),
    "block_label_unplaced": _(
        "block_label_unplaced", default="${type}: ${title}, not placed"
    ),
}
# Language -> MESSAGES translated, as JSON.
_MESSAGES_JSON = {}


class DesignCanvas:
    """What design mode draws: the design template and the unplaced tray.

    Used by the design view and by the write endpoint, which sends the fresh
    canvas after every operation so the editor always shows what is stored.
    """

    slot_template = ViewPageTemplateFile("templates/design_slot.pt")
    tray_template = ViewPageTemplateFile("templates/design_tray.pt")

    def __init__(self, context, request):
        self.context = context
        self.request = request
        self.layout = api.get_layout(context)
        composition = query_composition(context)
        self.version = composition.version if composition is not None else 0
        self.can_undo = composition is not None and composition.undo_head is not None
        self.can_redo = composition is not None and composition.redo_head is not None
        self.slots, unplaced = api.arrange(composition, self.layout)
        self.unplaced = self._page_order(unplaced) if unplaced else unplaced
        self.types = lookup.widget_types()
        placed = [p for placements in self.slots.values() for p in placements]
        self.references = references.resolve(
            context, placed + self.unplaced, self.types
        )
        self._icons = set()
        # Icons that blocks show instead of their type's (DesignStub.icon).
        self._block_icons = set()
        self._missing = escape(
            translate(
                _(
                    "block_missing_type",
                    default="This widget type is no longer available: it can be "
                    "moved or removed.",
                ),
                context=request,
            )
        )

    def _page_order(self, unplaced):
        """Unplaced widgets in the order of the page they were on: by their
        slot's place in a layout that has it (hero before band), then their
        own order.  Slots are otherwise known by name only."""
        rank = {}
        for layout in lookup.layouts_for(self.context, self.request).values():
            for index, slot in enumerate(layout.slots):
                rank.setdefault(slot.name, index)
        return sorted(
            unplaced,
            key=lambda p: (rank.get(p.slot, len(rank)), p.slot, p.order, p.id),
        )

    def icon(self, name):
        """A reference to the icon in the page's sprite (see ``sprite``)."""
        name = ICON_NAME.sub("", name or "puzzle")
        self._icons.add(name)
        return SlotMarkup(
            f'<svg class="cp-icon" aria-hidden="true"><use href="#cp-icon-{name}"></use></svg>'
        )

    def sprite(self):
        """Every icon of the widget types, once, as SVG symbols (blocks refer
        to them, so a page of many blocks does not repeat the drawings)."""
        names = {ICON_NAME.sub("", wt.icon or "puzzle") for wt in self.types.values()}
        names |= self._icons | {"question-circle"}
        return SlotMarkup(
            '<svg class="cp-sprite" aria-hidden="true" width="0" height="0">'
            + "".join(self._symbols(names).values())
            + "</svg>"
        )

    def block_symbols(self):
        """The icons blocks show instead of their type's, as SVG symbols by
        name: the script adds those the page's sprite lacks (a heading
        changed to level 4 needs one the page did not have when it was
        loaded)."""
        if not self._block_icons:
            return {}
        # Only icons the site has: Plone's resolver answers its logo for any
        # other name, and the block keeps its type's icon instead.
        registry = getUtility(IRegistry)
        return self._symbols(
            name for name in self._block_icons if f"plone.icon.{name}" in registry
        )

    def _symbols(self, names):
        resolver = getMultiAdapter((self.context, self.request), name="iconresolver")
        symbols = {}
        for name in sorted(names):
            symbol = _symbol(resolver, name)
            if symbol:
                symbols[name] = symbol.format(id=f"cp-icon-{name}")
        return symbols

    def stub(self, widget_type, placement):
        """The design stub of a placement, from its widget type."""
        try:
            stub = widget_type.stub(placement.settings, self.references)
        except ConflictError:
            raise
        except Exception:
            # A design stub is integrator code too: never let it break the editor.
            logger.exception("Design stub of %s failed", widget_type.name)
            stub = None
        if not isinstance(stub, DesignStub):
            return DesignStub(kind="text", lines=3)
        return stub

    def type_styles(self):
        """Title, icon and colour of every widget type, for the script to
        give each block (a page of many blocks does not repeat them)."""
        return {
            name: {
                "title": translate(widget_type.title, context=self.request),
                "icon": ICON_NAME.sub("", widget_type.icon or "puzzle"),
                "colour": widget_type.colour or "#6c757d",
            }
            for name, widget_type in self.types.items()
        }

    def block(self, placement):
        """One block of the floor plan, as markup.

        A block of a type whose settings refer to no content depends on the
        type, the settings and the language alone, and settings are replaced
        (never changed in place) when they change: such blocks are kept per
        process by the placement record's serial, so a floor plan of many
        blocks does not run every design stub again at every view.  Nothing
        in a block says where it is (the script labels blocks by their
        place), so a move does not change the markup of any block.
        """
        widget_type = self.types.get(placement.widget_type)
        key = None
        if (
            widget_type is not None
            and getattr(placement, "_p_oid", None) is not None
            # Changed in this transaction: its serial is still the old one.
            and placement._p_changed is False
        ):
            key = (
                widget_type,
                placement._p_oid,
                placement._p_serial,
                self.request.get("LANGUAGE"),
            )
        block = _BLOCKS.get(key) if key is not None else None
        if block is None:
            block = self._markup(widget_type, placement)
            # Blocks showing other content (a teaser's target title) follow
            # that content, not the placement: they are built at every view.
            if key is not None and not widget_type.reference_uuids(placement.settings):
                if len(_BLOCKS) >= 20000:
                    _BLOCKS.clear()
                _BLOCKS[key] = block
        markup, icon = block
        if icon:
            self._block_icons.add(icon)
        return markup

    def _markup(self, widget_type, placement):
        """The markup of a block, from its widget type's design stub.

        Built with Python string formatting rather than a page template: a
        floor plan of hundreds of blocks is most of the design view.  The
        markup is kept small too: fuzzy lines are one element drawn by CSS,
        and what every block of a type shares (type title, icon, colour,
        focus, role description, the Settings and Remove buttons) and its
        label (type, title and place) are added by the editor's script.
        Attributes are in single quotes, which JSON (see
        ``DesignView.initial_state``) carries as they are.
        """
        if widget_type is None:
            stub = DesignStub(kind="missing", lines=2)
        else:
            stub = self.stub(widget_type, placement)
        title = " ".join(str(stub.title or "").split())
        if len(title) > 80:
            title = title[:79] + "…"
        kind = ICON_NAME.sub("", stub.kind or "text")
        # An icon of the block's own, for a type still registered.
        icon = ICON_NAME.sub("", str(stub.icon or "")) if widget_type else ""
        icon_attribute = f" data-icon='{icon}'" if icon else ""
        parts = [
            f"<li class='cp-block cp-kind-{kind}'"
            f" data-placement-id='{escape(placement.id)}'"
            f" data-widget-type='{escape(placement.widget_type)}'{icon_attribute}>"
            f"<div class='cp-block-head'><span class='cp-block-title'>"
            f"{escape(title)}</span></div>"
        ]
        aspect = _number(stub.aspect, 0.0, 0.05, 20.0)
        if stub.kind in ("image", "embed", "teaser") and aspect:
            parts.append(
                f"<div class='cp-box' style='aspect-ratio:{aspect:.4g}'></div>"
            )
        lines = _number(stub.lines, 0, 0, MOST_LINES_DRAWN)
        if lines:
            width, last = _widths(placement.id)
            if lines == 1:
                last = 100
            level = (
                f" cp-level-{_number(stub.level, 2, 2, 4)}"
                if stub.kind == "heading"
                else ""
            )
            parts.append(
                f"<div class='cp-lines{level}' style='--cp-lines:{lines};"
                f"--cp-width:{width}%;--cp-last:{last}%'></div>"
            )
        rows = _number(stub.rows, 0, 0, 12)
        if rows:
            parts.append(f"<div class='cp-rows' style='--cp-rows:{rows}'></div>")
        if widget_type is None:
            parts.append(f"<p class='cp-missing'>{self._missing}</p>")
        parts.append("</li>")
        return "".join(parts), icon

    def render_slot(self, name):
        slot = self.layout.get_slot(name)
        placements = self.slots.get(name, [])
        slot_title = translate(slot.title, context=self.request)
        blocks = SlotMarkup("".join(map(self.block, placements)))
        return SlotMarkup(
            self.slot_template(
                self,
                slot=slot,
                slot_title=slot_title,
                blocks=blocks,
                count=len(placements),
                allowed=" ".join(sorted(slot.allowed)) if slot.allowed else "",
                full=slot.max is not None and len(placements) >= slot.max,
            )
        )

    def render(self):
        """The design template and the tray, as one piece of markup."""
        if self.layout is None:
            return SlotMarkup("")
        design = self.layout.render_design(self)
        blocks = SlotMarkup("".join(map(self.block, self.unplaced)))
        return SlotMarkup(design + self.tray_template(self, blocks=blocks))

    def state(self, message=None, focus=None):
        """What the editor shows, as the write endpoint answers it."""
        html = str(self.render())  # first: it finds the icons blocks show
        return {
            "version": self.version,
            "layout": self.layout.name if self.layout is not None else None,
            "can_undo": self.can_undo,
            "can_redo": self.can_redo,
            "html": html,
            "icons": self.block_symbols(),
            "message": translate(message, context=self.request) if message else "",
            "focus": focus,
        }


class DesignView(BrowserView):
    """``@@design``: the floor-plan editor of a composite page."""

    def __call__(self):
        add_bundle_on_request(self.request, BUNDLE)
        # The floor plan needs the width of the page; portlets stay in the
        # real view.
        self.request.set("disable_plone.leftcolumn", 1)
        self.request.set("disable_plone.rightcolumn", 1)
        self.canvas = DesignCanvas(self.context, self.request)
        return self.index()

    def initial_state(self):
        """The floor plan, as JSON the editor's script puts in the canvas.

        Carried in one ``<script type="application/json">`` rather than as
        markup: Plone's transforms (theming, CSRF protection) parse every
        element of a page again, and a floor plan of hundreds of blocks
        would be most of them.  The script renders it with the same code
        that shows the state after every change.  ``</`` and ``<!--`` are
        escaped, so nothing in it can end the script element.
        """
        text = json.dumps(self.canvas.state(), ensure_ascii=False)
        # Inside a script element only "</" (an end tag) and "<!--" matter;
        # JSON may write "/" and "<" as escapes.
        return SlotMarkup(text.replace("</", "<\\/").replace("<!--", "\\u003c!--"))

    def type_styles(self):
        return json.dumps(self.canvas.type_styles())

    def palette(self):
        """The widget types this user may add here, for the palette."""
        return [
            {
                "name": widget_type.name,
                "title": widget_type.title,
                "description": widget_type.description,
                "colour": widget_type.colour,
                "icon": self.canvas.icon(widget_type.icon),
            }
            for widget_type in api.get_widget_types(self.context)
        ]

    def layouts(self):
        if not checkPermission(api.MANAGE_LAYOUTS, self.context):
            return []
        current = self.canvas.layout.name if self.canvas.layout else None
        return [
            {
                "name": layout.name,
                "title": layout.title,
                "selected": layout.name == current,
            }
            for layout in api.get_layouts(self.context)
        ]

    def messages(self):
        """The editor's sentences, translated here so the script has no
        English; as JSON, made once per process and language."""
        language = self.request.get("LANGUAGE")
        found = _MESSAGES_JSON.get(language)
        if found is None:
            found = json.dumps(
                {
                    key: translate(value, context=self.request)
                    for key, value in MESSAGES.items()
                }
            )
            if language:
                _MESSAGES_JSON[language] = found
        return found


class DesignStateView(BrowserView):
    """``@@design-state``: the current canvas as JSON (after a settings form)."""

    def __call__(self):
        canvas = DesignCanvas(self.context, self.request)
        return _json(self.request, 200, canvas.state())


def csrf_ok(request):
    """Whether the request carries a valid plone.protect token (form field
    ``_authenticator`` or header ``X-CSRF-TOKEN``)."""
    try:
        check(request)
    except Forbidden:
        return False
    return True


def _json(request, status, data):
    request.response.setStatus(status)
    request.response.setHeader("Content-Type", "application/json; charset=utf-8")
    request.response.setHeader("Cache-Control", "no-store")
    return json.dumps(data)


def _read_operation(request):
    """The operation a request carries, or an error (status, message)."""
    if request.method != "POST":
        request.response.setHeader("Allow", "POST")
        return None, (405, _("error_post_only", default="Send changes with POST."))
    try:
        operation = read_json(request, max_bytes=MAX_BODY_BYTES)
    except RequestProblem as problem:
        return None, (problem.status, problem.message)
    if not isinstance(operation, dict):
        return None, (
            400,
            _("error_not_an_object", default="The request must be a JSON object."),
        )
    return operation, None


class DesignWriteView(BrowserView):
    """``@@design-write``: the one JSON write path of the editor (POST only).

    Every answer carries the stored state (version and canvas), so the editor
    shows what is stored whether the operation succeeded or not.
    """

    def __call__(self):
        operation, problem = _read_operation(self.request)
        if problem is None and not csrf_ok(self.request):
            problem = (
                403,
                _(
                    "error_csrf",
                    default="The security token is missing or out of date. Reload "
                    "the page and try again.",
                ),
            )
        if problem is not None:
            status, message = problem
            return self._answer(status, error=message)
        try:
            message, focus = apply_operation(
                self.context, operation, operation.get("version")
            )
        except StaleVersion:
            return self._answer(
                409,
                error=_(
                    "msg_stale",
                    default="This page was changed by someone else — your view has "
                    "been refreshed.",
                ),
            )
        except InvalidOperation as error:
            return self._answer(400, error=error.message)
        except Unauthorized as error:
            return self._answer(
                403,
                error=str(error)
                or _("error_unauthorized", default="You may not make this change."),
            )
        return self._answer(200, message=message, focus=focus)

    def _answer(self, status, error=None, message=None, focus=None):
        if status >= 400:
            # Nothing of a refused operation may be stored.
            transaction.doom()
        canvas = DesignCanvas(self.context, self.request)
        data = canvas.state(message=message, focus=focus)
        if error is not None:
            data["error"] = translate(error, context=self.request)
        return _json(self.request, status, data)
