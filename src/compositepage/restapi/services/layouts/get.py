"""GET <site>/@compositepage-layouts: the layouts editors may use, with slots."""

from AccessControl.security import checkPermission
from compositepage import api
from plone.restapi.services import Service
from zope.i18n import translate


class LayoutsGet(Service):
    """The enabled layouts for the context (the site or a page)."""

    def reply(self):
        request = self.request
        may_switch = checkPermission(api.MANAGE_LAYOUTS, self.context)
        return {
            "@id": f"{self.context.absolute_url()}/@compositepage-layouts",
            "can_switch": may_switch,
            "default": api.get_layout(self.context).name
            if api.get_layout(self.context)
            else None,
            "items": [
                {
                    "name": layout.name,
                    "title": translate(layout.title, context=request),
                    "description": translate(layout.description or "", context=request),
                    "icon": layout.icon,
                    "slots": [
                        {
                            "name": slot.name,
                            "title": translate(slot.title, context=request),
                            "allowed": sorted(slot.allowed) if slot.allowed else None,
                            "max": slot.max,
                        }
                        for slot in layout.slots
                    ],
                }
                for layout in api.get_layouts(self.context)
            ],
        }
