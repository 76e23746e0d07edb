"""Widget types: value objects made by the ``<compositepage:widget>`` directive,
the base class of real renderers, and the design stub they describe."""

from compositepage.interfaces import IWidgetRenderer
from compositepage.interfaces import IWidgetType
from dataclasses import dataclass
from zope.component import queryMultiAdapter
from zope.interface import implementer
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection
from zope.schema.interfaces import IText
from zope.schema.interfaces import ITextLine


CATALOG_VOCABULARY = "plone.app.vocabularies.Catalog"


@dataclass(frozen=True)
class DesignStub:
    """What design mode draws for a placement, instead of running the widget.

    ``kind`` names the drawing: ``text`` (``lines`` fuzzy lines), ``heading``
    (one bold line of ``level``), ``image`` or ``embed`` (a grey box of width /
    height ``aspect``), ``teaser`` (a box and two lines), ``listing`` (``rows``
    rows).  ``title`` is a short label, e.g. the heading text.
    ``icon`` names an icon of the site's icon registry (``plone.icon.<name>``:
    letters, digits and dashes) that the block shows instead of its type's
    icon (the heading shows its level's); a name the site does not have is
    ignored.  ``widths`` gives a container's own slots (its columns) their
    shares of its width, in the order of its sub-slots (twelfths for columns:
    ``(8, 4)``); empty for equal shares.  ``width`` is the widest the real
    widget draws its box, in CSS pixels (an image at its scale); 0 for as
    wide as its slot.
    """

    kind: str
    title: str = ""
    lines: int = 0
    aspect: float | None = None
    rows: int = 0
    level: int = 0
    icon: str = ""
    widths: tuple = ()
    # Last, so that stubs made with positional arguments keep their meaning.
    width: int = 0


class WidgetUnavailable(Exception):
    """Raised by a renderer that has nothing to show, with the reason.

    Visitors see nothing; editors see the reason in a placeholder.  Used for a
    reference to content that was deleted or that the user may not view.
    """


class WidgetRenderer:
    """Base of real renderers: a small view over one placement.

    A subclass sets ``template`` (or the directive does) and may override
    ``update`` to prepare values for it.  ``references`` maps the UUIDs of
    the page's referenced content to catalog brains, found in one query per
    page as the current user, so a missing key means deleted or not visible.
    """

    template = None

    def render_slot(self, name):
        """The rendered widgets of the placement's own slot ``name`` (a
        container's, such as a column); the view rendering the page sets it."""
        return ""

    def __init__(self, context, request, widget_type, placement, references):
        self.context = context
        self.request = request
        self.widget_type = widget_type
        self.placement = placement
        self.settings = placement.settings
        self.derived = placement.derived
        self.references = references

    def update(self):
        """Prepare what the template shows; may raise WidgetUnavailable."""

    def referenced(self, name, unavailable):
        """The catalog brain of the content the setting ``name`` refers to.

        :param unavailable: What visitors are told when there is none.
        :raises WidgetUnavailable: when it was deleted, or the user may not
            see it.
        """
        brain = self.references.get(self.settings.get(name))
        if brain is None:
            raise WidgetUnavailable(unavailable)
        return brain

    def render(self):
        return self.template(self)

    def __call__(self):
        self.update()
        return self.render()

    @classmethod
    def clean(cls, settings, context, schema):
        """Valid settings as they are to be stored (e.g. HTML made safe)."""
        return settings

    @classmethod
    def sub_slots(cls, settings):
        """The slots of the widget's own, for a container such as columns:
        ``[(name, title), ...]`` for ``settings``; none by default."""
        return []

    @classmethod
    def derive(cls, settings, context, schema):
        """What to store beside the settings, computed once when they are
        stored.  By default the text of its text settings, for site search."""
        texts = []
        for name, field in getFieldsInOrder(schema):
            value = settings.get(name)
            if isinstance(value, str) and (
                ITextLine.providedBy(field) or IText.providedBy(field)
            ):
                texts.append(value)
        return {"text": " ".join(texts)} if texts else {}


@implementer(IWidgetRenderer)
class RendererRegistration:
    """A renderer class for a browser layer: registered as the named adapter
    of (content, request) to IWidgetRenderer, it is its own factory, so the
    lookup returns this very object for whichever layer fits best."""

    def __init__(self, renderer_class):
        self.renderer_class = renderer_class

    def __call__(self, context, request):
        return self


def _is_reference(field):
    return IChoice.providedBy(field) and field.vocabularyName == CATALOG_VOCABULARY


@implementer(IWidgetType)
class WidgetType:
    """A widget type: its settings schema, real renderer and design stub."""

    def __init__(
        self,
        name,
        title,
        schema,
        renderer,
        design_stub,
        permission,
        description="",
        icon=None,
        colour="#6c757d",
    ):
        self.name = name
        self.title = title
        self.description = description
        self.icon = icon
        self.colour = colour
        self.schema = schema
        self.permission = permission
        self.renderer_class = renderer
        # Whether its widgets hold widgets of their own (columns): asked of
        # every placement at every view of a page, so answered once.
        self.is_container = bool(renderer.sub_slots({}))
        self._design_stub = design_stub
        self.fields = tuple(getFieldsInOrder(schema))
        # The settings that hold content by UUID (catalog choices): REST
        # shows plone.restapi's summary of it, link integrity follows it.
        self.reference_fields = tuple(
            name
            for name, field in self.fields
            if _is_reference(field)
            or (ICollection.providedBy(field) and _is_reference(field.value_type))
        )

    def __repr__(self):
        return f"<WidgetType {self.name!r}>"

    def renderer_for(self, context, request):
        """The renderer class for ``request``'s browser layers: a theme's
        own when one is registered for its layer (a second
        ``<compositepage:widget>`` with ``layer``), else the type's."""
        found = queryMultiAdapter((context, request), IWidgetRenderer, name=self.name)
        return found.renderer_class if found is not None else self.renderer_class

    def renderer(self, context, request, placement, references, renderer_class=None):
        renderer_class = renderer_class or self.renderer_for(context, request)
        return renderer_class(context, request, self, placement, references)

    def stub(self, settings, references):
        return self._design_stub(settings, references)

    def clean(self, settings, context):
        return self.renderer_class.clean(settings, context, self.schema)

    def derive(self, settings, context):
        return self.renderer_class.derive(settings, context, self.schema)

    def sub_slots(self, settings):
        """``[(name, title), ...]`` of a container's own slots (see
        ``WidgetRenderer.sub_slots``)."""
        return self.renderer_class.sub_slots(settings)

    def reference_uuids(self, settings):
        uuids = []
        for name in self.reference_fields:
            value = settings.get(name)
            if isinstance(value, str):
                uuids.append(value)
            elif isinstance(value, list):
                uuids.extend(item for item in value if isinstance(item, str))
        return uuids
