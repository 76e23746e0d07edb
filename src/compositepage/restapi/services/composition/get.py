"""GET <item>/@composition: the composition (``?export=1``: a portable document)."""

from compositepage.restapi.serializer import serialize_composition
from plone.restapi.services import Service


class CompositionGet(Service):
    def reply(self):
        export = self.request.form.get("export") in ("1", "true", "yes")
        data = serialize_composition(self.context, self.request, export=export)
        if not export:
            self.request.response.setHeader("ETag", f'"{data["version"]}"')
        return data
