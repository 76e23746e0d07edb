"""What visitors and editors see of composite pages, over real HTTP."""

from compositepage import api as cp
from plone import api

import json
import lxml.html
import pytest
import re
import transaction


WIDGETS = {
    # widget type: (settings maker, text the real view must contain)
    "heading": (
        lambda refs: {"text": "Heading-marker <b>", "level": 3},
        '<h3 class="compositepage-heading">Heading-marker &lt;b&gt;</h3>',
    ),
    "richtext": (
        lambda refs: {"text": "<p>Rich-marker <script>alert(1)</script></p>"},
        '<div class="compositepage-richtext"><p>Rich-marker',
    ),
    "image": (
        lambda refs: {"image": refs["image"], "alt": "Alt-marker", "scale": "thumb"},
        'alt="Alt-marker"',
    ),
    "teaser": (lambda refs: {"target": refs["news"]}, "News-marker"),
    "listing": (
        lambda refs: {
            "query": [
                {
                    "i": "portal_type",
                    "o": "plone.app.querystring.operation.selection.any",
                    "v": ["News Item"],
                }
            ],
            "limit": 5,
            "style": "cards",
        },
        "News-marker",
    ),
    "embed": (
        lambda refs: {
            "url": "https://player.vimeo.com/video/76979871",
            "title": "Embed-marker",
            "aspect": "4:3",
        },
        'src="https://player.vimeo.com/video/76979871"',
    ),
}


def first_slot_with_room(page, layout, widget_type):
    slots = cp.get_composition(page)["slots"]
    return next(
        slot.name
        for slot in layout.slots
        if slot.accepts(widget_type)
        and (slot.max is None or len(slots[slot.name]) < slot.max)
    )


@pytest.fixture
def references(site):
    from helpers import make_image
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        image = make_image(site.portal)
        publish(image)
        news = api.content.create(
            container=site.portal, type="News Item", id="news", title="News-marker"
        )
        publish(news)
    return {"image": image.UID(), "news": news.UID()}


def visible_order(html, markers):
    return sorted(markers, key=html.index)


@pytest.mark.parametrize("layout_name", ["one-column", "two-columns", "landing"])
def test_every_widget_type_in_every_layout(site, references, layout_name):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout=layout_name)
        layout = cp.get_layout(page)
        for name, (settings, _) in WIDGETS.items():
            slot = first_slot_with_room(page, layout, name)
            cp.add_widget(page, slot, name, settings(references))
        publish(page)
    transaction.commit()

    for user in (None, "editor"):
        response = site.get("page", user=user)
        assert response.status_code == 200, (user, response.status_code)
        html = response.text
        for name, (_, marker) in WIDGETS.items():
            assert marker in html, (layout_name, name, user)
            assert f"compositepage-widget-{name}" in html
        assert f"compositepage-layout compositepage-{layout_name}" in html
        # The safe-HTML transform removed the script; no editor markup.
        assert "alert(1)" not in html
        assert "data-placement-id" not in html
        assert "compositepage-placeholder" not in html
        for placement in cp.get_composition(page)["slots"].values():
            for widget in placement:
                assert widget["id"] not in html

    # In design mode only the heading's block shows an icon of its own (its
    # level's), and the state carries that icon's drawing.
    from helpers import design_document

    content = site.get("page/@@design", user="editor").content
    icons = {
        block.get("data-widget-type"): block.get("data-icon")
        for block in design_document(content).cssselect(".cp-block")
    }
    assert icons == {name: "type-h3" if name == "heading" else None for name in WIDGETS}
    (island,) = lxml.html.fromstring(content).cssselect("script#cp-state")
    symbols = json.loads(island.text)["icons"]
    assert list(symbols) == ["type-h3"]
    assert symbols["type-h3"].startswith('<symbol id="cp-icon-type-h3"')


def test_widgets_render_in_slot_order(site):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout="two-columns")
        for n in range(5):
            cp.add_widget(page, "main", "heading", {"text": f"Order-{n}"}, index=0)
        cp.add_widget(page, "aside", "heading", {"text": "Aside-0"})
        publish(page)
    transaction.commit()
    html = site.get("page").text
    markers = [f"Order-{n}" for n in range(5)]
    assert visible_order(html, markers) == list(reversed(markers))
    assert html.index("Order-0") < html.index("Aside-0")


@pytest.fixture
def broken_widget_type():
    """A widget type whose renderer always raises."""
    from compositepage.interfaces import IWidgetType
    from compositepage.widget import DesignStub
    from compositepage.widget import WidgetRenderer
    from compositepage.widget import WidgetType
    from compositepage.widgets.heading import IHeadingSettings
    from zope.component import getGlobalSiteManager

    class Broken(WidgetRenderer):
        def render(self):
            raise RuntimeError("This widget is broken on purpose")

    widget_type = WidgetType(
        name="broken",
        title="Broken",
        schema=IHeadingSettings,
        renderer=Broken,
        design_stub=lambda settings, refs: DesignStub(kind="text", lines=2),
        permission="compositepage.DesignPage",
    )
    gsm = getGlobalSiteManager()
    gsm.registerUtility(widget_type, IWidgetType, name="broken")
    enabled = api.portal.get_registry_record("compositepage.enabled_widget_types")
    api.portal.set_registry_record(
        "compositepage.enabled_widget_types", [*enabled, "broken"]
    )
    yield widget_type
    gsm.unregisterUtility(widget_type, IWidgetType, name="broken")


def test_failing_widget_is_left_out_for_visitors(site, broken_widget_type, caplog):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        cp.add_widget(page, "main", "heading", {"text": "Before"})
        cp.add_widget(page, "main", "broken", {"text": "Broken-marker"})
        cp.add_widget(page, "main", "heading", {"text": "After"})
        publish(page)
    transaction.commit()
    visitor = site.get("page")
    assert visitor.status_code == 200
    assert "Before" in visitor.text and "After" in visitor.text
    assert "compositepage-placeholder" not in visitor.text
    assert "Traceback" not in visitor.text
    assert "broken on purpose" in caplog.text
    editor = site.get("page", user="editor")
    assert editor.status_code == 200
    assert "compositepage-placeholder" in editor.text
    assert "failed to render" in editor.text


def test_missing_widget_type_and_deleted_reference(site, references):
    from compositepage.storage import query_composition
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        gone = cp.add_widget(page, "main", "heading", {"text": "Vanishing-marker"})
        cp.add_widget(page, "main", "teaser", {"target": references["news"]})
        cp.add_widget(page, "main", "heading", {"text": "Still-here"})
        query_composition(page).placements[gone].widget_type = "uninstalled"
        api.content.delete(obj=site.portal["news"], check_linkintegrity=False)
        publish(page)
    transaction.commit()
    visitor = site.get("page")
    assert visitor.status_code == 200
    assert "Still-here" in visitor.text
    assert "Vanishing-marker" not in visitor.text
    assert "compositepage-placeholder" not in visitor.text
    editor = site.get("page", user="editor")
    assert "no longer available" in editor.text
    assert "was deleted, or you may not see it" in editor.text


def test_design_mode_shows_broken_links(site, references):
    """A teaser or image whose target was deleted says so on the floor plan,
    in the block itself (not only on the real page), in the tray too; a
    block whose target is there does not."""
    from helpers import design_document
    from helpers import make_image
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        other = make_image(site.portal, id="other", title="Other-marker")
        page = make_page(site.portal, id="page", layout="two-columns")
        fine = cp.add_widget(page, "main", "teaser", {"target": references["news"]})
        teaser = cp.add_widget(page, "main", "teaser", {"target": references["image"]})
        image = cp.add_widget(page, "aside", "image", {"image": other.UID()})
        heading = cp.add_widget(page, "main", "heading", {"text": "No links"})
        api.content.delete(
            objects=[site.portal["picture"], other], check_linkintegrity=False
        )
        cp.set_layout(page, "one-column")  # the image goes to the tray
    transaction.commit()
    document = design_document(site.get("page/@@design", user="editor").content)

    def block(placement_id):
        (found,) = document.cssselect(f'.cp-block[data-placement-id="{placement_id}"]')
        return found

    for broken in (teaser, image):
        warning = block(broken).cssselect(".cp-broken")
        assert len(warning) == 1, broken
        assert "was deleted, or you may not see it" in warning[0].text_content()
        assert "cp-block-broken" in block(broken).get("class")
        # Screen readers hear it with the block.
        assert block(broken).get("aria-describedby") == warning[0].get("id")
        assert warning[0].cssselect("use")[0].get("href") == (
            "#cp-icon-exclamation-triangle"
        )
    assert block(image).getparent().getparent().get("class") == "cp-tray"
    for whole in (fine, heading):
        assert block(whole).cssselect(".cp-broken") == []
        assert "cp-block-broken" not in block(whole).get("class")
    # The page has the warning's icon.
    assert document.cssselect("#cp-icon-exclamation-triangle")


def test_teaser_image_box_only_where_the_target_has_an_image(site, references):
    """Design mode draws what the real view shows: an image box for a teaser
    whose target has a lead image, none for one whose target has none."""
    from helpers import design_document
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        pictured = cp.add_widget(
            page, "main", "teaser", {"target": references["image"]}
        )
        plain = cp.add_widget(page, "main", "teaser", {"target": references["news"]})
        publish(page)
    transaction.commit()
    real = lxml.html.fromstring(site.get("page").content)
    teasers = real.cssselect(".compositepage-teaser")
    assert [len(teaser.cssselect("img")) for teaser in teasers] == [1, 0]
    # The card's own image class: full width, rounded like the card's top;
    # img-fluid keeps its proportions whatever the theme.
    classes = teasers[0].cssselect("img")[0].get("class").split()
    assert {"card-img-top", "img-fluid"} <= set(classes)
    document = design_document(site.get("page/@@design", user="editor").content)

    def boxes(placement_id):
        (block,) = document.cssselect(f'.cp-block[data-placement-id="{placement_id}"]')
        return len(block.cssselect(".cp-box"))

    assert (boxes(pictured), boxes(plain)) == (1, 0)


def test_reference_to_private_content_is_not_shown_to_visitors(site):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        secret = api.content.create(
            container=site.portal, type="Document", id="secret", title="Secret-marker"
        )
        page = make_page(site.portal, id="page")
        cp.add_widget(page, "main", "teaser", {"target": secret.UID()})
        publish(page)
    transaction.commit()
    assert "Secret-marker" not in site.get("page").text
    assert "Secret-marker" in site.get("page", user="editor").text


def test_never_composed_page_renders_and_commits_nothing(site):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        publish(page)
    transaction.commit()
    # Plone itself writes portlet annotations on the first page view after a
    # site is created; let that happen on a page that is not ours.
    for user in (None, "editor"):
        site.get("", user=user)
    storage = site.portal._p_jar.db().storage
    before = storage.lastTransaction()
    for user in (None, "editor"):
        assert site.get("page", user=user).status_code == 200
    assert storage.lastTransaction() == before


def test_visitor_page_has_no_editor_resources(site):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        cp.add_widget(page, "main", "heading", {"text": "Hello"})
        publish(page)
    transaction.commit()
    html = site.get("page").text
    assert not re.search(r"compositepage[-_.]?editor|\+\+plone\+\+compositepage", html)


def test_search_finds_page_by_widget_text(portal):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="searchable")
        pid = cp.add_widget(
            page, "main", "richtext", {"text": "<p>Xylophonic words</p>"}
        )
        cp.add_widget(page, "main", "heading", {"text": "Quokka heading"})
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.getId for b in catalog(SearchableText="xylophonic")] == ["searchable"]
    assert [b.getId for b in catalog(SearchableText="quokka")] == ["searchable"]
    with api.env.adopt_roles(["Manager"]):
        cp.remove_widget(page, pid)
    assert list(catalog(SearchableText="xylophonic")) == []


def test_demo_content(portal):
    from compositepage.demo import create_demo_content

    pages = create_demo_content(portal)
    assert {page.getId(): cp.get_layout(page).name for page in pages.values()} == {
        "landing": "landing",
        "two-columns": "two-columns",
        "one-column": "one-column",
    }
    for page in pages.values():
        composition = cp.get_composition(page)
        types = {w["widget_type"] for ws in composition["slots"].values() for w in ws}
        assert len(types) >= 3, page.getId()
        assert composition["unplaced"] == []
        # A fresh demo has nothing to undo, and its pages come first.
        assert composition["can_undo"] is False
    assert portal["demo"].objectIds()[:3] == ["landing", "two-columns", "one-column"]
    assert create_demo_content(portal).keys() == pages.keys()


def test_tray_lists_unplaced_widgets_in_page_order(site):
    """After a switch to a layout without their slots, unplaced widgets are
    listed as they stood on the page (hero, features, band), not by the
    alphabet of their slot names."""
    from helpers import design_document
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout="landing")
        expected = [
            cp.add_widget(page, slot, "heading", {"text": slot})
            for slot in ("hero", "hero", "feature-1", "feature-3", "band")
        ]
        cp.set_layout(page, "two-columns")
    transaction.commit()
    document = design_document(site.get("page/@@design", user="editor").content)
    tray = document.cssselect(".cp-tray .cp-block")
    assert [block.get("data-placement-id") for block in tray] == expected


def test_an_image_block_is_as_narrow_as_the_scale_the_page_shows(site):
    """The floor plan draws an image no wider than the real page shows it:
    at its scale's width (a thumbnail is not drawn across the slot), at most
    the image's own width, and as wide as the slot without an image."""
    from helpers import design_document
    from helpers import make_page
    from PIL import Image
    from plone.namedfile.file import NamedBlobImage

    import io

    data = io.BytesIO()
    Image.new("RGB", (600, 300), "steelblue").save(data, "PNG")
    with api.env.adopt_roles(["Manager"]):
        picture = api.content.create(container=site.portal, type="Image", id="wide")
        picture.image = NamedBlobImage(data=data.getvalue(), filename="wide.png")
        picture.reindexObject()
        page = make_page(site.portal, id="page")
        ids = {
            scale: cp.add_widget(
                page, "main", "image", {"image": picture.UID(), "scale": scale}
            )
            for scale in ("thumb", "large")
        }
        # An image since deleted: its block has no width to go by.
        gone = api.content.create(container=site.portal, type="Image", id="gone")
        gone.image = NamedBlobImage(data=data.getvalue(), filename="gone.png")
        gone.reindexObject()
        ids["none"] = cp.add_widget(
            page, "main", "image", {"image": gone.UID(), "scale": "thumb"}
        )
        api.content.delete(gone, check_linkintegrity=False)
    transaction.commit()
    document = design_document(site.get("page/@@design", user="editor").content)

    def box_style(placement_id):
        (block,) = document.cssselect(f'.cp-block[data-placement-id="{placement_id}"]')
        (box,) = block.cssselect(".cp-box")
        return box.get("style")

    assert box_style(ids["thumb"]) == "aspect-ratio:2;max-width:128px"
    # A scale wider than the image shows the image at its own width.
    assert box_style(ids["large"]) == "aspect-ratio:2;max-width:600px"
    assert box_style(ids["none"]) == "aspect-ratio:1.5"
