"""Helpers shared by the tests: content with images and composite pages."""

from plone import api
from plone.namedfile.file import NamedBlobImage

import base64


PASSWORD = "secret-password-1"
ROLES = {
    "editor": ["Editor"],
    "contributor": ["Contributor"],
    "reviewer": ["Reviewer"],
    "member": ["Member"],
    "siteadmin": ["Site Administrator"],
    "manager": ["Manager"],
}


def basic_auth(username, password=PASSWORD):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# A 3 x 2 PNG, so the image widget has a real image with an aspect ratio.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAS"
    "FAEDdD1rcgAAAABJRU5ErkJggg=="
)


def make_image(container, id="picture", title="A picture"):
    with api.env.adopt_roles(["Manager"]):
        image = api.content.create(
            container=container, type="Image", id=id, title=title
        )
        image.image = NamedBlobImage(data=PNG, filename=f"{id}.png")
        image.reindexObject()
    return image


def make_page(container, id="page", title="A composite page", layout=None, **kw):
    with api.env.adopt_roles(["Manager"]):
        page = api.content.create(
            container=container, type="Composite Page", id=id, title=title, **kw
        )
        if layout:
            from compositepage import api as cp

            cp.set_layout(page, layout)
    return page


def publish(obj):
    with api.env.adopt_roles(["Manager"]):
        if api.content.get_state(obj, default=None) not in (None, "published"):
            api.content.transition(obj=obj, transition="publish")


def design_document(content):
    """The design view as the editor's script shows it: the floor plan from
    the JSON beside the canvas (``#cp-state``) put into the canvas."""
    from lxml import html as lxml_html

    import json

    document = lxml_html.fromstring(content)
    (island,) = document.cssselect("script#cp-state")
    state = json.loads(island.text)
    assert "</" not in island.text and "<!--" not in island.text, (
        "the floor plan's JSON must not end its script element"
    )
    canvas = document.get_element_by_id("cp-canvas")
    for child in list(canvas):
        canvas.remove(child)
    for part in lxml_html.fragments_fromstring(state["html"]):
        if isinstance(part, str):
            continue
        canvas.append(part)
    island.getparent().remove(island)
    return document


def json_values(most=5, leaves=15):
    """A hypothesis strategy of any JSON value, nested lists and objects of
    up to ``most`` items and ``leaves`` scalars in all (the fuzzers)."""
    from hypothesis import strategies as st

    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**30), max_value=10**30)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=40),
        lambda children: (
            st.lists(children, max_size=most)
            | st.dictionaries(st.text(max_size=10), children, max_size=most)
        ),
        max_leaves=leaves,
    )
