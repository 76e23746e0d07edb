"""A widget type of the test suite with fields the built-in ones lack: a
Decimal, a Datetime and a RelationChoice, converted by plone.restapi's
adapters with no code of compositepage's for them."""

from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from decimal import Decimal
from plone.namedfile.field import NamedBlobImage
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema


class ITypedSettings(model.Schema):
    amount = schema.Decimal(title="Amount", required=False, min=Decimal(0))
    when = schema.Datetime(title="When", required=False)
    target = RelationChoice(
        title="Target", vocabulary="plone.app.vocabularies.Catalog", required=False
    )


class IFileSettings(model.Schema):
    """Settings a widget type cannot have: a file uploaded into a setting."""

    picture = NamedBlobImage(title="Picture", required=False)


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
