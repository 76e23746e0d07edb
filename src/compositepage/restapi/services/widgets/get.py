"""GET <site>/@compositepage-widgets: the widget types this user may add, each
with the JSON schema of its settings (as plone.restapi describes fields)."""

from AccessControl.security import checkPermission
from compositepage import api
from plone.restapi.services import Service
from plone.restapi.types.interfaces import IJsonSchemaProvider
from plone.restapi.types.utils import get_fieldset_infos
from plone.restapi.types.utils import get_fieldsets
from plone.restapi.types.utils import iter_fields
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.schema.interfaces import ICollection


def _field_schema(field, context, request):
    provider = getMultiAdapter((field, context, request), IJsonSchemaProvider)
    try:
        return provider.get_schema()
    except NotImplementedError:
        # plone.restapi has no schema for fields of any value (the listing's
        # search terms, a list of {i, o, v} objects): describe them loosely.
        schema = {
            "title": translate(field.title, context=request),
            "description": translate(field.description or "", context=request),
        }
        if ICollection.providedBy(field):
            schema.update(type="array", items={"type": "object"})
        else:
            schema["type"] = "object"
        return schema


def settings_schema(widget_type, context, request):
    fieldsets = get_fieldsets(context, request, widget_type.schema)
    return {
        "type": "object",
        "title": translate(widget_type.title, context=request),
        "properties": {
            form_field.field.getName(): _field_schema(
                form_field.field, context, request
            )
            for form_field in iter_fields(fieldsets)
        },
        "required": [name for name, field in widget_type.fields if field.required],
        "fieldsets": get_fieldset_infos(fieldsets),
    }


class WidgetsGet(Service):
    """On the site: the types the user may add there; on a page: on that page."""

    def reply(self):
        request = self.request
        if not checkPermission(api.DESIGN_PAGE, self.context):
            types = []
        else:
            types = api.get_widget_types(self.context)
        return {
            "@id": f"{self.context.absolute_url()}/@compositepage-widgets",
            "items": [
                {
                    "name": widget_type.name,
                    "title": translate(widget_type.title, context=request),
                    "description": translate(
                        widget_type.description or "", context=request
                    ),
                    "icon": widget_type.icon,
                    "colour": widget_type.colour,
                    "schema": settings_schema(widget_type, self.context, request),
                }
                for widget_type in types
            ],
        }
