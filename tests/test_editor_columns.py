"""Columns in design mode, in Debian's Chromium (issue 18): widgets dragged
from the palette into a column, moved between columns by mouse and by
keyboard, and the real page's grid at a desktop's and a phone's width."""

from browser import block
from browser import block_ids
from browser import drag
from browser import editor_version
from browser import save_settings
from browser import screenshot
from browser import settings_frame
from browser import wait_dialog_closed
from browser import wait_for_version
from compositepage import api as cp
from plone import api
from test_editor import design
from test_editor import stored

import pytest
import transaction


pytestmark = pytest.mark.browser


def page_with_columns(site, id="page", layout="33-33-33", texts=("A", "B")):
    """A page whose main slot holds a heading and a columns widget with
    headings ``texts`` in its first column."""
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id=id, layout="two-columns")
        cp.add_widget(page, "main", "heading", {"text": "Above"})
        row = cp.add_widget(page, "main", "columns", {"layout": layout})
        for text in texts:
            cp.add_widget(page, f"{row}/col-1", "heading", {"text": text})
    transaction.commit()
    return page, row


def column_texts(page_obj, row):
    for widget in stored(page_obj)["slots"]["main"]:
        if widget["id"] == row:
            return {
                name: [w["settings"].get("text") for w in widgets]
                for name, widgets in widget["slots"].items()
            }
    raise AssertionError("no columns widget")


def test_drag_from_the_palette_into_a_column(site, browse):
    page_obj, row = page_with_columns(site)
    page = design(browse)
    # The columns are drop zones like a page's slots.
    assert page.locator(f'[data-slot="{row}/col-2"]').count() == 1
    before = editor_version(page)
    drag(
        page,
        page.locator('.cp-palette-item[data-widget-type="heading"]'),
        page.locator(f'[data-slot="{row}/col-2"]'),
    )
    frame = settings_frame(page)
    frame.locator('[name="form.widgets.text"]').fill("Dropped into column 2")
    save_settings(page, frame)
    wait_dialog_closed(page)
    wait_for_version(page, before)
    assert column_texts(page_obj, row)["col-2"] == ["Dropped into column 2"]
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Heading added to Main, column 2, position 1 of 1')"
    )
    # A columns widget may not go into a column: the drop is refused.
    version = editor_version(page)
    drag(
        page,
        page.locator('.cp-palette-item[data-widget-type="columns"]'),
        page.locator(f'[data-slot="{row}/col-3"]'),
    )
    page.wait_for_timeout(300)
    assert not page.evaluate("document.querySelector('.cp-settings-dialog').open")
    assert editor_version(page) == version


def test_move_between_columns_by_mouse_and_by_keyboard(site, browse):
    page_obj, row = page_with_columns(site)
    page = design(browse)
    a, b = block_ids(page, f"{row}/col-1")
    before = editor_version(page)
    drag(page, block(page, b), page.locator(f'[data-slot="{row}/col-3"]'))
    wait_for_version(page, before)
    assert column_texts(page_obj, row) == {"col-1": ["A"], "col-2": [], "col-3": ["B"]}
    # By keyboard: the arrows walk the page's slots and the columns in
    # reading order.
    block(page, a).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Main, column 2')"
    )
    before = editor_version(page)
    page.keyboard.press("Enter")
    wait_for_version(page, before)
    assert column_texts(page_obj, row) == {"col-1": [], "col-2": ["A"], "col-3": ["B"]}
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Heading moved to Main, column 2, position 1 of 1')"
    )
    # And out of the columns, into the page's sidebar.
    block(page, a).focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    before = editor_version(page)
    page.keyboard.press("Enter")
    wait_for_version(page, before)
    assert [w["settings"]["text"] for w in stored(page_obj)["slots"]["aside"]] == ["A"]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_real_page_grid(site, browse, width):
    page_obj, row = page_with_columns(site, layout="66-33")
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(page_obj, f"{row}/col-2", "heading", {"text": "Narrow"})
    transaction.commit()
    page = browse("editor", viewport={"width": width, "height": 900})
    page.goto("page")
    wide = page.locator(".compositepage-columns > div").nth(0).bounding_box()
    narrow = page.locator(".compositepage-columns > div").nth(1).bounding_box()
    if width >= 768:
        # Side by side, two thirds and one third.
        assert abs(wide["y"] - narrow["y"]) < 2
        assert 1.7 < wide["width"] / narrow["width"] < 2.3
    else:
        # Stacked on a phone, each the full width.
        assert narrow["y"] > wide["y"] + wide["height"] - 2
        assert abs(wide["width"] - narrow["width"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"columns-real-{width}")
