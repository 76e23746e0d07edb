"""Public interfaces of compositepage."""

from compositepage import _
from plone.dexterity.interfaces import IDexterityContent
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class ICompositepageLayer(IDefaultBrowserLayer):
    """Browser layer: active on sites where compositepage is installed."""


def _https_provider(value):
    from compositepage.urls import is_valid_provider

    if not is_valid_provider(value):
        raise Invalid(
            _(
                "error_embed_provider",
                default="An embed provider must be an https:// address with a "
                "host name, such as https://player.vimeo.com/video/.",
            )
        )
    return True


class ICompositePageSettings(Interface):
    """Site-wide settings, stored in the registry under ``compositepage.*``."""

    enabled_layouts = schema.List(
        title=_("label_enabled_layouts", default="Enabled layouts"),
        description=_(
            "help_enabled_layouts",
            default="Layouts editors may choose for a page. Pages that already "
            "use a layout switched off here keep it.",
        ),
        value_type=schema.Choice(vocabulary="compositepage.AllLayouts"),
        default=["one-column", "two-columns", "landing"],
        required=False,
    )

    default_layout = schema.Choice(
        title=_("label_default_layout", default="Default layout"),
        description=_(
            "help_default_layout",
            default="The layout of a new composite page.",
        ),
        vocabulary="compositepage.AllLayouts",
        default="one-column",
        required=True,
    )

    enabled_widget_types = schema.List(
        title=_("label_enabled_widget_types", default="Enabled widget types"),
        description=_(
            "help_enabled_widget_types",
            default="Widget types offered in the palette of design mode. "
            "Widgets already placed keep rendering.",
        ),
        value_type=schema.Choice(vocabulary="compositepage.AllWidgetTypes"),
        default=[
            "heading",
            "richtext",
            "image",
            "teaser",
            "listing",
            "embed",
            "columns",
        ],
        required=False,
    )

    embed_allowlist = schema.List(
        title=_("label_embed_allowlist", default="Embed providers"),
        description=_(
            "help_embed_allowlist",
            default="Address prefixes an embed widget may show, one per line, "
            "each starting with https:// and naming a host, for example "
            "https://www.youtube-nocookie.com/embed/. Any other address is "
            "refused.",
        ),
        value_type=schema.TextLine(constraint=_https_provider),
        default=[
            "https://www.youtube-nocookie.com/embed/",
            "https://www.youtube.com/embed/",
            "https://player.vimeo.com/video/",
            "https://www.openstreetmap.org/export/embed.html",
        ],
        required=False,
    )

    history_length = schema.Int(
        title=_("label_history_length", default="Undo steps kept per page"),
        description=_(
            "help_history_length",
            default="How many of the latest operations of each page can at least "
            "be undone; 0 keeps none, and Undo is then unavailable.",
        ),
        default=50,
        min=0,
        max=500,
        required=True,
    )

    max_widgets_per_page = schema.Int(
        title=_("label_max_widgets_per_page", default="Widgets per page at most"),
        description=_(
            "help_max_widgets_per_page",
            default="Adding a widget beyond this number is refused.",
        ),
        default=1000,
        min=1,
        max=5000,
        required=True,
    )

    @invariant
    def default_layout_enabled(data):
        enabled = getattr(data, "enabled_layouts", None)
        if enabled is not None and data.default_layout not in enabled:
            raise Invalid(
                _(
                    "error_default_layout_disabled",
                    default="The default layout must be one of the enabled layouts.",
                )
            )


class IComposite(Interface):
    """Marker of content whose body is a composition (the behavior's marker)."""


class ISlot(Interface):
    """A named place in a layout that holds widgets in order."""

    name = schema.ASCIILine(title=_("Name"))
    title = schema.TextLine(title=_("Title"))
    allowed = schema.FrozenSet(
        title=_("Allowed widget types"),
        description=_("None allows every widget type."),
        required=False,
    )
    max = schema.Int(title=_("Most widgets"), required=False)


class ILayout(Interface):
    """A layout: ordered slots and a pair of templates (real and design).

    Registered by ``<compositepage:layout>`` as a named multi-adapter of
    (content, request), so a browser layer can override it.
    """

    name = schema.ASCIILine(title=_("Name"))
    title = schema.TextLine(title=_("Title"))
    description = schema.Text(title=_("Description"), required=False)
    icon = schema.TextLine(title=_("Icon"), required=False)
    slots = schema.Tuple(title=_("Slots"), value_type=schema.Object(schema=ISlot))

    def get_slot(name):
        """The slot called ``name``, or None."""

    def render_real(view):
        """Render the real template for the view (which renders the slots)."""

    def render_design(view):
        """Render the design template for the view."""


class IWidgetType(Interface):
    """A kind of widget, registered by ``<compositepage:widget>``."""

    name = schema.ASCIILine(title=_("Name"))
    title = schema.TextLine(title=_("Title"))
    description = schema.Text(title=_("Description"), required=False)
    icon = schema.TextLine(title=_("Icon"), required=False)
    colour = schema.ASCIILine(title=_("Colour in design mode"))
    permission = schema.ASCIILine(title=_("Permission needed to add it"))
    # Last, because it shadows the zope.schema module in this class body.
    schema = schema.Object(title=_("Settings schema"), schema=Interface)

    def renderer(context, request, placement, references):
        """The object whose call renders ``placement`` for visitors."""

    def stub(settings, references):
        """The ``DesignStub`` design mode draws, from the settings alone."""

    def clean(settings, context):
        """Valid settings as they are to be stored (rich text made safe)."""

    def derive(settings, context):
        """What to store beside valid settings: the text for site search."""

    def reference_uuids(settings):
        """UUIDs of content the settings refer to."""


class IWidgetRenderer(Interface):
    """The renderer of a widget type for a browser layer, registered by
    ``<compositepage:widget>`` as a named adapter of (content, request);
    ``renderer_class`` is a ``compositepage.widget.WidgetRenderer``."""


class ICompositionChangedEvent(Interface):
    """A composition was changed by an operation of ``compositepage.api``."""

    object = schema.Object(title=_("The content item"), schema=Interface)
    operation = schema.Dict(title=_("The operation, as plain data"))


class IOperationKind(Interface):
    """A kind of operation on compositions: a subclass of
    ``compositepage.operations.Operation``, registered as a named utility
    (the name is what clients send as ``"op"``)."""


class IWidgetSettings(IDexterityContent):
    """The settings of one widget as an object with its schema's fields
    (``compositepage.validation.WidgetSettings``).

    It is what plone.restapi's field deserializers and ``json_compatible``
    convert a widget's plain settings with; those are registered for
    Dexterity content, which a widget's settings stand in for.  Register an
    ``IFieldDeserializer`` for (your field, IWidgetSettings, request), or an
    ``IContextawareJsonCompatible`` for (your value, IWidgetSettings), where
    a widget's stored settings must differ from what a content item stores.
    """
