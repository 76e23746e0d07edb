"""The ``<compositepage:layout>`` and ``<compositepage:widget>`` directives.

Both check what they are given and raise ConfigurationError with a sentence a
person understands (zope.configuration adds the file and line), then delegate
to the standard ``adapter`` and ``utility`` handlers, which bring conflict
detection and clean-up for tests.
"""

from compositepage import tales
from compositepage.interfaces import ILayout
from compositepage.interfaces import IWidgetRenderer
from compositepage.interfaces import IWidgetType
from compositepage.layout import Layout
from compositepage.layout import Slot
from compositepage.layout import SLOT_NAME
from compositepage.widget import RendererRegistration
from compositepage.widget import WidgetRenderer
from compositepage.widget import WidgetType
from pathlib import Path as FilePath
from plone.namedfile.interfaces import INamedField
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope import schema
from zope.component.zcml import adapter
from zope.component.zcml import utility
from zope.configuration.exceptions import ConfigurationError
from zope.configuration.fields import GlobalInterface
from zope.configuration.fields import GlobalObject
from zope.configuration.fields import MessageID
from zope.configuration.fields import Path
from zope.configuration.fields import Tokens
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer
from zope.schema import getFieldsInOrder
from zope.security.zcml import Permission

import re


# Layout templates say ``slot:<name>``; register the expression type with the
# page template engines before any template is compiled.
tales.register()

NAME = SLOT_NAME  # layout and widget names follow the rule of slot names
SLOT_USE = re.compile(r"\bslot:\s*([^\s\"';]*)")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_SLOTS = 24
DEFAULT_PERMISSION = "compositepage.DesignPage"


def _check_name(kind, name):
    if not NAME.match(name):
        raise ConfigurationError(
            f"The {kind} name {name!r} is not allowed: use 1 to 40 lower-case "
            "letters, digits, '-' and '_', starting with a letter."
        )


def _check_file(attribute, path):
    if not FilePath(path).is_file():
        raise ConfigurationError(f"The {attribute} file {path} does not exist.")


def slots_used(path):
    """The slot names a template renders with ``slot:`` expressions."""
    return SLOT_USE.findall(FilePath(path).read_text(encoding="utf-8"))


class IRegistrationDirective(Interface):
    """What a layout and a widget type are registered with."""

    name = schema.TextLine(
        title="Name",
        description="Lower-case letters, digits, '-' and '_'; stored on pages.",
    )
    description = MessageID(title="Description", required=False)
    icon = schema.TextLine(
        title="Icon", description="A Plone icon name.", required=False
    )
    # Registered again for a more specific layer or content, a layout or a
    # widget's renderer overrides the one for less specific ones.
    for_ = GlobalObject(
        title="Content interface or class (default: any)", required=False
    )
    layer = GlobalInterface(
        title="Browser layer (default: every request)", required=False
    )


class ILayoutDirective(IRegistrationDirective):
    """Register a layout: a pair of templates and the slots they render."""

    title = MessageID(title="Title", description="Shown to editors.")
    template = Path(
        title="Real template",
        description="The page template visitors see; renders slots with slot:NAME.",
    )
    design_template = Path(
        title="Design template",
        description="The floor plan of the same page for design mode.",
    )


class ISlotSubdirective(Interface):
    """A slot of the layout, in page order."""

    name = schema.TextLine(title="Name")
    title = MessageID(title="Title", description="Shown to editors.")
    allowed = Tokens(
        title="Allowed widget types",
        description="Names separated by spaces; all types when left out.",
        value_type=schema.TextLine(),
        required=False,
    )
    max = schema.Int(title="Most widgets", required=False, min=1)


class LayoutDirective:
    """Handler of the complex ``<compositepage:layout>`` directive."""

    def __init__(
        self,
        _context,
        name,
        title,
        template,
        design_template,
        description="",
        for_=None,
        layer=None,
        icon=None,
    ):
        _check_name("layout", name)
        _check_file("template", template)
        _check_file("design_template", design_template)
        self._context = _context
        self.name = name
        self.title = title
        self.description = description
        self.template = template
        self.design_template = design_template
        self.for_ = for_ or Interface
        self.layer = layer or IDefaultBrowserLayer
        self.icon = icon
        self.slots = []

    def slot(self, _context, name, title, allowed=None, max=None):
        _check_name("slot", name)
        if any(slot.name == name for slot in self.slots):
            raise ConfigurationError(
                f"Layout {self.name!r} declares the slot {name!r} twice."
            )
        if len(self.slots) >= MAX_SLOTS:
            raise ConfigurationError(
                f"Layout {self.name!r} declares more than {MAX_SLOTS} slots."
            )
        self.slots.append(
            Slot(
                name=name,
                title=title,
                allowed=frozenset(allowed) if allowed else None,
                max=max,
            )
        )

    def __call__(self):
        if not self.slots:
            raise ConfigurationError(
                f"Layout {self.name!r} declares no slots: add "
                "<compositepage:slot name='...' title='...' /> inside it."
            )
        declared = [slot.name for slot in self.slots]
        for attribute, path in (
            ("template", self.template),
            ("design_template", self.design_template),
        ):
            used = slots_used(path)
            for name in used:
                if name not in declared:
                    raise ConfigurationError(
                        f"The {attribute} {path} of layout {self.name!r} uses "
                        f"slot:{name}, but the layout declares no slot {name!r} "
                        f"(it declares: {', '.join(declared)})."
                    )
            for name in declared:
                if name not in used:
                    raise ConfigurationError(
                        f"Layout {self.name!r} declares the slot {name!r}, but "
                        f"its {attribute} {path} does not render it: add "
                        f'<div tal:replace="slot:{name}" />.'
                    )
            duplicates = sorted({name for name in used if used.count(name) > 1})
            if duplicates:
                raise ConfigurationError(
                    f"The {attribute} {path} of layout {self.name!r} renders "
                    f"slot {duplicates[0]!r} more than once."
                )
        layout = Layout(
            name=self.name,
            title=self.title,
            slots=self.slots,
            template=self.template,
            design_template=self.design_template,
            description=self.description,
            icon=self.icon,
        )
        _register_for(self._context, ILayout, layout, self.name, self.for_, self.layer)


class IWidgetDirective(IRegistrationDirective):
    """Register a widget type; without ``title``, a renderer of an existing
    widget type for another browser layer (a theme's override)."""

    title = MessageID(
        title="Title",
        description="Shown in the palette. Leave it out to register only a "
        "renderer of the widget type called name, for layer.",
        required=False,
    )
    colour = schema.TextLine(title="Colour of its blocks, as #rrggbb", required=False)
    schema = GlobalInterface(title="Settings schema (zope.schema)", required=False)
    class_ = GlobalObject(title="Renderer class (a WidgetRenderer)", required=False)
    template = Path(title="Renderer template", required=False)
    design_stub = GlobalObject(
        title="Design stub",
        description="A function (settings, references) -> DesignStub.",
        required=False,
    )
    permission = Permission(
        title="Add permission (default: compositepage.DesignPage)", required=False
    )


def _renderer(name, class_, template):
    """The renderer class of a widget: ``class_``, with ``template``."""
    if class_ is not None and not (
        isinstance(class_, type) and issubclass(class_, WidgetRenderer)
    ):
        raise ConfigurationError(
            f"The class of widget {name!r} must subclass "
            "compositepage.widget.WidgetRenderer."
        )
    renderer = class_ or WidgetRenderer
    if template is not None:
        _check_file("template", template)
        renderer = type(
            f"{renderer.__name__}_{name.replace('-', '_')}",
            (renderer,),
            {"template": ViewPageTemplateFile(template)},
        )
    elif renderer.template is None and renderer.render is WidgetRenderer.render:
        raise ConfigurationError(
            f"Widget {name!r} needs a template, or a class with a template or "
            "its own render()."
        )
    return renderer


def widget(
    _context,
    name,
    title=None,
    schema=None,
    design_stub=None,
    description="",
    icon=None,
    colour=None,
    class_=None,
    template=None,
    permission=None,
    layer=None,
    for_=None,
):
    """Handler of ``<compositepage:widget>``."""
    _check_name("widget", name)
    if title is None:
        # A renderer for another layer of a type registered elsewhere.
        given = [
            attribute
            for attribute, value in (
                ("schema", schema),
                ("design_stub", design_stub),
                ("description", description),
                ("icon", icon),
                ("colour", colour),
                ("permission", permission),
            )
            if value
        ]
        if given:
            raise ConfigurationError(
                f"The widget {name!r} has no title, so it only overrides the "
                f"renderer of that widget type for a layer; {', '.join(given)} "
                "belong(s) to the widget type's own registration."
            )
        if layer is None and for_ is None:
            raise ConfigurationError(
                f"The widget {name!r} has no title: give the layer (or for) "
                "its renderer overrides the widget type's for, or register the "
                "whole widget type with a title, schema and design_stub."
            )
        _register_renderer(
            _context, name, _renderer(name, class_, template), layer, for_
        )
        return
    for attribute, value in (("schema", schema), ("design_stub", design_stub)):
        if value is None:
            raise ConfigurationError(f"The widget {name!r} needs a {attribute}.")
    if colour is not None and not COLOUR.match(colour):
        raise ConfigurationError(
            f"The colour {colour!r} of widget {name!r} is not a #rrggbb colour."
        )
    if not callable(design_stub):
        raise ConfigurationError(f"The design_stub of widget {name!r} is not callable.")
    for field_name, field in getFieldsInOrder(schema):
        if _holds_files(field):
            raise ConfigurationError(
                f"The setting {field_name!r} of widget {name!r} is a file or "
                "image field; settings are plain data stored with the page and "
                "cannot hold a file. Let editors choose an image of the site "
                "instead: a Choice with the vocabulary "
                "plone.app.vocabularies.Catalog, as the image widget does."
            )
    renderer = _renderer(name, class_, template)
    utility(
        _context,
        provides=IWidgetType,
        component=WidgetType(
            name=name,
            title=title,
            schema=schema,
            renderer=renderer,
            design_stub=design_stub,
            permission=permission or DEFAULT_PERMISSION,
            description=description,
            icon=icon,
            colour=colour or "#6c757d",
        ),
        name=name,
    )
    if layer is not None or for_ is not None:
        _register_renderer(_context, name, renderer, layer, for_)


def _holds_files(field):
    """Whether a field, or what a list or mapping field holds, is a file or
    image field (plone.namedfile)."""
    inner = (getattr(field, name, None) for name in ("value_type", "key_type"))
    return INamedField.providedBy(field) or any(
        _holds_files(each) for each in inner if each is not None
    )


def _register_renderer(_context, name, renderer, layer, for_):
    _register_for(
        _context, IWidgetRenderer, RendererRegistration(renderer), name, for_, layer
    )


def _register_for(_context, provides, component, name, for_, layer):
    """Register ``component`` as what ``provides`` ``name`` for content
    ``for_`` on browser ``layer`` (default: any content, every request), so a
    registration for a more specific layer or content overrides it."""
    adapter(
        _context,
        factory=[component],
        provides=provides,
        for_=[for_ or Interface, layer or IDefaultBrowserLayer],
        name=name,
    )
