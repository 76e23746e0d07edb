"""Columns and the clipboard in design mode, in Debian's Chromium (issue 18):
widgets dragged from the palette into a column, moved between columns by
mouse and by keyboard, the real page's grid at a desktop's and a phone's
width; copy, cut, paste and duplicate, within a page and between pages, by
the blocks' buttons, the keys and the palette's clipboard group."""

from browser import block
from browser import block_ids
from browser import drag
from browser import editor_version
from browser import save_settings
from browser import screenshot
from browser import settings_frame
from browser import wait_dialog_closed
from browser import wait_for_version
from browser import wait_idle
from compositepage import api as cp
from playwright.sync_api import expect
from plone import api
from test_editor import design
from test_editor import stored

import pytest
import re
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


def slot_state(page, name):
    """A slot's count, and whether it shows its "Drop widgets here"."""
    zone = page.locator(f'[data-slot="{name}"]')
    return (
        zone.locator(":scope > .cp-slot-title > .cp-slot-count").inner_text(),
        zone.locator(":scope > .cp-empty").is_visible(),
    )


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
    assert slot_state(page, f"{row}/col-1") == ("1", False)
    assert slot_state(page, f"{row}/col-2") == ("0", True)
    block(page, a).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Main, column 2')"
    )
    # The columns count what they hold while it moves (they lagged until
    # the drop, and the emptied column had no hint).
    assert slot_state(page, f"{row}/col-1") == ("0", True)
    assert slot_state(page, f"{row}/col-2") == ("1", False)
    # At the end of its column, it says so.
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Main, column 2, position 1 of 1: already the last.')"
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


def test_a_finger_moves_a_widget_between_columns(site, browse):
    """Touch works into and between columns as between a page's slots."""
    page_obj, row = page_with_columns(site)
    page = browse("editor", has_touch=True)
    page.goto("page/@@design")
    page.wait_for_selector("#compositepage-editor")
    _a, b = block_ids(page, f"{row}/col-1")
    session = page.context.new_cdp_session(page)

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    start = block(page, b).bounding_box()
    goal = page.locator(f'[data-slot="{row}/col-3"]').bounding_box()
    x, y = start["x"] + 20, start["y"] + 12
    to_x, to_y = goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2
    before = editor_version(page)
    touch("touchStart", x, y)
    for step in range(1, 11):
        touch("touchMove", x + (to_x - x) * step / 10, y + (to_y - y) * step / 10)
    touch("touchEnd", 0, 0)
    wait_for_version(page, before)
    assert column_texts(page_obj, row) == {"col-1": ["A"], "col-2": [], "col-3": ["B"]}


def test_a_columns_block_is_carried_by_its_head(site, browse):
    """Dragged by the mouse, a columns widget is carried as a small copy of
    its head under the pointer (a copy of the whole block covered the floor
    plan and ran off the window), and it drops as a whole."""
    page_obj, row = page_with_columns(site)
    page = design(browse)
    source = block(page, row)
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    # Picked up by the right end of its title, far from its left edge.
    title = source.locator(":scope > .cp-block-head .cp-block-title").bounding_box()
    x, y = title["x"] + title["width"] - 4, title["y"] + title["height"] / 2
    assert x - box["x"] > 200
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 40, steps=4)
    avatar = page.locator(".cp-avatar").bounding_box()
    assert avatar["width"] <= 321 and avatar["height"] <= 8 * 16 + 1
    assert avatar["x"] <= x + 40 <= avatar["x"] + avatar["width"]
    assert avatar["y"] <= y + 40 <= avatar["y"] + avatar["height"]
    assert avatar["x"] + avatar["width"] <= page.viewport_size["width"]
    assert page.locator(".cp-avatar .cp-slot").count() == 0
    # Dropped into the sidebar: the widget with what it holds.
    aside = page.locator('[data-slot="aside"]')
    aside.evaluate(
        "element => window.scrollBy({top: element.getBoundingClientRect().bottom"
        " - 6 - window.innerHeight / 2, behavior: 'instant'})"
    )
    goal = aside.bounding_box()
    before = editor_version(page)
    page.mouse.move(
        goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] - 6, steps=10
    )
    page.mouse.up()
    wait_for_version(page, before)
    (moved,) = stored(page_obj)["slots"]["aside"]
    assert moved["id"] == row
    assert [w["settings"]["text"] for w in moved["slots"]["col-1"]] == ["A", "B"]


def zones(page, row, count):
    return [
        page.locator(f'[data-slot="{row}/col-{number}"]').bounding_box()
        for number in range(1, count + 1)
    ]


def test_three_columns_beside_the_sidebar_share_a_row(site, browse):
    """At 1280 px the real page shows three equal columns in a row beside
    the sidebar (col-md-4), and so does the floor plan: it drew two, and the
    third below them (a column wrapped when narrower than 11rem)."""
    _page_obj, row = page_with_columns(site)
    page = design(browse)
    assert page.viewport_size["width"] == 1280
    main = page.locator('[data-slot="main"]').bounding_box()
    aside = page.locator('[data-slot="aside"]').bounding_box()
    assert aside["x"] >= main["x"] + main["width"]
    first, second, third = zones(page, row, 3)
    assert abs(first["y"] - second["y"]) < 1 and abs(first["y"] - third["y"]) < 1
    assert first["x"] < second["x"] < third["x"]
    # With something on the clipboard, every block shows Paste too.
    block(page, block_ids(page, f"{row}/col-1")[0]).locator(
        '[data-action="copy"]'
    ).click()
    expect(page.locator('.cp-block [data-action="paste"]:visible')).to_have_count(4)
    # A block is drawn whole in its column: nothing sticks out of it.
    for placement_id in block_ids(page, f"{row}/col-1"):
        box = block(page, placement_id).bounding_box()
        assert first["x"] < box["x"]
        assert box["x"] + box["width"] < first["x"] + first["width"]
        assert block(page, placement_id).evaluate(
            """block => [block, ...block.querySelectorAll('*')].every(
                   part => part.scrollWidth <= part.clientWidth + 1
                           || getComputedStyle(part).textOverflow === 'ellipsis')"""
        )
        # Its buttons take two rows at most: Settings and Remove, then the
        # clipboard's icons together (they took three).
        tools = block(page, placement_id).locator(".cp-block-tools")
        row_height = tools.locator(".cp-tool").first.bounding_box()["height"]
        assert tools.bounding_box()["height"] < 2.5 * row_height
    # On a phone a column would be narrower than a block can be drawn in:
    # they stack, as the real page does.
    page.set_viewport_size({"width": 390, "height": 900})
    first, second, third = zones(page, row, 3)
    assert second["y"] >= first["y"] + first["height"]
    assert third["y"] >= second["y"] + second["height"]
    assert abs(first["width"] - third["width"]) < 1


@pytest.mark.parametrize(
    "layout, shares", [("66-33", (2, 1)), ("33-66", (1, 2)), ("50-50", (1, 1))]
)
def test_floor_plan_columns_take_their_share(site, browse, layout, shares):
    """The floor plan draws each column its share of the row, as the real
    page does (66-33 was drawn as two equal columns), and stacks them on a
    phone."""
    _page_obj, row = page_with_columns(site, layout=layout)
    page = design(browse)
    first, second = zones(page, row, 2)
    assert abs(first["y"] - second["y"]) < 1
    expected = shares[0] / shares[1]
    assert 0.85 * expected < first["width"] / second["width"] < 1.15 * expected
    page.set_viewport_size({"width": 390, "height": 900})
    first, second = zones(page, row, 2)
    assert second["y"] >= first["y"] + first["height"]
    assert abs(first["width"] - second["width"]) < 1


def side_by_side(boxes):
    """Whether the boxes stand in one row (else: one below the other)."""
    return all(abs(box["y"] - boxes[0]["y"]) < 2 for box in boxes[1:])


@pytest.mark.parametrize("width", [1280, 900, 700])
def test_the_floor_plan_stacks_where_the_real_page_does(site, browse, width):
    """The page's main column and sidebar stack below 992 px (col-lg-*),
    the columns widget's columns below 768 px (col-md-*): the floor plan
    draws them the same at the same window width (at 900 px it drew the
    sidebar beside the main column, which the page shows below it)."""
    page_obj, row = page_with_columns(site)
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(page_obj, "aside", "heading", {"text": "Aside"})
    transaction.commit()
    page = browse("editor", viewport={"width": width, "height": 900})
    page.goto("page")
    boxes = page.locator(".compositepage-main, .compositepage-aside")
    columns = page.locator(".compositepage-columns > div")
    real = [
        side_by_side([boxes.nth(n).bounding_box() for n in range(2)]),
        side_by_side([columns.nth(n).bounding_box() for n in range(3)]),
    ]
    assert real == [width >= 992, width >= 768]
    page.goto("page/@@design")
    page.wait_for_selector("#compositepage-editor")
    drawn = [
        side_by_side(
            [
                page.locator(f'[data-slot="{name}"]').bounding_box()
                for name in ("main", "aside")
            ]
        ),
        side_by_side(zones(page, row, 3)),
    ]
    assert drawn == real


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
        # Stacked on a phone, each the full width, with room between them.
        assert narrow["y"] >= wide["y"] + wide["height"] + 8
        assert abs(wide["width"] - narrow["width"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"columns-real-{width}")


# The clipboard ---------------------------------------------------------------


def wait_said(page, text):
    """``text`` is announced (live region) and shown in the design bar."""
    page.wait_for_function(
        """text => document.querySelector('[role=status]').textContent.includes(text)
                  && document.querySelector('.cp-said').textContent.includes(text)""",
        arg=text,
    )


def focused_id(page):
    return page.evaluate("document.activeElement.dataset.placementId")


def clipboard(page):
    return page.evaluate(
        "JSON.parse(localStorage.getItem('compositepage.clipboard') || 'null')"
    )


def test_copy_on_one_page_and_paste_on_another_by_keyboard(site, browse):
    source, row = page_with_columns(site, id="source")
    target, _other = page_with_columns(site, id="target", texts=())
    page = design(browse, path="source")
    # Nothing to paste yet: the palette has no clipboard group, blocks no
    # Paste button.
    expect(page.locator(".cp-clipboard")).to_be_hidden()
    paste_buttons = block(page, row).locator('[data-action="paste"]')
    expect(paste_buttons).to_have_count(3)
    for number in range(3):
        expect(paste_buttons.nth(number)).to_be_hidden()
    # Copy the columns widget (with what it holds).
    block(page, row).focus()
    version = editor_version(page)
    page.keyboard.press("Control+c")
    wait_said(page, "Columns copied.")
    assert editor_version(page) == version
    assert clipboard(page)["source"] == source.UID()
    assert [item["id"] for item in clipboard(page)["items"]] == [row]
    # On another page of the same browser: the palette offers it, and
    # Ctrl+V pastes it where the focus is.
    page.goto("target/@@design")
    page.wait_for_selector("#compositepage-editor")
    items = page.locator(".cp-clipboard .cp-palette-item")
    expect(items).to_have_count(1)
    expect(items).to_have_attribute(
        "aria-label", "Columns: Three equal columns, on the clipboard"
    )
    (above,) = [
        i for i in block_ids(page, "main") if "Above" in block(page, i).inner_text()
    ]
    block(page, above).focus()
    before = editor_version(page)
    page.keyboard.press("Control+v")
    wait_for_version(page, before)
    main = stored(target)["slots"]["main"]
    assert [w["widget_type"] for w in main] == ["heading", "columns", "columns"]
    pasted = main[1]
    assert pasted["id"] != row
    assert [w["settings"]["text"] for w in pasted["slots"]["col-1"]] == ["A", "B"]
    # Said, and the focus is on the copy.
    wait_said(page, "Columns pasted into Main, position 2 of 3.")
    assert focused_id(page) == pasted["id"]
    # The source is as it was; a copy stays on the clipboard.
    assert column_texts(source, row)["col-1"] == ["A", "B"]
    expect(items).to_have_count(1)
    # In a text field (the site's search box), Ctrl+V is the field's own.
    version = editor_version(page)
    page.locator("input[name=SearchableText]").first.focus()
    page.keyboard.press("Control+v")
    page.wait_for_timeout(300)
    assert editor_version(page) == version


def test_cut_and_paste_between_pages_by_the_buttons(site, browse):
    source, row = page_with_columns(site, id="source")
    target, _other = page_with_columns(site, id="target", texts=())
    page = design(browse, path="source")
    a, b = block_ids(page, f"{row}/col-1")
    version = editor_version(page)
    block(page, b).get_by_role("button", name="Cut", exact=True).click()
    wait_said(page, "Heading cut.")
    # Nothing leaves the page before the paste; the block shows it is cut.
    expect(block(page, b)).to_have_class(re.compile(r"\bcp-cut\b"))
    assert editor_version(page) == version
    assert column_texts(source, row)["col-1"] == ["A", "B"]
    page.goto("target/@@design")
    page.wait_for_selector("#compositepage-editor")
    expect(page.locator(".cp-clipboard .cp-palette-item")).to_have_attribute(
        "title", "Cut from A composite page"
    )
    above = block_ids(page, "main")[0]
    before = editor_version(page)
    block(page, above).get_by_role("button", name="Paste after it").click()
    wait_for_version(page, before)
    wait_said(page, "Heading pasted into Main, position 2 of 3.")
    main = stored(target)["slots"]["main"]
    assert [w["widget_type"] for w in main] == ["heading", "heading", "columns"]
    assert main[1]["settings"]["text"] == "B"
    # The original left its page in the same transaction, and the clipboard
    # is empty: a second paste would find nothing.
    assert column_texts(source, row)["col-1"] == ["A"]
    assert clipboard(page) is None
    expect(page.locator(".cp-clipboard")).to_be_hidden()
    expect(block(page, above).locator('[data-action="paste"]')).to_be_hidden()
    # Undo on the source brings the original back.
    page.goto("source/@@design")
    page.wait_for_selector("#compositepage-editor")
    assert block_ids(page, f"{row}/col-1") == [a]
    before = editor_version(page)
    page.locator('[data-action="undo"]').click()
    wait_for_version(page, before)
    assert column_texts(source, row)["col-1"] == ["A", "B"]
    assert block_ids(page, f"{row}/col-1") == [a, b]
    expect(block(page, b)).not_to_have_class(re.compile(r"\bcp-cut\b"))
    # The target keeps its copy.
    assert [w["widget_type"] for w in stored(target)["slots"]["main"]] == [
        "heading",
        "heading",
        "columns",
    ]


def test_a_cut_pasted_in_another_tab_leaves_this_floor_plan(site, browse):
    """Cut in one tab and pasted in another, the widget leaves the first
    tab's floor plan at once, which says so (it stayed, drawn as it was,
    until a move there was refused)."""
    source, row = page_with_columns(site, id="source")
    page_with_columns(site, id="target", texts=())
    first = design(browse, path="source")
    a, b = block_ids(first, f"{row}/col-1")
    block(first, b).focus()
    first.keyboard.press("Control+x")
    wait_said(first, "Heading cut.")
    # A second tab of the same browser.
    second = first.context.new_page()
    second.goto("target/@@design")
    second.wait_for_selector("#compositepage-editor")
    above = block_ids(second, "main")[0]
    block(second, above).focus()
    before = editor_version(second)
    second.keyboard.press("Control+v")
    wait_for_version(second, before)
    assert column_texts(source, row)["col-1"] == ["A"]
    # The first tab drops the block and says why.
    wait_said(
        first, "What was cut here was pasted on another page and has left this one."
    )
    assert block_ids(first, f"{row}/col-1") == [a]
    # A copy taken elsewhere changes nothing here.
    block(first, a).focus()
    first.keyboard.press("Control+c")
    wait_said(first, "Heading copied.")
    version = editor_version(first)
    block(second, above).focus()
    before = editor_version(second)
    second.keyboard.press("Control+v")
    wait_for_version(second, before)
    first.wait_for_timeout(300)
    assert editor_version(first) == version
    assert "has left this one" not in first.locator(".cp-said").inner_text()


def test_duplicate(site, browse):
    page_obj, row = page_with_columns(site)
    page = design(browse)
    a, b = block_ids(page, f"{row}/col-1")
    before = editor_version(page)
    block(page, a).get_by_role("button", name="Duplicate").click()
    wait_for_version(page, before)
    assert column_texts(page_obj, row)["col-1"] == ["A", "A", "B"]
    ids = block_ids(page, f"{row}/col-1")
    assert ids[0] == a and ids[2] == b and ids[1] not in (a, b)
    # Said as what it is, a duplicate (it said "pasted").
    wait_said(
        page, "Heading duplicated; the copy is in Main, column 1, position 2 of 3."
    )
    assert focused_id(page) == ids[1]
    # Duplicating leaves the clipboard alone.
    assert clipboard(page) is None
    # A columns widget comes with what it holds, right after it.
    before = editor_version(page)
    block(page, row).locator(
        ':scope > .cp-block-head [data-action="duplicate"]'
    ).click()
    wait_for_version(page, before)
    main = stored(page_obj)["slots"]["main"]
    assert [w["widget_type"] for w in main] == ["heading", "columns", "columns"]
    assert main[1]["id"] == row
    assert [w["settings"]["text"] for w in main[2]["slots"]["col-1"]] == [
        "A",
        "A",
        "B",
    ]
    wait_said(page, "Columns duplicated; the copy is in Main, position 3 of 3.")
    # Undo takes the copy away, with what it holds.
    before = editor_version(page)
    page.keyboard.press("Control+z")
    wait_for_version(page, before)
    main = stored(page_obj)["slots"]["main"]
    assert [w["widget_type"] for w in main] == ["heading", "columns"]
    wait_said(page, "Undone: Columns duplicated.")


def test_paste_from_the_clipboard_group_by_mouse_and_keyboard(site, browse):
    page_obj, row = page_with_columns(site)
    page = design(browse)
    a, b = block_ids(page, f"{row}/col-1")
    block(page, a).get_by_role("button", name="Copy").click()
    wait_said(page, "Heading copied.")
    # With Shift, a second widget joins the first.
    block(page, b).get_by_role("button", name="Copy").click(modifiers=["Shift"])
    wait_said(page, "Heading added to the clipboard, which holds 2 widgets.")
    items = page.locator(".cp-clipboard .cp-palette-item")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_have_attribute("aria-label", "Heading: B, on the clipboard")
    # Dragged into a column, one of them is pasted there.
    before = editor_version(page)
    drag(page, items.nth(1), page.locator(f'[data-slot="{row}/col-3"]'))
    wait_for_version(page, before)
    assert column_texts(page_obj, row) == {
        "col-1": ["A", "B"],
        "col-2": [],
        "col-3": ["B"],
    }
    # Copied from this very page: a duplicate.
    wait_said(
        page, "Heading duplicated; the copy is in Main, column 3, position 1 of 1."
    )
    # By keyboard: Enter on it, the arrows choose the place, Enter pastes.
    items.nth(0).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.classList.contains('cp-ghost')"
    )
    # Picked up from the clipboard, not a new widget.
    wait_said(page, "Heading from the clipboard picked up: use the arrow keys")
    assert "New" not in page.locator(".cp-said").inner_text()
    # Escape gives it back to the clipboard: a paste, not a move, cancelled.
    page.keyboard.press("Escape")
    wait_said(page, "Paste cancelled.")
    assert page.locator(".cp-ghost").count() == 0
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.classList.contains('cp-ghost')"
    )
    page.keyboard.press("ArrowRight")  # Main, column 1
    page.keyboard.press("ArrowRight")  # Main, column 2
    wait_said(page, "Main, column 2, position 1 of 1.")
    before = editor_version(page)
    page.keyboard.press("Enter")
    wait_for_version(page, before)
    assert column_texts(page_obj, row)["col-2"] == ["A"]
    assert page.locator(".cp-ghost").count() == 0
    # Ctrl+V pastes both, after the widget in focus.
    block(page, a).focus()
    before = editor_version(page)
    page.keyboard.press("Control+v")
    wait_for_version(page, before)
    assert column_texts(page_obj, row)["col-1"] == ["A", "A", "B", "B"]
    wait_said(page, "2 widgets duplicated; the copies are in Main, column 1.")
    # Undo and redo count them (undo said "Heading pasted").
    before = editor_version(page)
    page.keyboard.press("Control+z")
    wait_for_version(page, before)
    wait_said(page, "Undone: 2 widgets duplicated.")
    assert column_texts(page_obj, row)["col-1"] == ["A", "B"]
    before = editor_version(page)
    page.keyboard.press("Control+Shift+z")
    wait_for_version(page, before)
    wait_said(page, "Redone: 2 widgets duplicated.")
    assert column_texts(page_obj, row)["col-1"] == ["A", "A", "B", "B"]
    # A slot clicked takes the focus: Ctrl+V pastes at its end.
    page.locator('[data-slot="aside"] > .cp-slot-title').click()
    assert page.evaluate("document.activeElement.dataset.slot") == "aside"
    before = editor_version(page)
    page.keyboard.press("Control+v")
    wait_for_version(page, before)
    assert [w["settings"]["text"] for w in stored(page_obj)["slots"]["aside"]] == [
        "A",
        "B",
    ]
    # Emptied, the clipboard leaves the palette.
    page.get_by_role("button", name="Empty the clipboard").click()
    wait_said(page, "The clipboard is empty now.")
    expect(page.locator(".cp-clipboard")).to_be_hidden()
    assert clipboard(page) is None


def test_a_long_title_on_the_clipboard_stays_in_the_palette(site, browse):
    long = "Composite pages are built from widgets placed into slots " * 2
    _page_obj, row = page_with_columns(site, texts=(long.strip(), "B"))
    page = design(browse)
    a, _b = block_ids(page, f"{row}/col-1")
    block(page, a).get_by_role("button", name="Copy").click()
    wait_said(page, "Heading copied.")
    item = page.locator(".cp-clipboard .cp-palette-item")
    expect(item).to_have_count(1)
    palette = page.locator(".cp-palette").bounding_box()
    box = item.bounding_box()
    canvas = page.locator(".cp-canvas").bounding_box()
    # Cut short with "…", not under the floor plan.
    assert box["x"] + box["width"] <= palette["x"] + palette["width"] + 1
    assert box["x"] + box["width"] <= canvas["x"]


def test_refused_pastes_say_why(site, browse):
    page_obj, row = page_with_columns(site)
    page = design(browse)
    (a, _b) = block_ids(page, f"{row}/col-1")

    def paste_again(refusal):
        """With the clipboard set, Ctrl+V after the first column's first
        widget is refused, saying ``refusal``."""
        page.reload()
        page.wait_for_selector("#compositepage-editor")
        block(page, a).focus()
        page.keyboard.press("Control+v")
        wait_said(page, refusal)

    block(page, row).focus()
    page.keyboard.press("Control+c")
    wait_said(page, "Columns copied.")
    # A columns widget may not go into a column: the server's sentence, in
    # the alert and the design bar; nothing changes.
    version = editor_version(page)
    block(page, a).focus()
    page.keyboard.press("Control+v")
    refusal = "A Columns widget may not hold another Columns widget."
    wait_said(page, refusal)
    expect(page.locator(".cp-alert")).to_contain_text(refusal)
    wait_idle(page)
    assert editor_version(page) == version
    assert column_texts(page_obj, row)["col-1"] == ["A", "B"]
    # Dragged there, from the clipboard or the palette, it is refused in
    # the same words (the drag said "Main, column 2 does not take ...").
    for source in (
        page.locator(".cp-clipboard .cp-palette-item"),
        page.locator('.cp-palette-item[data-widget-type="columns"]'),
    ):
        page.evaluate("document.querySelector('.cp-said').textContent = ''")
        drag(page, source, page.locator(f'[data-slot="{row}/col-2"]'))
        wait_said(page, refusal)
        assert page.locator(".cp-said").inner_text() == refusal
        # A refusal leaves the alert of the one before.
        expect(page.locator(".cp-alert")).to_contain_text(refusal)
    assert editor_version(page) == version
    # The page copied from is gone.
    with api.env.adopt_roles(["Manager"]):
        gone = cp_page(site, "gone")
        uid = gone.UID()
        site.portal.manage_delObjects(["gone"])
    transaction.commit()
    page.evaluate(
        """uid => localStorage.setItem('compositepage.clipboard', JSON.stringify(
            {source: uid, page: 'Gone', cut: false,
             items: [{id: 'x', type: 'heading', title: 'Lost'}]}))""",
        arg=uid,
    )
    paste_again("The page the widgets were copied from is gone.")
    expect(page.locator(".cp-alert")).to_contain_text("copied from is gone")
    assert editor_version(page) == version
    # What goes well next ends the alert (it stayed after emptying the
    # clipboard, as the try-out found).
    page.get_by_role("button", name="Empty the clipboard").click()
    wait_said(page, "The clipboard is empty now.")
    expect(page.locator(".cp-alert")).to_be_hidden()
    # A member who may design this page only: cutting from a page they may
    # only read is refused, and so is copying from one they may not see.
    with api.env.adopt_roles(["Manager"]):
        locked = cp_page(site, "locked")
        kept = cp.add_widget(locked, "main", "heading", {"text": "Kept"})
        api.user.grant_roles(username="member", obj=page_obj, roles=["Editor"])
        api.user.grant_roles(username="member", obj=locked, roles=["Reader"])
        uid = locked.UID()
    transaction.commit()
    page = design(browse, user="member")
    page.evaluate(
        """([uid, id]) => localStorage.setItem('compositepage.clipboard',
            JSON.stringify({source: uid, page: 'Locked', cut: true,
             items: [{id: id, type: 'heading', title: 'Kept'}]}))""",
        arg=[uid, kept],
    )
    paste_again("You may not change the page the widgets were cut from.")
    assert editor_version(page) == version
    assert [w["id"] for w in stored(locked)["slots"]["main"]] == [kept]
    with api.env.adopt_roles(["Manager"]):
        locked.manage_delLocalRoles(["member"])
        locked.reindexObjectSecurity()
    transaction.commit()
    page.evaluate(
        """() => { const clip = JSON.parse(
              localStorage.getItem('compositepage.clipboard'));
            clip.cut = false;
            localStorage.setItem('compositepage.clipboard', JSON.stringify(clip)); }"""
    )
    paste_again("You may not see the page the widgets were copied from.")
    assert editor_version(page) == version
    assert column_texts(page_obj, row)["col-1"] == ["A", "B"]


def cp_page(site, id):
    from helpers import make_page

    return make_page(site.portal, id=id, layout="two-columns")


def test_columns_and_clipboard_screenshots(site, browse):
    """The editor guide's pictures of columns and the clipboard."""
    from helpers import make_page
    from helpers import publish

    text = "<p>What we do, in a few words that a visitor reads first.</p>"
    with api.env.adopt_roles(["Manager"]):
        page_obj = make_page(
            site.portal, id="services", title="Our services", layout="two-columns"
        )
        cp.add_widget(page_obj, "main", "heading", {"text": "What we do for you"})
        row = cp.add_widget(page_obj, "main", "columns", {"layout": "33-33-33"})
        for number, title in enumerate(("Planning", "Building", "Care"), start=1):
            cp.add_widget(page_obj, f"{row}/col-{number}", "heading", {"text": title})
            cp.add_widget(page_obj, f"{row}/col-{number}", "richtext", {"text": text})
        cp.add_widget(page_obj, "aside", "heading", {"text": "Contact", "level": 3})
        cp.add_widget(page_obj, "aside", "richtext", {"text": text})
    publish(page_obj)
    transaction.commit()
    visitor = browse()
    visitor.goto("services")
    assert visitor.locator(".compositepage-columns > div").count() == 3
    screenshot(visitor, "columns-real")
    page = design(browse, path="services")
    (care, _text) = block_ids(page, f"{row}/col-3")
    block(page, care).get_by_role("button", name="Cut", exact=True).click()
    wait_said(page, "Heading cut.")
    # The pointer away from the buttons, so no tooltip covers the picture.
    page.mouse.move(0, 0)
    expect(page.locator(".cp-clipboard .cp-palette-item")).to_have_count(1)
    screenshot(page, "columns-clipboard-design")
