"""The real view: what visitors see of a composite page."""

from AccessControl.security import checkPermission
from compositepage import _
from compositepage import api
from compositepage import logger
from compositepage import lookup
from compositepage import placing
from compositepage import references
from compositepage.storage import query_composition
from compositepage.tales import SlotMarkup
from compositepage.widget import WidgetUnavailable
from html import escape
from Products.Five.browser import BrowserView
from ZODB.POSException import ConflictError
from zope.i18n import translate


class CompositeView(BrowserView):
    """Renders the layout's real template; ``slot:`` asks ``render_slot``.

    Everything a render needs is looked up once per request: the layout, the
    arrangement, the widget types, and the referenced content (one catalog
    query, as the current user).  Widgets render in this process, one after
    the other, without subrequests.
    """

    def __call__(self):
        self.layout = api.get_layout(self.context)
        self.can_design = checkPermission(api.DESIGN_PAGE, self.context)
        composition = query_composition(self.context)
        # The slots of container widgets (columns), rendered in the same pass.
        self.nested = placing.nested(composition)
        if self.layout is not None:
            self.slots, self.unplaced = api.arrange(
                composition, self.layout, self.nested
            )
        else:
            self.slots, self.unplaced = {}, []
        self.types = lookup.widget_types()
        # Each type's renderer for this request's layers, looked up once.
        self.renderers = {}
        self.references = references.resolve(
            self.context,
            (
                p
                for group in (self.slots, self.nested)
                for placements in group.values()
                for p in placements
            ),
            self.types,
        )
        return self.index()

    def empty(self):
        """Whether no widget shows on the page: editors are told how to fill
        it (a new page would say nothing)."""
        return self.can_design and not any(self.slots.values())

    def body(self):
        if self.layout is None:
            return SlotMarkup("")
        return SlotMarkup(self.layout.render_real(self))

    def render_slot(self, name):
        placements = self.slots.get(name) or self.nested.get(name, ())
        return SlotMarkup("".join(self._render(p) for p in placements))

    def _render(self, placement):
        widget_type = self.types.get(placement.widget_type)
        if widget_type is None:
            return self._placeholder(
                _(
                    "placeholder_missing_type",
                    default="This widget's type (${type}) is no longer available.",
                    mapping={"type": placement.widget_type},
                )
            )
        renderer_class = self.renderers.get(widget_type.name)
        if renderer_class is None:
            renderer_class = widget_type.renderer_for(self.context, self.request)
            self.renderers[widget_type.name] = renderer_class
        try:
            renderer = widget_type.renderer(
                self.context, self.request, placement, self.references, renderer_class
            )
            if widget_type.is_container:
                # A container renders its own slots as the page does.
                renderer.render_slot = lambda name, id=placement.id: self.render_slot(
                    placing.sub_slot(id, name)
                )
            html = renderer()
        except WidgetUnavailable as reason:
            return self._placeholder(reason.args[0] if reason.args else "")
        except ConflictError:
            raise
        except Exception:
            logger.exception(
                "The %s widget %s on %s failed to render",
                placement.widget_type,
                placement.id,
                self.context.absolute_url_path(),
            )
            return self._placeholder(
                _(
                    "placeholder_failed",
                    default="This ${type} widget failed to render; the error is "
                    "in the site's log.",
                    mapping={"type": widget_type.title},
                )
            )
        return (
            f'<div class="compositepage-widget compositepage-widget-'
            f'{placement.widget_type}">{html}</div>'
        )

    def _placeholder(self, message):
        """Visitors see nothing; editors see why a widget is missing."""
        if not self.can_design:
            return ""
        text = escape(translate(message, context=self.request))
        return (
            f'<div class="compositepage-placeholder alert alert-warning">{text}</div>'
        )
