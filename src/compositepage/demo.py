"""Demo content of ``make start``: three composite pages, one per layout.

Also used by the tests, so what a new user sees first is tested.
"""

from compositepage import api as cp
from compositepage.storage import forget_history
from plone import api
from plone.namedfile.file import NamedBlobImage

import struct
import zlib


def _png(width, height, colour):
    """A PNG with a soft diagonal gradient, so the demo needs no image files."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(0, width, 16):
            shade = 0.55 + 0.45 * (x / width + y / height) / 2
            pixel = bytes(
                min(255, int(c * shade + 255 * (1 - shade) * 0.35)) for c in colour
            )
            row += pixel * min(16, width - x)
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _publish(obj):
    # Images have no workflow of their own: they are as public as their folder.
    state = api.content.get_state(obj, default=None)
    if state is not None and state != "published":
        api.content.transition(obj=obj, transition="publish")


def _image(container, id, title, colour):
    image = api.content.create(container=container, type="Image", id=id, title=title)
    image.image = NamedBlobImage(data=_png(640, 360, colour), filename=f"{id}.png")
    image.reindexObject()
    _publish(image)
    return image


def _news(container, id, title, description, colour):
    item = api.content.create(
        container=container,
        type="News Item",
        id=id,
        title=title,
        description=description,
    )
    item.image = NamedBlobImage(data=_png(320, 180, colour), filename=f"{id}.png")
    item.reindexObject()
    _publish(item)
    return item


TEXT = (
    "<p>Composite pages are built from <strong>widgets</strong> placed into the "
    "slots of a layout. Editors arrange them in design mode, which shows the "
    "page as a floor plan, and visitors see the finished page.</p>"
    "<ul><li>Drag widgets from the palette into a slot.</li>"
    "<li>Move them with the mouse, a finger or the keyboard.</li>"
    "<li>Undo anything.</li></ul>"
)


def create_demo_content(site):
    """Create the demo pages (once); returns them by layout name."""
    if "demo" in site.objectIds():
        folder = site["demo"]
        return {
            page.getId(): page
            for page in folder.objectValues()
            if page.portal_type == "Composite Page"
        }
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=site, type="Folder", id="demo", title="Composite page demo"
        )
        _publish(folder)
        picture = _image(folder, "harbour", "Harbour at dawn", (38, 109, 160))
        field = _image(folder, "field", "Green field", (76, 153, 76))
        news = [
            _news(folder, f"news-{n}", title, summary, colour)
            for n, (title, summary, colour) in enumerate(
                [
                    (
                        "Design mode is here",
                        "Arrange pages as a floor plan.",
                        (214, 51, 132),
                    ),
                    (
                        "Widgets for every need",
                        "Text, images, teasers, listings.",
                        (253, 126, 20),
                    ),
                    (
                        "Fast for visitors",
                        "Widgets render in one pass.",
                        (32, 201, 151),
                    ),
                ],
                start=1,
            )
        ]
        pages = {}

        def page(id, title, layout, description):
            obj = api.content.create(
                container=folder,
                type="Composite Page",
                id=id,
                title=title,
                description=description,
            )
            cp.set_layout(obj, layout)
            _publish(obj)
            pages[id] = obj
            return obj

        landing = page(
            "landing",
            "Welcome to composite pages",
            "landing",
            "A landing page: a hero, three features and a band.",
        )
        cp.add_widget(
            landing, "hero", "heading", {"text": "Pages made of widgets", "level": 2}
        )
        cp.add_widget(landing, "hero", "richtext", {"text": TEXT})
        for slot, item in zip(
            ("feature-1", "feature-2", "feature-3"), news, strict=True
        ):
            cp.add_widget(landing, slot, "teaser", {"target": item.UID()})
        cp.add_widget(
            landing,
            "band",
            "image",
            {"image": field.UID(), "alt": "A green field", "scale": "large"},
        )

        two = page(
            "two-columns",
            "A page with a sidebar",
            "two-columns",
            "Two columns: text and images in the main column, news in the sidebar.",
        )
        cp.add_widget(two, "main", "heading", {"text": "About this page", "level": 2})
        cp.add_widget(two, "main", "richtext", {"text": TEXT})
        cp.add_widget(
            two,
            "main",
            "image",
            {"image": picture.UID(), "alt": "A harbour at dawn", "scale": "large"},
        )
        cp.add_widget(two, "aside", "heading", {"text": "News", "level": 3})
        cp.add_widget(
            two,
            "aside",
            "listing",
            {
                "query": [
                    {
                        "i": "portal_type",
                        "o": "plone.app.querystring.operation.selection.any",
                        "v": ["News Item"],
                    }
                ],
                "sort_on": "effective",
                "sort_reversed": True,
                "limit": 5,
                "style": "list",
            },
        )

        one = page(
            "one-column",
            "A simple page",
            "one-column",
            "One column: widgets one below the other.",
        )
        cp.add_widget(one, "main", "heading", {"text": "One column", "level": 2})
        cp.add_widget(one, "main", "richtext", {"text": TEXT})
        cp.add_widget(one, "main", "teaser", {"target": landing.UID()})
        cp.add_widget(
            one,
            "main",
            "image",
            {"image": picture.UID(), "alt": "A harbour at dawn", "scale": "preview"},
        )
        # The demo starts with nothing to undo, its pages first in the folder.
        for obj in pages.values():
            forget_history(obj)
        folder.moveObjectsToTop(list(pages))
    return pages
