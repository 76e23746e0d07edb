"""What design mode draws: the floor plan of a page, as its script shows it.

``DesignCanvas.state()`` is the whole of it (the design template with its
slots and blocks, the tray of unplaced widgets, the version and what undo
and redo can do).  The design view sends it with the page, and the REST API
with every answer to design mode (``?expand=design``), so the editor always
shows what is stored.  No widget renderer ever runs here: a slow or broken
widget cannot slow down or break the editor.
"""

from compositepage import _
from compositepage import lookup
from compositepage import references
from compositepage.browser import blocks
from compositepage.browser import icons
from compositepage.operations import checks
from compositepage.placing import arrange
from compositepage.placing import nested
from compositepage.placing import sub_slot
from compositepage.storage import query_composition
from compositepage.tales import SlotMarkup
from dataclasses import replace
from html import escape
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate
from zope.i18nmessageid import Message


# Blocks kept per process, keyed by (widget type, placement record, its
# serial, language): a view of a page of 1000 widgets looks up 1000 blocks,
# and a plain dict does that in 0.03 ms where plone.memoize's RAM cache (key
# hashing, locking, statistics) takes 3 to 8 ms, up to a tenth of the view
# (benchmarks/cache_lookup.py: 3.3 to 7.6 ms in four runs on 2026-12-02,
# the dict 0.03 to 0.05 ms).  Bounded, and cleared whole when full.
_BLOCKS = {}
MOST_BLOCKS_KEPT = 20000


class DesignCanvas:
    """The floor plan of ``context`` for ``request``."""

    slot_template = ViewPageTemplateFile("templates/design_slot.pt")
    tray_template = ViewPageTemplateFile("templates/design_tray.pt")

    def __init__(self, context, request):
        self.context = context
        self.request = request
        self.layout = lookup.layout_of(context)
        composition = query_composition(context)
        self.version = composition.version if composition is not None else 0
        self.can_undo = composition is not None and composition.undo_head is not None
        self.can_redo = composition is not None and composition.redo_head is not None
        self.composition = composition
        # The slots of container widgets (columns), drawn inside their blocks.
        self.nested = nested(composition)
        self.slots, unplaced = arrange(composition, self.layout, self.nested)
        self.unplaced = self._page_order(unplaced) if unplaced else unplaced
        self.types = lookup.widget_types()
        placed = [
            p
            for group in (self.slots, self.nested)
            for placements in group.values()
            for p in placements
        ]
        self.references = references.resolve(
            context, placed + self.unplaced, self.types
        )
        self.styles = self.type_styles()
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
        self._broken = escape(
            translate(
                _(
                    "block_broken_link",
                    default="Broken link: what this widget shows was deleted, or "
                    "you may not see it. Choose another item in its settings.",
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

    def type_styles(self):
        """Title, icon and colour of every widget type (the script names
        types by them too), and whether it is a container (columns)."""
        role = translate(_("label_widget", default="widget"), context=self.request)
        return {
            name: {
                "title": translate(widget_type.title, context=self.request),
                "icon": icons.icon_name(widget_type.icon),
                "colour": widget_type.colour or "#6c757d",
                "role": role,
                "container": widget_type.is_container,
            }
            for name, widget_type in self.types.items()
        }

    def icon(self, name):
        """A reference to the icon in the page's sprite (see ``sprite``)."""
        name = icons.icon_name(name)
        self._icons.add(name)
        return SlotMarkup(blocks.ICON.format(icon=name))

    def sprite(self):
        """Every icon of the widget types, once, as SVG symbols (blocks refer
        to them, so a page of many blocks does not repeat the drawings)."""
        names = {style["icon"] for style in self.styles.values()}
        names |= self._icons | {blocks.UNKNOWN_TYPE["icon"], blocks.WARNING_ICON}
        names |= blocks.TOOL_ICONS
        return SlotMarkup(
            '<svg class="cp-sprite" aria-hidden="true" width="0" height="0">'
            + "".join(icons.symbols(self.context, self.request, names).values())
            + "</svg>"
        )

    def tools(self):
        """The template of every block's buttons."""
        return SlotMarkup(blocks.tools(self.request))

    def block_symbols(self):
        """The icons blocks show instead of their type's, as SVG symbols by
        name: the script adds those the page's sprite lacks (a heading
        changed to level 4 needs one the page did not have when it was
        loaded)."""
        if not self._block_icons:
            return {}
        return icons.symbols(self.context, self.request, self._block_icons)

    def block(self, placement):
        """One block of the floor plan, as markup.

        A block of a type whose settings refer to no content depends on the
        type, the settings and the language alone, and settings are replaced
        (never changed in place) when they change: such blocks are kept per
        process by the placement record's serial, so a floor plan of many
        blocks does not run every design stub again at every view.
        """
        widget_type = self.types.get(placement.widget_type)
        if widget_type is not None and widget_type.is_container:
            # Drawn with the blocks in its slots, never kept.
            markup, icon = self._draw(widget_type, placement)
            if icon:
                self._block_icons.add(icon)
            return markup
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
            block = self._draw(widget_type, placement)
            # Blocks showing other content (a teaser's target title) follow
            # that content, not the placement: they are built at every view.
            if key is not None and not widget_type.reference_uuids(placement.settings):
                if len(_BLOCKS) >= MOST_BLOCKS_KEPT:
                    _BLOCKS.clear()
                _BLOCKS[key] = block
        markup, icon = block
        if icon:
            self._block_icons.add(icon)
        return markup

    def _draw(self, widget_type, placement):
        stub = blocks.stub_of(widget_type, placement, self.references)
        if isinstance(stub.title, Message):
            # A title of the type's own words (the columns' grid), not text
            # an editor typed: in the editor's language.
            stub = replace(stub, title=translate(stub.title, context=self.request))
        style = self.styles.get(placement.widget_type)
        known = style is not None
        if not known:
            style = {
                **blocks.UNKNOWN_TYPE,
                "title": placement.widget_type,
                "role": next(iter(self.styles.values()), {}).get("role", "widget"),
            }
        own = icons.icon_name(str(stub.icon or "")) if known and stub.icon else ""
        has_own = bool(own) and bool(icons.known([own]))
        inner = ""
        if known and widget_type.is_container:
            names = [name for name, _title in widget_type.sub_slots(placement.settings)]
            inner = "".join(self.render_slot(sub_slot(placement.id, n)) for n in names)
            if not stub.widths:
                # Without shares of its own, each column takes an equal one.
                stub = replace(stub, widths=(1,) * len(names))
        # A reference missing from those the user's catalog query found was
        # deleted or is not visible: the block says so, as the real page
        # tells editors.
        broken = widget_type is not None and any(
            uuid not in self.references
            for uuid in widget_type.reference_uuids(placement.settings)
            if uuid
        )
        markup = blocks.markup(
            placement,
            stub,
            style,
            known,
            has_own,
            self._missing,
            self._broken if broken else "",
            inner,
        )
        return markup, own if has_own else ""

    def render_slot(self, name):
        if name in self.nested:
            slot = checks.slot(self.layout, name, self.composition)
            placements = self.nested[name]
        else:
            slot = self.layout.get_slot(name)
            placements = self.slots.get(name, [])
        slot_title = translate(slot.title, context=self.request)
        return SlotMarkup(
            self.slot_template(
                self,
                slot=slot,
                slot_title=slot_title,
                blocks=SlotMarkup("".join(map(self.block, placements))),
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
        tray = SlotMarkup("".join(map(self.block, self.unplaced)))
        return SlotMarkup(design + self.tray_template(self, blocks=tray))

    def state(self, message=None, focus=None):
        """What the editor shows, as plain data."""
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
