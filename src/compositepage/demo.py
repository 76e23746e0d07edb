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


def _content(container, type, id, title, description="", picture=None):
    """Published content; ``picture`` is the (width, height, colour) of its
    image field's image."""
    obj = api.content.create(
        container=container,
        type=type,
        id=id,
        title=title,
        description=description,
    )
    if picture is not None:
        obj.image = NamedBlobImage(data=_png(*picture), filename=f"{id}.png")
        obj.reindexObject()
    _publish(obj)
    return obj


TEXT = (
    "<p>Composite pages are built from <strong>widgets</strong> placed into the "
    "slots of a layout. Editors arrange them in design mode, which shows the "
    "page as a floor plan, and visitors see the finished page.</p>"
    "<ul><li>Drag widgets from the palette into a slot.</li>"
    "<li>Move them with the mouse, a finger or the keyboard.</li>"
    "<li>Undo anything.</li></ul>"
)


# The demo pages, one per layout, each called after its layout.
PAGES = (
    (
        "landing",
        "Welcome to composite pages",
        "A landing page: a hero, three features and a band.",
    ),
    (
        "two-columns",
        "A page with a sidebar",
        "Two columns: text and images in the main column, news in the sidebar.",
    ),
    (
        "one-column",
        "A simple page",
        "One column: widgets one below the other.",
    ),
)


def _widgets(pages, picture, field, news):
    """What each demo page holds: (slot, widget type, settings) in page order."""
    harbour = {"image": picture.UID(), "alt": "A harbour at dawn"}
    news_listing = {
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
    }
    return {
        "landing": [
            ("hero", "heading", {"text": "Pages made of widgets", "level": 2}),
            ("hero", "richtext", {"text": TEXT}),
            *(
                (f"feature-{n}", "teaser", {"target": item.UID()})
                for n, item in enumerate(news, start=1)
            ),
            (
                "band",
                "image",
                {"image": field.UID(), "alt": "A green field", "scale": "large"},
            ),
        ],
        "two-columns": [
            ("main", "heading", {"text": "About this page", "level": 2}),
            ("main", "richtext", {"text": TEXT}),
            ("main", "image", {**harbour, "scale": "large"}),
            ("aside", "heading", {"text": "News", "level": 3}),
            ("aside", "listing", news_listing),
        ],
        "one-column": [
            ("main", "heading", {"text": "One column", "level": 2}),
            ("main", "richtext", {"text": TEXT}),
            ("main", "teaser", {"target": pages["landing"].UID()}),
            ("main", "image", {**harbour, "scale": "preview"}),
        ],
    }


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
        folder = _content(site, "Folder", "demo", "Composite page demo")
        picture = _content(
            folder,
            "Image",
            "harbour",
            "Harbour at dawn",
            picture=(640, 360, (38, 109, 160)),
        )
        field = _content(
            folder, "Image", "field", "Green field", picture=(640, 360, (76, 153, 76))
        )
        news = [
            _content(
                folder,
                "News Item",
                f"news-{n}",
                title,
                summary,
                picture=(320, 180, colour),
            )
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
        for layout, title, description in PAGES:
            pages[layout] = _content(
                folder, "Composite Page", layout, title, description
            )
            cp.set_layout(pages[layout], layout)
        for layout, widgets in _widgets(pages, picture, field, news).items():
            for slot, widget_type, settings in widgets:
                cp.add_widget(pages[layout], slot, widget_type, settings)
        # The demo starts with nothing to undo, its pages first in the folder.
        for obj in pages.values():
            forget_history(obj)
        folder.moveObjectsToTop(list(pages))
    return pages
