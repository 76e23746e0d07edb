"""How a widget's settings differ from a content item's fields when plain.

plone.restapi's field deserializers and ``json_compatible`` convert a
widget's settings (see ``compositepage.validation``).  Where what a widget
stores must differ from what plone.restapi answers for content, these
adapters, registered for ``IWidgetSettings`` only, take over:

- rich text is stored as its (cleaned) HTML, and taken as given: not
  unescaped first, which would turn "&lt;b&gt;" typed as text into a tag;
- content is referred to by UUID, never by path or as a summary;
- a choice takes its value or its token (plone.restapi's would take a
  catalog vocabulary's token for the catalog record it stands for);
- a bare ``zope.schema.Field`` (a listing's criterion values) takes any
  plain value its field validates;
- the settings form reads a relation's target as it is held, where content
  holds a RelationValue.
"""

from compositepage.interfaces import IWidgetSettings
from plone.app.textfield.interfaces import IRichText
from plone.app.textfield.interfaces import IRichTextValue
from plone.app.textfield.value import RichTextValue
from plone.restapi.interfaces import IContextawareJsonCompatible
from plone.restapi.interfaces import IFieldDeserializer
from plone.restapi.serializer.converters import json_compatible
from plone.uuid.interfaces import IUUID
from plone.uuid.interfaces import IUUIDAware
from z3c.form.datamanager import AttributeField
from z3c.relationfield.interfaces import IRelation
from zope.component import adapter
from zope.component import queryMultiAdapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import IField
from zope.schema.interfaces import IFromUnicode
from zope.schema.interfaces import WrongType


@implementer(IFieldDeserializer)
@adapter(IField, IWidgetSettings, IBrowserRequest)
class FieldDeserializer:
    """Any field without a deserializer of its own: text through the
    field's own parsing when it has one, every value validated."""

    def __init__(self, field, context, request):
        self.field = field.bind(context)

    def __call__(self, value):
        value = self.convert(value)
        self.field.validate(value)
        return value

    def convert(self, value):
        """The value of the field that ``value`` stands for (validated
        after)."""
        if isinstance(value, str) and IFromUnicode.providedBy(self.field):
            return self.field.fromUnicode(value)
        return value


@implementer(IFieldDeserializer)
@adapter(IChoice, IWidgetSettings, IBrowserRequest)
class ChoiceDeserializer(FieldDeserializer):
    """A value of the vocabulary, or the token of one."""

    def convert(self, value):
        if isinstance(value, dict) and "token" in value:
            value = value["token"]
        vocabulary = self.field.vocabulary
        if (
            isinstance(value, str)
            and vocabulary is not None
            and value not in vocabulary
        ):
            try:
                value = vocabulary.getTermByToken(value).value
            except (LookupError, AttributeError):
                pass
        return value


@implementer(IFieldDeserializer)
@adapter(IRichText, IWidgetSettings, IBrowserRequest)
class RichTextDeserializer(FieldDeserializer):
    """HTML as text, or as plone.restapi's {"data": ...} object."""

    def convert(self, value):
        if isinstance(value, dict) and isinstance(value.get("data"), str):
            value = value["data"]
        if not isinstance(value, str):
            raise WrongType(value, str, self.field.__name__)
        return RichTextValue(value, "text/html", self.field.output_mime_type)


def plain(value, holder):
    """``value`` as stored in a widget's settings: through a context-aware
    converter for ``holder`` (``IWidgetSettings``) when there is one, else
    plone.restapi's ``json_compatible``.  (Its own ``json_compatible(value,
    context)`` answers None for such a value in plone.restapi 9, Plone 6.1.)
    """
    converter = queryMultiAdapter((value, holder), IContextawareJsonCompatible)
    return converter() if converter is not None else json_compatible(value)


@implementer(IContextawareJsonCompatible)
class Plain:
    """A value of a widget's settings as stored (base class)."""

    def __init__(self, value, context):
        self.value = value
        self.context = context


@adapter(IRichTextValue, IWidgetSettings)
class RichTextPlain(Plain):
    def __call__(self):
        return self.value.raw


@adapter(IUUIDAware, IWidgetSettings)
class ReferencePlain(Plain):
    """Content (a RelationChoice's value) by its UUID."""

    def __call__(self):
        return IUUID(self.value)


class ItemsPlain(Plain):
    """A collection item by item, so its references become UUIDs too."""

    def __call__(self):
        items = [plain(item, self.context) for item in self.value]
        if isinstance(self.value, (set, frozenset)):
            return sorted(items, key=repr)
        return items


@adapter(IWidgetSettings, IRelation)
class RelationSettings(AttributeField):
    """A relation's target for the settings form: widget settings hold the
    content itself (plone.app.relationfield's data manager expects a
    RelationValue, as content holds)."""
