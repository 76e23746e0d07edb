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
