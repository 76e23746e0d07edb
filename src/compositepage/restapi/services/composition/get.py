"""GET <item>/@composition: the composition (``?export=1``: a portable document)."""

from AccessControl import Unauthorized
from AccessControl.security import checkPermission
from compositepage import api
from compositepage.restapi.serializer import serialize_composition
from plone.restapi.services import Service


class CompositionGet(Service):
    def reply(self):
        export = self.request.form.get("export") in ("1", "true", "yes")
        if export and not checkPermission(api.DESIGN_PAGE, self.context):
            # The export holds every widget, the hidden ones too.
            raise Unauthorized("Exporting needs the permission to design the page.")
        data = serialize_composition(self.context, self.request, export=export)
        if not export:
            self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return data
