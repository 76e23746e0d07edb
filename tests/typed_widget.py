"""A widget type of the test suite with fields the built-in ones lack: a
Decimal, a Datetime and a RelationChoice, converted by plone.restapi's
adapters with no code of compositepage's for them."""

from compositepage.interfaces import IWidgetSettings
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from decimal import Decimal
from plone.namedfile.field import NamedBlobImage
from plone.restapi.interfaces import IFieldDeserializer
from plone.supermodel import model
from types import SimpleNamespace
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface
from zope.publisher.interfaces.browser import IBrowserRequest


class ITypedSettings(model.Schema):
    amount = schema.Decimal(title="Amount", required=False, min=Decimal(0))
    when = schema.Datetime(title="When", required=False)
    target = RelationChoice(
        title="Target", vocabulary="plone.app.vocabularies.Catalog", required=False
    )


class IFileSettings(model.Schema):
    """Settings a widget type cannot have: a file uploaded into a setting."""

    picture = NamedBlobImage(title="Picture", required=False)


class IFilesSettings(model.Schema):
    """The same, in a list."""

    pictures = schema.List(
        title="Pictures", value_type=NamedBlobImage(), required=False
    )


class IPoint(Interface):
    """A field type of an integrator's, whose values are objects."""


@implementer(IPoint)
class Point(schema.Field):
    pass


class IPointSettings(model.Schema):
    where = Point(title="Where", required=False)


@implementer(IFieldDeserializer)
@adapter(IPoint, IWidgetSettings, IBrowserRequest)
class PointDeserializer:
    """Reads "x,y" into an object, which has no plain form to store."""

    def __init__(self, field, context, request):
        self.field = field

    def __call__(self, value):
        return SimpleNamespace(xy=value)


class TypedRenderer(WidgetRenderer):
    def render(self):
        return f"<p>{self.settings.get('amount')} {self.settings.get('when')}</p>"


def stub(settings, references):
    return DesignStub(kind="text", title=str(settings.get("amount") or ""), lines=1)


ZCML = """<configure
    xmlns="http://namespaces.zope.org/zope"
    xmlns:compositepage="http://namespaces.plone.org/compositepage">
  <include package="compositepage" file="meta.zcml" />
  <compositepage:widget
      name="typed" title="Typed"
      schema="typed_widget.ITypedSettings"
      class="typed_widget.TypedRenderer"
      design_stub="typed_widget.stub" />
</configure>"""

FILE_ZCML = ZCML.replace('"typed"', '"filed"').replace(
    "ITypedSettings", "IFileSettings"
)
FILES_ZCML = FILE_ZCML.replace("IFileSettings", "IFilesSettings")
POINT_ZCML = (
    ZCML.replace('"typed"', '"point"')
    .replace("ITypedSettings", "IPointSettings")
    .replace(
        "</configure>",
        '<include package="zope.component" file="meta.zcml" />'
        '<adapter factory="typed_widget.PointDeserializer" /></configure>',
    )
)
