"""GET <item>/@composition: the composition (``?export=1``: a portable document;
``?expand=design``: with design mode's floor plan, for those who may design)."""

from compositepage import _
from compositepage import api
from compositepage.operations import checks
from compositepage.restapi.serializer import serialize_composition
from plone.restapi.services import Service


class CompositionGet(Service):
    def reply(self):
        export = self.request.form.get("export") in ("1", "true", "yes")
        if export:
            # The export holds every widget, the hidden ones too.
            checks.require(
                api.DESIGN_PAGE,
                self.context,
                _(
                    "error_export_needs_design",
                    default="Exporting needs the permission to design the page.",
                ),
            )
        data = serialize_composition(self.context, self.request, export=export)
        if not export:
            self.request.response.setHeader("ETag", f'"{data["version"]}"')
        expand = (self.request.form.get("expand") or "").split(",")
        if "design" in expand and not export:
            checks.require(
                api.DESIGN_PAGE,
                self.context,
                _(
                    "error_floor_plan_needs_design",
                    default="The floor plan needs the permission to design.",
                ),
            )
            from compositepage.browser.canvas import DesignCanvas
            from compositepage.caching import never_cache

            state = DesignCanvas(self.context, self.request).state()
            data["@components"] = {"design": state}
            # Design mode reads it after every change: never from a cache
            # (REST responses do not pass plone.transformchain).
            never_cache(self.request.response)
        return data
