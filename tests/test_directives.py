"""The <compositepage:layout> and <compositepage:widget> directives."""

from zope.configuration.config import ConfigurationConflictError
from zope.configuration.exceptions import ConfigurationError

import pytest


HEADER = """<configure
    xmlns="http://namespaces.zope.org/zope"
    xmlns:compositepage="http://namespaces.plone.org/compositepage"
    i18n_domain="compositepage">
  <include package="zope.component" file="meta.zcml" />
  <include package="zope.security" file="meta.zcml" />
  <include package="compositepage" file="meta.zcml" />
  <permission id="test.Add" title="test: Add" />
"""

REAL = """<div class="real">
  <div tal:replace="slot:main" />
  <aside tal:content="slot:aside" />
</div>"""
DESIGN = """<div class="design">
  <div tal:replace="slot:main" /><div tal:replace="slot:aside" />
</div>"""

LAYOUT = """
  <compositepage:layout
      name="{name}" title="Test layout"
      template="{real}" design_template="{design}" {extra}>
    <compositepage:slot name="main" title="Main" />
    <compositepage:slot name="aside" title="Aside" allowed="heading" max="2" />
  </compositepage:layout>
"""


@pytest.fixture
def registry():
    """A global component registry of its own, stacked on the current one."""
    from plone.testing import zca
    from zope.component.hooks import getSite
    from zope.component.hooks import setSite

    site = getSite()
    setSite(None)
    zca.pushGlobalRegistry()
    yield
    zca.popGlobalRegistry()
    setSite(site)


@pytest.fixture
def templates(tmp_path):
    real = tmp_path / "real.pt"
    design = tmp_path / "design.pt"
    real.write_text(REAL)
    design.write_text(DESIGN)
    return {"real": str(real), "design": str(design)}


def load(tmp_path, body):
    from zope.configuration import xmlconfig

    path = tmp_path / "configure.zcml"
    path.write_text(HEADER + body + "</configure>\n")
    xmlconfig.file(str(path))
    return path


def layout(templates, name="test-layout", extra="", **kw):
    return LAYOUT.format(name=name, extra=extra, **{**templates, **kw})


class TestLayoutDirective:
    def test_registers_a_layout(self, registry, tmp_path, templates):
        from compositepage import lookup

        load(tmp_path, layout(templates))
        found = lookup.query_layout("test-layout", object())
        assert found.title == "Test layout"
        assert [(s.name, s.title, s.allowed, s.max) for s in found.slots] == [
            ("main", "Main", None, None),
            ("aside", "Aside", frozenset({"heading"}), 2),
        ]
        assert found.get_slot("aside").accepts("heading")
        assert not found.get_slot("aside").accepts("teaser")

    def test_built_ins_register(self, portal):
        from compositepage import lookup

        assert {"one-column", "two-columns", "landing"} <= set(
            lookup.layouts_for(portal)
        )
        assert set(lookup.widget_types()) >= {
            "heading",
            "richtext",
            "image",
            "teaser",
            "listing",
            "embed",
        }

    def expect_error(self, tmp_path, body, *fragments):
        with pytest.raises(ConfigurationError) as info:
            load(tmp_path, body)
        message = str(info.value)
        # zope.configuration names the file and the line of the directive.
        assert str(tmp_path / "configure.zcml") in message
        assert "line" in message
        for fragment in fragments:
            assert fragment in message, message
        return message

    def test_missing_template_file(self, registry, tmp_path, templates):
        missing = str(tmp_path / "nowhere.pt")
        self.expect_error(
            tmp_path,
            layout(templates, real=missing),
            f"The template file {missing} does not exist",
        )

    def test_missing_design_template_file(self, registry, tmp_path, templates):
        missing = str(tmp_path / "nowhere.pt")
        self.expect_error(
            tmp_path, layout(templates, design=missing), "design_template file"
        )

    def test_slot_declared_but_not_rendered(self, registry, tmp_path, templates):
        (tmp_path / "design.pt").write_text('<div tal:replace="slot:main" />')
        self.expect_error(
            tmp_path,
            layout(templates),
            "declares the slot 'aside', but its design_template",
        )

    def test_slot_rendered_but_not_declared(self, registry, tmp_path, templates):
        (tmp_path / "real.pt").write_text(REAL + '<div tal:replace="slot:footer" />')
        self.expect_error(
            tmp_path,
            layout(templates),
            "uses slot:footer, but the layout declares no slot",
        )

    def test_slot_declared_twice(self, registry, tmp_path, templates):
        body = layout(templates).replace(
            '<compositepage:slot name="main" title="Main" />',
            '<compositepage:slot name="main" title="Main" />'
            '<compositepage:slot name="main" title="Again" />',
        )
        self.expect_error(tmp_path, body, "declares the slot 'main' twice")

    def test_slot_rendered_twice(self, registry, tmp_path, templates):
        (tmp_path / "real.pt").write_text(REAL + '<div tal:replace="slot:main" />')
        self.expect_error(
            tmp_path, layout(templates), "renders slot 'main' more than once"
        )

    @pytest.mark.parametrize("name", ["Bad Name", "../x", "x" * 41, "1st"])
    def test_bad_names(self, registry, tmp_path, templates, name):
        self.expect_error(tmp_path, layout(templates, name=name), "is not allowed")

    def test_no_slots(self, registry, tmp_path, templates):
        body = (
            f'<compositepage:layout name="empty" title="E" template="{templates["real"]}" '
            f'design_template="{templates["design"]}" />'
        )
        self.expect_error(tmp_path, body, "declares no slots")

    def test_same_name_twice_for_one_layer_conflicts(
        self, registry, tmp_path, templates
    ):
        with pytest.raises(ConfigurationConflictError):
            load(tmp_path, layout(templates) + layout(templates))

    def test_layer_override(self, registry, tmp_path, templates):
        from compositepage import lookup
        from zope.interface import alsoProvides
        from zope.publisher.browser import TestRequest

        themed = tmp_path / "themed.pt"
        themed.write_text(REAL.replace('class="real"', 'class="themed"'))
        body = layout(templates) + layout(
            templates,
            real=str(themed),
            extra='layer="theme_layer.IThemeLayer"',
        )
        load(tmp_path, body)
        from theme_layer import IThemeLayer

        plain = TestRequest()
        themed_request = TestRequest()
        alsoProvides(themed_request, IThemeLayer)
        context = object()
        assert lookup.query_layout("test-layout", context, plain).template.endswith(
            "real.pt"
        )
        assert lookup.query_layout(
            "test-layout", context, themed_request
        ).template.endswith("themed.pt")


WIDGET = """
  <compositepage:widget
      name="{name}" title="Test widget"
      schema="compositepage.widgets.heading.IHeadingSettings"
      design_stub="compositepage.widgets.heading.stub"
      {extra} />
"""


class TestWidgetDirective:
    def test_registers_a_widget_type(self, registry, tmp_path):
        from compositepage import lookup

        load(
            tmp_path,
            WIDGET.format(
                name="test-widget",
                extra='class="compositepage.widgets.heading.HeadingRenderer" '
                'template="' + str(_widget_template(tmp_path)) + '" colour="#123456" '
                'permission="test.Add"',
            ),
        )
        widget_type = lookup.query_widget_type("test-widget")
        assert widget_type.colour == "#123456"
        assert widget_type.permission == "test.Add"
        assert [name for name, _ in widget_type.fields] == ["text", "level"]
        stub = widget_type.stub({"text": "Hi", "level": 3}, {})
        assert (stub.kind, stub.title, stub.level) == ("heading", "Hi", 3)
        from compositepage.storage import Placement
        from zope.publisher.browser import TestRequest

        placement = Placement(
            "p1", "test-widget", "main", "a", {"text": "Hi <you>"}, {}
        )
        html = widget_type.renderer(None, TestRequest(), placement, {})()
        assert html.strip() == '<p class="custom">Hi &lt;you&gt;</p>'

    def expect_error(self, tmp_path, extra, fragment, name="test-widget"):
        with pytest.raises(ConfigurationError) as info:
            load(tmp_path, WIDGET.format(name=name, extra=extra))
        assert fragment in str(info.value)
        assert str(tmp_path / "configure.zcml") in str(info.value)

    def test_needs_a_template(self, registry, tmp_path):
        self.expect_error(tmp_path, "", "needs a template")

    def test_class_must_be_a_renderer(self, registry, tmp_path):
        self.expect_error(
            tmp_path,
            'class="compositepage.layout.Layout" template="'
            + str(_widget_template(tmp_path))
            + '"',
            "must subclass compositepage.widget.WidgetRenderer",
        )

    def test_missing_template_file(self, registry, tmp_path):
        self.expect_error(tmp_path, 'template="/nowhere/x.pt"', "does not exist")

    def test_bad_colour(self, registry, tmp_path):
        self.expect_error(
            tmp_path,
            'template="' + str(_widget_template(tmp_path)) + '" colour="red"',
            "is not a #rrggbb colour",
        )

    def test_same_name_twice_conflicts(self, registry, tmp_path):
        extra = 'template="' + str(_widget_template(tmp_path)) + '"'
        with pytest.raises(ConfigurationConflictError):
            load(
                tmp_path,
                WIDGET.format(name="twice", extra=extra)
                + WIDGET.format(name="twice", extra=extra),
            )


def _widget_template(folder):
    """A renderer template of the test's own (a ``template`` given in ZCML
    takes over from a renderer class that builds its markup in Python)."""
    path = folder / "custom.pt"
    path.write_text('<p class="custom" tal:content="view/text"></p>\n')
    return path


class TestWidgetRendererPerLayer:
    """A theme replaces a widget type's renderer for its browser layer, as
    plone.tiles' tiles and our layouts allow: a second directive with the
    type's name, its layer, and no title."""

    def override(self, tmp_path, attribute):
        """Register test-widget and, with ``attribute`` (layer or for), an
        override of its renderer; the type and a placement of it."""
        from compositepage import lookup
        from compositepage.storage import Placement

        other = tmp_path / "other.pt"
        other.write_text('<p class="other" tal:content="view/text"></p>\n')
        load(
            tmp_path,
            WIDGET.format(
                name="test-widget",
                extra='class="compositepage.widgets.heading.HeadingRenderer" '
                'template="' + str(_widget_template(tmp_path)) + '"',
            )
            + f'<compositepage:widget name="test-widget" {attribute} '
            'class="compositepage.widgets.heading.HeadingRenderer" '
            f'template="{other}" />',
        )
        placement = Placement("p1", "test-widget", "main", "a", {"text": "Hi"}, {})
        return lookup.query_widget_type("test-widget"), placement

    def test_layer_override(self, registry, tmp_path):
        from theme_layer import IThemeLayer
        from zope.interface import alsoProvides
        from zope.publisher.browser import TestRequest

        widget_type, placement = self.override(
            tmp_path, 'layer="theme_layer.IThemeLayer"'
        )
        plain, themed_request = TestRequest(), TestRequest()
        alsoProvides(themed_request, IThemeLayer)
        html = widget_type.renderer(None, plain, placement, {})()
        assert html.strip() == '<p class="custom">Hi</p>'
        html = widget_type.renderer(None, themed_request, placement, {})()
        assert html.strip() == '<p class="other">Hi</p>'
        # The type itself (schema, stub, title) stays one.
        assert widget_type.title == "Test widget"

    def test_content_override(self, registry, tmp_path):
        # ``for``: the renderer for one kind of content replaces the type's
        # own there only (a dict stands in for content of an interface).
        from zope.publisher.browser import TestRequest

        widget_type, placement = self.override(
            tmp_path, 'for="zope.interface.common.builtins.IDict"'
        )
        html = widget_type.renderer(None, TestRequest(), placement, {})()
        assert html.strip() == '<p class="custom">Hi</p>'
        html = widget_type.renderer({}, TestRequest(), placement, {})()
        assert html.strip() == '<p class="other">Hi</p>'

    def test_override_needs_a_layer(self, registry, tmp_path):
        with pytest.raises(ConfigurationError) as info:
            load(
                tmp_path,
                '<compositepage:widget name="test-widget" '
                f'template="{_widget_template(tmp_path)}" />',
            )
        assert "give the layer" in str(info.value)

    def test_override_names_no_settings_of_the_type(self, registry, tmp_path):
        with pytest.raises(ConfigurationError) as info:
            load(
                tmp_path,
                '<compositepage:widget name="test-widget" '
                'layer="theme_layer.IThemeLayer" colour="#123456" '
                'schema="compositepage.widgets.heading.IHeadingSettings" '
                f'template="{_widget_template(tmp_path)}" />',
            )
        assert "schema, colour belong(s) to the widget type's own" in str(info.value)

    def test_two_overrides_for_one_layer_conflict(self, registry, tmp_path):
        override = (
            '<compositepage:widget name="test-widget" '
            'layer="theme_layer.IThemeLayer" '
            f'template="{_widget_template(tmp_path)}" />'
        )
        with pytest.raises(ConfigurationConflictError):
            load(tmp_path, override + override)
