"""``@@design``: the floor-plan editor of a composite page.

The view draws the editor around the floor plan (``canvas.DesignCanvas``):
the palette, the design tools, the dialogs.  The editor's script writes
through the REST API like any client (``PATCH @composition?expand=design``)
and redraws the floor plan from every answer.
"""

from AccessControl.security import checkPermission
from compositepage import api
from compositepage.browser import add_editor_bundle
from compositepage.browser.canvas import DesignCanvas
from compositepage.browser.messages import messages_json
from compositepage.caching import never_cache
from compositepage.tales import SlotMarkup
from Products.Five.browser import BrowserView

import json


class DesignView(BrowserView):
    """``@@design``: the floor-plan editor of a composite page."""

    def __call__(self):
        add_editor_bundle(self.request)
        # The floor plan needs the width of the page; portlets stay in the
        # real view.
        self.request.set("disable_plone.leftcolumn", 1)
        self.request.set("disable_plone.rightcolumn", 1)
        # A design view restored from the browser's cache would show an old
        # floor plan, and its next change would be refused as stale.
        never_cache(self.request.response)
        self.canvas = DesignCanvas(self.context, self.request)
        return self.index()

    def initial_state(self):
        """The floor plan, as JSON the editor's script puts in the canvas.

        Carried in one ``<script type="application/json">`` rather than as
        markup: Plone's transforms (theming, CSRF protection) parse every
        element of a page again, and a floor plan of hundreds of blocks
        would be most of them.  The script renders it with the same code
        that shows the state after every change.  ``</`` and ``<!--`` are
        escaped, so nothing in it can end the script element.
        """
        text = json.dumps(self.canvas.state(), ensure_ascii=False)
        # Inside a script element only "</" (an end tag) and "<!--" matter;
        # JSON may write "/" and "<" as escapes.
        return SlotMarkup(text.replace("</", "<\\/").replace("<!--", "\\u003c!--"))

    def type_styles(self):
        return json.dumps(self.canvas.styles)

    def palette(self):
        """The widget types this user may add here, for the palette."""
        return [
            {
                "name": widget_type.name,
                "title": widget_type.title,
                "description": widget_type.description,
                "colour": widget_type.colour,
                "icon": self.canvas.icon(widget_type.icon),
            }
            for widget_type in api.get_widget_types(self.context)
        ]

    def layouts(self):
        if not checkPermission(api.MANAGE_LAYOUTS, self.context):
            return []
        current = self.canvas.layout.name if self.canvas.layout else None
        return [
            {
                "name": layout.name,
                "title": layout.title,
                "selected": layout.name == current,
            }
            for layout in api.get_layouts(self.context)
        ]

    def messages(self):
        """The editor's sentences, translated here so the script has no
        English."""
        return messages_json(self.request)
