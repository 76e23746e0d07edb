"""Create the benchmark site and its pages (run by ``zconsole run``).

One Classic site with compositepage and plone.app.mosaic installed, holding
for every N the same N paragraphs as a plain Document, as a composite page
(two-columns, N rich text widgets) and as a Mosaic page (N rich text tiles),
plus composite pages with a realistic mix of widgets and pages for the editor
operations.  Writes what it measured of the storage to the JSON file named by
BENCH_SETUP_JSON.  Idempotent: an existing site is reused.
"""

from AccessControl.SecurityManagement import newSecurityManager
from compositepage import api as cp
from compositepage.storage import forget_history
from compositepage.storage import query_composition
from plone import api
from plone.app.textfield.value import RichTextValue
from Products.CMFPlone.factory import addPloneSite
from zope.component import getMultiAdapter
from zope.component.hooks import setSite
from zope.globalrequest import getRequest

import json
import os
import transaction
import uuid


SITE = "Plone"


def numbers(name, default):
    return [int(n) for n in os.environ.get(name, default).split(",") if n]


NS = numbers("BENCH_NS", "1,10,50,200,1000")
MOSAIC_NS = numbers("BENCH_MOSAIC_NS", "1,10,50,200")
MIXED_NS = numbers("BENCH_MIXED_NS", "10,50")
OPERATION_NS = numbers("BENCH_OPERATION_NS", "5,50,500")
MOSAIC = os.environ.get("BENCH_MOSAIC", "1") == "1"
LOREM = (
    "Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Sed posuere "
    "interdum sem. Quisque ligula eros ullamcorper quis, lacinia quis facilisis "
    "sed sapien. Mauris varius diam vitae arcu. Sed arcu lectus auctor vitae."
)


def paragraph(i):
    """About 300 bytes of rich text; the marker lets the client count them."""
    return f"<h3>Part {i}</h3><p>BENCHMARK-{i}- {LOREM}</p>"


def publish(obj):
    state = api.content.get_state(obj, default=None)
    if state is not None and state != "published":
        api.content.transition(obj=obj, transition="publish")


def site_for(app):
    if SITE in app.objectIds():
        return app[SITE]
    extensions = [
        "plone.app.contenttypes:default",
        "plonetheme.barceloneta:default",
        "compositepage:default",
    ]
    if MOSAIC:
        extensions.append("plone.app.mosaic:default")
    site = addPloneSite(app, SITE, title="Benchmark", extension_ids=extensions)
    transaction.commit()
    return site


def plain(site, n):
    html = "".join(paragraph(i) for i in range(1, n + 1))
    doc = api.content.create(
        container=site,
        type="Document",
        id=f"plain-{n}",
        title=f"Plain document, {n} paragraphs",
        text=RichTextValue(html, "text/html", "text/x-html-safe"),
    )
    publish(doc)


def composite(site, n):
    page = api.content.create(
        container=site,
        type="Composite Page",
        id=f"composite-{n}",
        title=f"Composite, {n}",
    )
    cp.set_layout(page, "two-columns")
    for i in range(1, n + 1):
        cp.add_widget(page, "main", "richtext", {"text": paragraph(i)})
    forget_history(page)
    publish(page)


def mosaic(site, n):
    """A layout_view Document with n rich text tiles, their data written
    through ITileDataManager as Mosaic's tile form does."""
    from plone.tiles.interfaces import ITileDataManager

    page = api.content.create(
        container=site, type="Document", id=f"mosaic-{n}", title=f"Mosaic, {n}"
    )
    request = getRequest()
    ids = [uuid.uuid4().hex for _ in range(n)]
    rows = "".join(
        '<div class="mosaic-grid-row"><div class="mosaic-grid-cell col">'
        '<div class="movable removable mosaic-tile mosaic-plone.app.standardtiles.html-tile">'
        '<div class="mosaic-tile-content">'
        f'<div data-tile="./@@plone.app.standardtiles.html/{tile_id}"></div>'
        "</div></div></div></div>"
        for tile_id in ids
    )
    page.customContentLayout = (
        '<!DOCTYPE html><html lang="en" data-layout="./@@page-site-layout"><body>'
        f'<div data-panel="content">{rows}</div></body></html>'
    )
    page.setLayout("layout_view")
    for i, tile_id in enumerate(ids, 1):
        tile = getMultiAdapter((page, request), name="plone.app.standardtiles.html")
        ITileDataManager(tile[tile_id]).set({"content": paragraph(i)})
    page.reindexObject()
    publish(page)


def mixed(site, n, image, targets):
    """heading, rich text, image, teaser and a listing of 10, in turn."""
    page = api.content.create(
        container=site, type="Composite Page", id=f"mixed-{n}", title=f"Mixed, {n}"
    )
    cp.set_layout(page, "two-columns")
    listing = {
        "query": [
            {
                "i": "portal_type",
                "o": "plone.app.querystring.operation.selection.any",
                "v": ["News Item"],
            }
        ],
        "limit": 10,
        "style": "list",
    }
    kinds = [
        ("heading", lambda i: {"text": f"Section {i}"}),
        ("richtext", lambda i: {"text": paragraph(i)}),
        (
            "image",
            lambda i: {"image": image.UID(), "alt": f"Picture {i}", "scale": "preview"},
        ),
        ("teaser", lambda i: {"target": targets[i % len(targets)].UID()}),
        ("listing", lambda i: listing),
    ]
    for i in range(n):
        kind, settings = kinds[i % len(kinds)]
        cp.add_widget(page, "main" if i % 4 else "aside", kind, settings(i))
    forget_history(page)
    publish(page)


# The nested page: columns widgets of three columns, a rich text in each.
NESTED_ROWS = 10


def nested(site):
    """``nested-30``: 10 columns widgets with 3 rich texts each, beside
    ``flat-30``, the same 30 rich texts in one slot."""
    pages = {}
    for name in ("nested-30", "flat-30"):
        pages[name] = api.content.create(
            container=site, type="Composite Page", id=name, title=name
        )
        cp.set_layout(pages[name], "two-columns")
    for row in range(NESTED_ROWS):
        columns = cp.add_widget(
            pages["nested-30"], "main", "columns", {"layout": "33-33-33"}
        )
        for column in range(1, 4):
            i = row * 3 + column
            cp.add_widget(
                pages["nested-30"],
                f"{columns}/col-{column}",
                "richtext",
                {"text": paragraph(i)},
            )
            cp.add_widget(pages["flat-30"], "main", "richtext", {"text": paragraph(i)})
    for page in pages.values():
        forget_history(page)
        publish(page)


def operations(site, n):
    page = api.content.create(
        container=site, type="Composite Page", id=f"move-{n}", title=f"Moves, {n}"
    )
    cp.set_layout(page, "two-columns")
    for i in range(n):
        cp.add_widget(page, "main", "heading", {"text": f"Heading {i}"})
    forget_history(page)
    publish(page)


def composition_bytes(page):
    """Bytes the whole composition of ``page`` takes in the database."""
    composition = query_composition(page)
    storage = page._p_jar.db().storage
    seen = set()
    todo = [composition]
    total = 0
    while todo:
        obj = todo.pop()
        oid = getattr(obj, "_p_oid", None)
        # No oid: a bucket stored inside its tree's record, counted there.
        if oid is None or oid in seen:
            continue
        seen.add(oid)
        data, _ = storage.load(oid)
        total += len(data)
        if hasattr(obj, "placements"):
            todo.append(obj.placements)
            todo.append(obj.undo_head)
            todo.append(obj.redo_head)
            todo.extend(obj.placements.values())
            bucket = obj.placements._firstbucket
            while bucket is not None:
                todo.append(bucket)
                bucket = bucket._next
        elif hasattr(obj, "previous"):
            todo.append(obj.previous)
    return total


def targets_and_image(site):
    """The image and the news items the mixed pages show."""
    from compositepage.demo import _png
    from plone.namedfile.file import NamedBlobImage

    image = api.content.create(
        container=site, type="Image", id="bench-image", title="Bench"
    )
    image.image = NamedBlobImage(data=_png(640, 360, (38, 109, 160)), filename="b.png")
    image.reindexObject()
    for i in range(12):
        news = api.content.create(
            container=site, type="News Item", id=f"news-{i}", title=f"News {i}"
        )
        publish(news)


def main(app):
    admin = app.acl_users.getUserById("admin")
    newSecurityManager(None, admin.__of__(app.acl_users))
    site = site_for(app)
    setSite(site)
    with api.env.adopt_roles(["Manager"]):
        if "editor" not in [u.getId() for u in api.user.get_users()]:
            api.user.create(
                email="editor@example.org",
                username="editor",
                password="bench-editor",
                roles=["Editor"],
            )
        if "bench-image" not in site:
            targets_and_image(site)
            transaction.commit()
        image = site["bench-image"]
        targets = [site[f"news-{i}"] for i in range(12)]
        for n in NS:
            if f"plain-{n}" not in site:
                plain(site, n)
            if f"composite-{n}" not in site:
                composite(site, n)
            transaction.commit()
        if MOSAIC:
            for n in MOSAIC_NS:
                if f"mosaic-{n}" not in site:
                    mosaic(site, n)
                    transaction.commit()
        for n in MIXED_NS:
            if f"mixed-{n}" not in site:
                mixed(site, n, image, targets)
                transaction.commit()
        for n in OPERATION_NS:
            if f"move-{n}" not in site:
                operations(site, n)
                transaction.commit()
        if "nested-30" not in site:
            nested(site)
            transaction.commit()
        sizes = {n: composition_bytes(site[f"move-{n}"]) for n in OPERATION_NS}
    with open(os.environ["BENCH_SETUP_JSON"], "w") as out:
        json.dump({"composition_bytes": sizes}, out)
    print("benchmark content ready")


if __name__ == "__main__":
    app = globals()["app"]
    try:
        main(app)
    finally:
        app._p_jar.db().close()
