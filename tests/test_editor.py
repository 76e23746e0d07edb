"""Design mode in a real browser: Debian's Chromium driven by Playwright against
the functional layer's WSGI server.  Every test reloads to prove persistence."""

from browser import block
from browser import block_ids
from browser import block_types
from browser import close_and_press
from browser import drag
from browser import drag_new
from browser import editor_version
from browser import save_settings
from browser import screenshot
from browser import SCREENSHOTS
from browser import settings_frame
from browser import timed_drop
from browser import wait_dialog_closed
from browser import wait_for_version
from browser import wait_idle
from compositepage import api as cp
from compositepage.caching import NEVER_CACHED
from playwright.sync_api import expect
from plone import api

import functools
import pytest
import transaction


pytestmark = pytest.mark.browser


def stored(page_obj):
    """The stored composition, as the server committed it."""
    transaction.begin()
    return cp.get_composition(page_obj)


def stored_types(page_obj, slot):
    return [w["widget_type"] for w in stored(page_obj)["slots"][slot]]


def stored_texts(page_obj, slot):
    return [w["settings"].get("text") for w in stored(page_obj)["slots"][slot]]


def make(site, layout, widgets, id="page"):
    """A composite page with headings: {slot: [text, ...]}."""
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id=id, layout=layout)
        for slot, texts in widgets.items():
            for text in texts:
                cp.add_widget(page, slot, "heading", {"text": text})
    transaction.commit()
    return page


def design(browse, user="editor", path="page"):
    page = browse(user)
    page.goto(f"{path}/@@design")
    page.wait_for_selector("#compositepage-editor")
    return page


def test_design_view_draws_a_floor_plan(site, browse):
    page_obj = make(
        site, "two-columns", {"main": ["Alpha", "Beta"], "aside": ["Gamma"]}
    )
    gamma = stored(page_obj)["slots"]["aside"][0]["id"]
    with api.env.adopt_roles(["Manager"]):
        cp.update_widget(page_obj, gamma, {"level": 3})
    transaction.commit()
    page = design(browse)
    assert block_types(page, "main") == ["heading", "heading"]
    # The DOM contract.
    assert page.locator('[data-slot="main"]').count() == 1
    assert page.locator('[data-slot="aside"]').count() == 1
    assert page.locator('.cp-palette-item[data-widget-type="heading"]').count() == 1
    assert page.locator('[role="status"]').count() == 1
    ids = [w["id"] for w in stored(page_obj)["slots"]["main"]]
    assert block_ids(page, "main") == ids
    assert "Alpha" in block(page, ids[0]).inner_text()
    # What the script gives every block: focus, role, the type's colour, an
    # icon (the block's own or its type's), and the buttons.
    first = block(page, ids[0])
    assert first.get_attribute("tabindex") == "0"
    assert first.get_attribute("aria-roledescription") == "widget"
    assert first.get_attribute("aria-label") == "Heading: Alpha, 1 of 2 in Main"
    assert "--cp-colour: #6f42c1" in first.get_attribute("style")
    # A heading's icon says its level (DesignStub.icon); the palette shows
    # the level a new heading gets.
    own_icon = ".cp-block-head > svg.cp-icon use"
    assert first.locator(own_icon).get_attribute("href") == "#cp-icon-type-h2"
    assert (
        block(page, gamma).locator(own_icon).get_attribute("href") == "#cp-icon-type-h3"
    )
    assert page.locator("#cp-icon-type-h2").count() == 1
    assert page.locator("#cp-icon-type-h3").count() == 1
    palette = page.locator('.cp-palette-item[data-widget-type="heading"]')
    assert (
        palette.locator("svg.cp-icon use").get_attribute("href") == "#cp-icon-type-h2"
    )
    assert first.locator('[data-action="edit"]').inner_text() == "Settings"
    assert first.locator('[data-action="remove"]').inner_text() == "Remove"
    # The clipboard's buttons are icons, named for screen readers and
    # pointers; Paste only shows while the clipboard holds something.
    for action, name in (
        ("copy", "Copy"),
        ("cut", "Cut"),
        ("paste", "Paste after it"),
        ("duplicate", "Duplicate"),
    ):
        tool = first.locator(f'[data-action="{action}"]')
        assert tool.get_attribute("aria-label") == name
        assert tool.get_attribute("title").startswith(name.split()[0])
        href = tool.locator("use").get_attribute("href")
        assert page.locator(href).count() == 1, href
    assert first.locator('[data-action="copy"]').is_visible()
    assert not first.locator('[data-action="paste"]').is_visible()
    # Floor plan, not the real page: no rendered heading elements of widgets.
    assert page.locator("#cp-canvas h2.compositepage-heading").count() == 0


def test_palette_drag_into_each_kind_of_slot(site, browse):
    page_obj = make(site, "landing", {"hero": ["Hero title"]})
    page = design(browse)
    palette = page.locator('.cp-palette-item[data-widget-type="heading"]')

    # An empty slot, a slot with rules (hero takes headings) and a band.
    for slot, text, where in (
        ("feature-2", "Into the empty feature", "end"),
        ("hero", "Second in hero", "end"),
        ("band", "Into the band", "end"),
    ):
        before = editor_version(page)
        drag(page, palette, page.locator(f'[data-slot="{slot}"]'), where)
        frame = settings_frame(page)
        frame.locator('[name="form.widgets.text"]').fill(text)
        save_settings(page, frame)
        wait_dialog_closed(page)
        wait_for_version(page, before)
        assert text in page.locator(f'[data-slot="{slot}"]').inner_text()

    # Hero does not take teasers: the drop is refused and nothing opens.
    version = editor_version(page)
    drag_new(page, "teaser", "hero")
    page.wait_for_timeout(300)
    assert not page.evaluate("document.querySelector('.cp-settings-dialog').open")
    assert editor_version(page) == version
    assert "does not take" in page.locator('[role="status"]').inner_text()

    page.reload()
    assert stored_texts(page_obj, "hero") == ["Hero title", "Second in hero"]
    assert stored_texts(page_obj, "feature-2") == ["Into the empty feature"]
    assert stored_texts(page_obj, "band") == ["Into the band"]
    assert block_types(page, "hero") == ["heading", "heading"]


def test_cancelled_settings_create_nothing(site, browse):
    page_obj = make(site, "one-column", {"main": ["Only"]})
    page = design(browse)
    drag_new(page, "heading", "main")
    frame = settings_frame(page)
    frame.locator('[name="form.buttons.cancel"]').click()
    wait_dialog_closed(page)
    assert stored_texts(page_obj, "main") == ["Only"]
    assert len(block_ids(page, "main")) == 1
    # Escape closes the dialog from inside the form as well, and focus goes
    # back to the block whose settings were open.
    (only,) = block_ids(page, "main")
    block(page, only).focus()
    page.keyboard.press("e")
    frame = settings_frame(page)
    frame.locator('[name="form.widgets.text"]').fill("Not kept")
    frame.locator('[name="form.widgets.text"]').press("Escape")
    wait_dialog_closed(page)
    assert page.evaluate("document.activeElement.dataset.placementId") == only
    assert stored_texts(page_obj, "main") == ["Only"]


def test_settings_reopened_right_after_closing_show_the_form(site, browse):
    """The settings dialog's close event comes after close() (see
    test_remove_right_after_cancel_removes_the_block): closed, then opened
    again with E before the browser draws its next frame, the late event of
    the closing must not blank the frame that loads the new form."""
    make(site, "one-column", {"main": ["Only"]})
    page = design(browse)
    (only,) = block_ids(page, "main")
    block(page, only).focus()
    page.keyboard.press("e")
    settings_frame(page)
    dialog = page.locator(".cp-settings-dialog")
    # Close and press E on the block in one task: no frame between them.
    close_and_press(dialog, "close-settings", only, "e")
    frame = settings_frame(page)
    expect(frame.locator('[name="form.widgets.text"]')).to_have_value("Only")


def test_settings_dialog_says_it_is_opening(site, browse):
    """Until its form has loaded, the settings dialog says what it does
    instead of showing an empty frame."""
    make(site, "one-column", {"main": ["Only"]})
    page = design(browse)
    held = []

    def hold(route):
        held.append(route)

    page.route("**/@@compositepage-widget-settings*", hold)
    try:
        (only,) = block_ids(page, "main")
        block(page, only).focus()
        page.keyboard.press("e")
        page.wait_for_function(
            "() => document.querySelector('.cp-settings-dialog').open"
        )
        expect(page.locator(".cp-settings-loading")).to_be_visible()
        expect(page.locator(".cp-settings-frame")).to_be_hidden()
        page.wait_for_timeout(50)
        assert held, "the settings form was not requested"
        held[0].continue_()
        page.unroute("**/@@compositepage-widget-settings*")
        frame = settings_frame(page)
        frame.locator('[name="form.widgets.text"]').wait_for()
        expect(page.locator(".cp-settings-loading")).to_be_hidden()
        frame.locator('[name="form.buttons.cancel"]').click()
        wait_dialog_closed(page)
    finally:
        page.unroute_all()


def test_new_text_saves_with_one_click(site, browse):
    """The settings of a new rich text widget: no error before anything is
    typed, and the first click on Save saves (TinyMCE writes its field only
    when it loses focus; the script keeps the field up to date)."""
    page_obj = make(site, "one-column", {"main": ["Only"]})
    page = design(browse)
    drag_new(page, "richtext", "main")
    frame = settings_frame(page)
    body = frame.frame_locator(".tox-edit-area iframe").locator("body")
    body.wait_for()
    # The editor, the form's first field, has the focus.
    expect(frame.locator(".tox-edit-area iframe")).to_be_focused()
    assert frame.locator(".invalid-feedback:visible").count() == 0
    assert frame.locator('[name="form.buttons.save"]').is_enabled()
    body.click()
    page.keyboard.type("Typed in the editor")
    before = editor_version(page)
    frame.locator('[name="form.buttons.save"]').click()
    wait_dialog_closed(page)
    wait_for_version(page, before)
    (_, new) = stored(page_obj)["slots"]["main"]
    assert new["widget_type"] == "richtext"
    assert "Typed in the editor" in new["settings"]["text"]
    # Escape typed inside the editor (its keys stay in its own frame) closes
    # the dialog too, and nothing is added.
    drag_new(page, "richtext", "main")
    frame = settings_frame(page)
    body = frame.frame_locator(".tox-edit-area iframe").locator("body")
    body.click()
    page.keyboard.type("Not kept")
    page.keyboard.press("Escape")
    wait_dialog_closed(page)
    assert len(stored(page_obj)["slots"]["main"]) == 2


def test_reorder_within_a_slot(site, browse):
    page_obj = make(site, "one-column", {"main": ["One", "Two", "Three"]})
    page = design(browse)
    one, two, three = block_ids(page, "main")
    timed_drop(page, lambda: drag(page, block(page, three), block(page, one), "before"))
    assert block_ids(page, "main") == [three, one, two]
    timed_drop(
        page,
        lambda: drag(
            page, block(page, three), page.locator('[data-slot="main"]'), "end"
        ),
    )
    page.reload()
    assert block_ids(page, "main") == [one, two, three]
    assert stored_texts(page_obj, "main") == ["One", "Two", "Three"]


def test_move_across_slots(site, browse):
    page_obj = make(site, "two-columns", {"main": ["One", "Two"], "aside": ["Side"]})
    page = design(browse)
    one, two = block_ids(page, "main")
    (side,) = block_ids(page, "aside")
    timed_drop(page, lambda: drag(page, block(page, two), block(page, side), "before"))
    timed_drop(
        page,
        lambda: drag(
            page, block(page, side), page.locator('[data-slot="main"]'), "end"
        ),
    )
    page.reload()
    assert block_ids(page, "main") == [one, side]
    assert block_ids(page, "aside") == [two]
    assert stored_texts(page_obj, "aside") == ["Two"]


def test_touch_drag(site, browse):
    """A finger drags like a mouse: touch events become pointer events."""
    page_obj = make(site, "one-column", {"main": ["One", "Two"]})
    page = browse("editor", has_touch=True)
    page.goto("page/@@design")
    one, two = block_ids(page, "main")
    session = page.context.new_cdp_session(page)
    start = block(page, two).bounding_box()
    goal = block(page, one).bounding_box()

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def gesture():
        x, y = start["x"] + 20, start["y"] + 12
        touch("touchStart", x, y)
        for step in range(1, 11):
            touch("touchMove", x, y + (goal["y"] + 3 - y) * step / 10)
        touch("touchEnd", 0, 0)

    timed_drop(page, gesture)
    page.reload()
    assert block_ids(page, "main") == [two, one]
    assert stored_texts(page_obj, "main") == ["Two", "One"]


def test_keyboard_only(site, browse):
    page_obj = make(
        site, "two-columns", {"main": ["One", "Two", "Three"], "aside": ["Side"]}
    )
    page = design(browse)
    one, two, three = block_ids(page, "main")
    (side,) = block_ids(page, "aside")

    # Tab reaches the blocks; Space picks up, arrows move, Enter drops.
    block(page, one).focus()
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.includes('picked up')"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    before = editor_version(page)
    page.keyboard.press("Enter")
    wait_for_version(page, before)
    assert block_ids(page, "main") == [two, three, one]
    # Focus stays on the moved block, and the result is announced.
    assert page.evaluate("document.activeElement.dataset.placementId") == one
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('moved to Main, position 3 of 3')"
    )
    # Labels say where each block now is.
    assert (
        block(page, one).get_attribute("aria-label") == "Heading: One, 3 of 3 in Main"
    )
    assert (
        block(page, two).get_attribute("aria-label") == "Heading: Two, 1 of 3 in Main"
    )

    # To the next slot, at its end.
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    before = editor_version(page)
    page.keyboard.press("Space")
    wait_for_version(page, before)
    assert block_ids(page, "aside") == [side, one]
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('moved to Sidebar, position 2 of 2')"
    )

    # Escape cancels a move: nothing is sent.
    version = editor_version(page)
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    assert editor_version(page) == version
    assert block_ids(page, "aside") == [side, one]
    assert (
        block(page, one).get_attribute("aria-label")
        == "Heading: One, 2 of 2 in Sidebar"
    )

    # Undo from the keyboard.
    before = editor_version(page)
    page.keyboard.press("Control+z")
    wait_for_version(page, before)
    assert block_ids(page, "main") == [two, three, one]

    # A new widget from the palette, placed by keyboard.
    page.locator('.cp-palette-item[data-widget-type="heading"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    frame = settings_frame(page)
    frame.locator('[name="form.widgets.text"]').fill("Typed in")
    before = editor_version(page)
    save_settings(page, frame)
    wait_dialog_closed(page)
    wait_for_version(page, before)
    # Where the new widget went is announced, as for a move.
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Heading added to Main, position 3 of 4')"
    )

    page.reload()
    assert stored_texts(page_obj, "main") == ["Two", "Three", "Typed in", "One"]
    assert stored_texts(page_obj, "aside") == ["Side"]


def test_settings_form_validation_then_save(site, browse):
    page_obj = make(site, "one-column", {"main": ["Old text"]})
    page = design(browse)
    (one,) = block_ids(page, "main")
    # Only a level-2 heading here: the page has no drawing of H3 yet.
    assert page.locator("#cp-icon-type-h3").count() == 0
    block(page, one).focus()
    page.keyboard.press("e")
    frame = settings_frame(page)
    field = frame.locator('[name="form.widgets.text"]')
    # The first field takes the focus (not the site search of the page in
    # the frame).
    expect(field).to_be_focused()
    # While the form loads the dialog says so; once loaded, the form shows.
    expect(page.locator(".cp-settings-dialog")).not_to_have_attribute(
        "aria-busy", "true"
    )
    expect(page.locator(".cp-settings-loading")).to_be_hidden()
    expect(page.locator(".cp-settings-frame")).to_be_visible()
    assert field.input_value() == "Old text"
    field.fill("x" * 201)
    save_settings(page, frame)
    frame.locator(".invalid-feedback, .fieldErrorBox, .alert-danger").first.wait_for()
    assert page.evaluate("document.querySelector('.cp-settings-dialog').open")
    assert stored_texts(page_obj, "main") == ["Old text"]
    field = frame.locator('[name="form.widgets.text"]')
    field.fill("New text")
    frame.locator('[name="form.widgets.level:list"]').select_option("3")
    before = editor_version(page)
    save_settings(page, frame)
    wait_dialog_closed(page)
    wait_for_version(page, before)
    assert "New text" in block(page, one).inner_text()
    # The block's icon follows its level, its drawing sent with the state.
    icon = (
        block(page, one)
        .locator(".cp-block-head > svg.cp-icon use")
        .get_attribute("href")
    )
    assert icon == "#cp-icon-type-h3"
    assert page.locator("#cp-icon-type-h3").count() == 1
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        " === 'Settings saved.'"
    )
    page.reload()
    (widget,) = stored(page_obj)["slots"]["main"]
    assert widget["settings"] == {"text": "New text", "level": 3}


def test_remove_asks_and_undo_brings_it_back(site, browse):
    page_obj = make(site, "one-column", {"main": ["Keep", "Drop"]})
    page = design(browse)
    keep, gone = block_ids(page, "main")
    block(page, gone).locator('[data-action="remove"]').click()
    dialog = page.locator(".cp-confirm-dialog")
    assert dialog.evaluate("d => d.open")
    # Cancel keeps it.
    dialog.locator('[data-action="cancel-remove"]').click()
    assert block_ids(page, "main") == [keep, gone]
    block(page, gone).focus()
    page.keyboard.press("Delete")
    before = editor_version(page)
    dialog.locator('[data-action="confirm-remove"]').click()
    wait_for_version(page, before)
    assert block_ids(page, "main") == [keep]
    assert stored_texts(page_obj, "main") == ["Keep"]
    before = editor_version(page)
    page.locator('[data-action="undo"]').click()
    wait_for_version(page, before)
    before = editor_version(page)
    page.locator('[data-action="redo"]').click()
    wait_for_version(page, before)
    before = editor_version(page)
    page.locator('[data-action="undo"]').click()
    wait_for_version(page, before)
    page.reload()
    assert block_ids(page, "main") == [keep, gone]
    assert stored_texts(page_obj, "main") == ["Keep", "Drop"]


def test_remove_right_after_cancel_removes_the_block(site, browse):
    """A dialog's close event comes after close() (queued, says HTML;
    Chromium fires it at its next animation frame): Cancel, then Delete on
    the block before the browser draws again (a quick hand, or a busy
    machine) opens the dialog anew before the close event of the cancelled
    one arrives.  That late event must not make the editor forget which
    block the open dialog is about (Remove sent no id, the server answered
    400, nothing was removed)."""
    page_obj = make(site, "one-column", {"main": ["Keep", "Drop"]})
    page = design(browse)
    keep, gone = block_ids(page, "main")
    block(page, gone).focus()
    page.keyboard.press("Delete")
    dialog = page.locator(".cp-confirm-dialog")
    assert dialog.evaluate("d => d.open")
    # Cancel and Delete again in one task: no frame can come between them.
    close_and_press(dialog, "cancel-remove", gone, "Delete")
    # The close event of the cancelled dialog came after the Delete; the
    # dialog stays open for the block.
    assert dialog.evaluate("d => d.open")
    before = editor_version(page)
    dialog.locator('[data-action="confirm-remove"]').click()
    wait_for_version(page, before)
    assert block_ids(page, "main") == [keep]
    assert stored_texts(page_obj, "main") == ["Keep"]
    page.reload()
    assert block_ids(page, "main") == [keep]


def test_remove_confirmed_while_a_change_is_saved_follows_it(site, browse):
    """Remove confirmed while another change is still being saved is sent
    once that one is done; it was dropped without a word."""
    page_obj = make(site, "one-column", {"main": ["Keep", "Drop"]})
    page = design(browse, user="siteadmin")
    keep, gone = block_ids(page, "main")
    block(page, gone).focus()
    page.keyboard.press("Delete")
    dialog = page.locator(".cp-confirm-dialog")
    assert dialog.evaluate("d => d.open")
    before = editor_version(page)
    # Another change, whose answer takes a while (a slow network): the
    # editor is busy when Remove is confirmed.
    page.evaluate(
        """() => {
          const original = window.fetch;
          let first = true;
          window.fetch = function (url, options) {
            if (first && options && options.method === "PATCH") {
              first = false;
              return new Promise(function (resolve) {
                setTimeout(resolve, 1000);
              }).then(function () { return original(url, options); });
            }
            return original(url, options);
          };
          document.querySelector('[data-action="set_layout"]').click();
        }"""
    )
    assert page.evaluate(
        "() => document.getElementById('compositepage-editor')"
        ".classList.contains('cp-busy')"
    )
    dialog.locator('[data-action="confirm-remove"]').click()
    wait_for_version(page, before)
    assert block_ids(page, "main") == [keep]
    assert stored_texts(page_obj, "main") == ["Keep"]


def test_layout_switch_tray_and_back(site, browse):
    page_obj = make(
        site, "two-columns", {"main": ["Main one"], "aside": ["Side one", "Side two"]}
    )
    page = design(browse, user="siteadmin")
    side_one, side_two = block_ids(page, "aside")
    page.select_option("#cp-layout", "one-column")
    before = editor_version(page)
    page.locator('[data-action="set_layout"]').click()
    wait_for_version(page, before)
    assert page.locator('[data-slot="aside"]').count() == 0
    # What went where is said, and stays in sight in the design bar.
    expect(page.locator(".cp-bar .cp-said")).to_have_text(
        "Layout switched to One column. 2 widgets have no place in it and went "
        "to the tray “Not placed in this layout” below the floor plan."
    )
    tray = page.locator(".cp-tray")
    assert tray.locator(".cp-block").count() == 2
    assert (
        tray.locator(f'[data-placement-id="{side_one}"]').get_attribute("aria-label")
        == "Heading: Side one, not placed"
    )
    # With the keyboard, a block in the tray says how to get out of it.
    tray.locator(f'[data-placement-id="{side_one}"]').focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent"
        ".includes('Press the right arrow key')"
    )
    page.keyboard.press("Escape")
    # Drag one back from the tray into a slot of the new layout.
    timed_drop(
        page,
        lambda: drag(
            page,
            tray.locator(f'[data-placement-id="{side_two}"]'),
            page.locator('[data-slot="main"]'),
        ),
    )
    page.reload()
    assert stored(page_obj)["layout"] == "one-column"
    assert stored_texts(page_obj, "main") == ["Main one", "Side two"]
    assert [w["settings"]["text"] for w in stored(page_obj)["unplaced"]] == ["Side one"]
    page.select_option("#cp-layout", "two-columns")
    before = editor_version(page)
    page.locator('[data-action="set_layout"]').click()
    wait_for_version(page, before)
    assert page.locator(".cp-tray").count() == 0
    page.reload()
    assert block_ids(page, "aside") == [side_one]
    assert stored_texts(page_obj, "aside") == ["Side one"]


def test_editors_cannot_switch_layouts(site, browse):
    make(site, "two-columns", {"main": ["x"]})
    page = design(browse, user="editor")
    assert page.locator("#cp-layout").count() == 0


def test_two_editors_conflict(site, browse):
    page_obj = make(site, "one-column", {"main": ["One", "Two", "Three"]})
    with api.env.adopt_roles(["Manager"]):
        api.user.get(userid="editor").setMemberProperties({"fullname": "Erika Editor"})
    transaction.commit()
    first = design(browse)
    second = design(browse, user="siteadmin")
    one, two, three = block_ids(first, "main")
    timed_drop(
        first, lambda: drag(first, block(first, three), block(first, one), "before")
    )
    # The second editor still sees the old order and moves the same widget:
    # a conflict (moving another one would merge, see test_editor_conflicts).
    assert block_ids(second, "main") == [one, two, three]
    drag(second, block(second, three), block(second, two), "before")
    alert = second.locator(".cp-alert")
    alert.wait_for(state="visible")
    assert "Erika Editor moved this widget" in alert.inner_text()
    # Its view now shows what is stored, not what it tried.
    wait_idle(second)
    assert block_ids(second, "main") == [three, one, two]
    second.reload()
    assert block_ids(second, "main") == [three, one, two]
    assert stored_texts(page_obj, "main") == ["Three", "One", "Two"]


@pytest.fixture
def broken_and_slow_types():
    """Widget types whose real renderer raises, or takes seconds."""
    from compositepage.interfaces import IWidgetType
    from compositepage.widget import DesignStub
    from compositepage.widget import WidgetRenderer
    from compositepage.widget import WidgetType
    from compositepage.widgets.heading import IHeadingSettings
    from zope.component import getGlobalSiteManager

    import time

    class Broken(WidgetRenderer):
        def render(self):
            raise RuntimeError("broken on purpose")

    class Slow(WidgetRenderer):
        def render(self):
            time.sleep(5)
            return "<p>slow</p>"

    gsm = getGlobalSiteManager()
    made = []
    for name, renderer in (("broken", Broken), ("slow", Slow)):
        widget_type = WidgetType(
            name=name,
            title=name.title(),
            schema=IHeadingSettings,
            renderer=renderer,
            design_stub=lambda settings, refs: DesignStub(
                kind="text", title="Stub", lines=2
            ),
            permission="compositepage.DesignPage",
        )
        gsm.registerUtility(widget_type, IWidgetType, name=name)
        made.append(widget_type)
    api.portal.set_registry_record(
        "compositepage.enabled_widget_types", ["heading", "broken", "slow"]
    )
    transaction.commit()
    yield
    for widget_type in made:
        gsm.unregisterUtility(widget_type, IWidgetType, name=widget_type.name)


def test_design_view_never_runs_widget_renderers(site, browse, broken_and_slow_types):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page_obj = make_page(site.portal, id="page")
        cp.add_widget(page_obj, "main", "heading", {"text": "Fine"})
        cp.add_widget(page_obj, "main", "broken", {"text": "Broken"})
        cp.add_widget(page_obj, "main", "slow", {"text": "Slow"})
    transaction.commit()
    page = design(browse)
    assert block_types(page, "main") == ["heading", "broken", "slow"]
    fine, broken, slow = block_ids(page, "main")
    timed_drop(page, lambda: drag(page, block(page, slow), block(page, fine), "before"))
    timed_drop(
        page, lambda: drag(page, block(page, broken), block(page, slow), "before")
    )
    page.reload()
    assert block_ids(page, "main") == [broken, slow, fine]


def test_visitor_sees_widgets_in_order_without_editor_markup(site, browse):
    from helpers import publish

    page_obj = make(
        site, "two-columns", {"main": ["First", "Second"], "aside": ["Aside"]}
    )
    publish(page_obj)
    transaction.commit()
    editor = design(browse)
    first, second = block_ids(editor, "main")
    timed_drop(
        editor,
        lambda: drag(editor, block(editor, second), block(editor, first), "before"),
    )
    visitor = browse()
    visitor.goto("page")
    text = visitor.locator("#content-core").inner_text()
    assert text.index("Second") < text.index("First") < text.index("Aside")
    html = visitor.content()
    for marker in (
        "data-placement-id",
        "data-slot",
        "cp-block",
        "compositepage-editor",
        "editor.js",
        "editor.css",
    ):
        assert marker not in html, marker


def test_design_view_needs_the_design_permission(site, browse):
    from helpers import publish

    page_obj = make(site, "one-column", {"main": ["x"]})
    publish(page_obj)
    transaction.commit()
    for user in (None, "member", "contributor", "reviewer"):
        page = browse(user)
        response = page.goto("page/@@design")
        assert "compositepage-editor" not in page.content(), user
        assert response.url.endswith("@@design") is False or response.status >= 400, (
            user
        )
    editor = browse("editor")
    editor.goto("page")
    assert editor.locator('a[href*="/@@design"]').count() >= 1
    visitor = browse()
    visitor.goto("page")
    assert visitor.locator('a[href*="/@@design"]').count() == 0


@pytest.mark.parametrize("view", ["@@design", ""])
def test_accessibility(site, browse, view):
    """axe-core on our part of the page: the content area (Plone's own toolbar,
    header and footer have findings of their own, which are Plone's)."""
    from axe_playwright_python.sync_playwright import Axe
    from compositepage.demo import create_demo_content

    with api.env.adopt_roles(["Manager"]):
        create_demo_content(site.portal)
    transaction.commit()
    axe = Axe()
    problems = []
    for name in ("landing", "two-columns", "one-column"):
        for user in ("editor", None):
            page = browse(user)
            page.goto(f"demo/{name}/{view}")
            if view and not user:
                continue
            results = axe.run(page, context={"include": [["#content"]]})
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]]
                    problems.append((name, view, user, violation["id"], targets))
    assert problems == []


def test_screenshots_of_the_demo(site, browse):
    from compositepage.demo import create_demo_content

    with api.env.adopt_roles(["Manager"]):
        pages = create_demo_content(site.portal)
        # As a site's own pages are, not by the test fixture's user.
        for page in pages.values():
            page.setCreators(["siteadmin"])
            page.reindexObject(idxs=["Creator", "listCreators"])
    transaction.commit()
    for name in ("landing", "two-columns", "one-column"):
        visitor = browse()
        visitor.goto(f"demo/{name}")
        screenshot(visitor, f"{name}-real")
        # Widgets one below the other never touch (in every slot but the
        # landing page's hero); cards in a row are as tall as each other.
        gaps = visitor.evaluate(
            """() => Array.from(document.querySelectorAll(
                '.compositepage-main, .compositepage-aside, .compositepage-band,'
                + ' .compositepage-feature'
            )).flatMap(slot => {
                const boxes = Array.from(slot.children).map(
                    widget => widget.getBoundingClientRect());
                return boxes.slice(1).map((box, i) => box.top - boxes[i].bottom);
            })"""
        )
        if name != "landing":
            assert gaps, name  # the demo stacks widgets in its main column
        assert all(gap >= 8 for gap in gaps), (name, gaps)
        if name == "landing":
            heights = visitor.eval_on_selector_all(
                ".compositepage-teaser",
                "els => els.map(e => Math.round(e.getBoundingClientRect().height))",
            )
            assert len(heights) == 3 and len(set(heights)) == 1, heights
        editor = browse("siteadmin")
        editor.goto(f"demo/{name}/@@design")
        screenshot(editor, f"{name}-design")
        if name == "two-columns":
            block(editor, block_ids(editor, "main")[0]).locator(
                '[data-action="edit"]'
            ).click()
            settings_frame(editor)
            editor.wait_for_timeout(500)
            editor.screenshot(path=str(SCREENSHOTS / "settings-dialog.png"))
    # Design mode on a tablet and a phone (Plone's toolbar as it opens).
    for width in (768, 390):
        editor = browse("siteadmin", viewport={"width": width, "height": 1000})
        editor.goto("demo/landing/@@design")
        editor.wait_for_selector("#compositepage-editor .cp-block")
        assert overflow(editor) <= 0, width
        screenshot(editor, f"landing-design-{width}")


# Issue 15: editors never lose work, design mode on every screen -----------

LONG_WORDS = " ".join(
    ["Rindfleischetikettierungsueberwachungsaufgabenuebertragungsgesetz"] * 3
)


def overflow(page):
    """How far the page reaches beyond the window's right edge (px)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_real_page_wraps_long_words(site, browse):
    """A heading of long unbroken words wraps instead of widening the page
    (it made the page 1636 px wide at a 1280 px window)."""
    from helpers import publish

    page_obj = make(site, "two-columns", {"main": [LONG_WORDS], "aside": [LONG_WORDS]})
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(
            page_obj, "main", "richtext", {"text": f"<p>{LONG_WORDS * 2}</p>"}
        )
        publish(page_obj)
    transaction.commit()
    for width in (1280, 390):
        visitor = browse(viewport={"width": width, "height": 900})
        visitor.goto("page")
        assert overflow(visitor) <= 0, width
        content = visitor.locator("#content-core").bounding_box()
        for box in visitor.eval_on_selector_all(
            ".compositepage-heading, .compositepage-richtext",
            "els => els.map(e => e.getBoundingClientRect().right)",
        ):
            assert box <= content["x"] + content["width"] + 1, width


def test_pickers_search_the_whole_site_as_one_types(site, browse):
    """The image picker starts in the page's folder, and a title typed there
    finds an image anywhere in the site at once, without clicking Search."""
    from helpers import make_image
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        section = api.content.create(
            container=site.portal, type="Folder", id="section", title="Section"
        )
        media = api.content.create(
            container=site.portal, type="Folder", id="media", title="Media"
        )
        image = make_image(media, id="field", title="Green field")
        page_obj = make_page(section, id="page")
    transaction.commit()
    page = design(browse, path="section/page")
    drag_new(page, "image", "main")
    frame = settings_frame(page)
    picker = frame.locator("#formfield-form-widgets-image")
    # Browsing starts in the page's own folder.
    expect(picker.locator(".path-wrapper .crumb").last).to_have_text("section")
    search = picker.locator(".select2-input")
    search.click()
    search.press_sequentially("Green", delay=50)
    result = frame.locator(
        ".select2-drop-active .pat-relateditems-result-title", has_text="Green field"
    )
    result.wait_for(timeout=10_000)
    result.click()
    expect(picker.locator(".select2-search-choice")).to_contain_text("Green field")
    before = editor_version(page)
    save_settings(page, frame)
    wait_dialog_closed(page)
    wait_for_version(page, before)
    (placed,) = stored(page_obj)["slots"]["main"]
    assert placed["settings"]["image"] == image.UID()


def test_first_steps_add_new_lands_in_design_mode(site, browse):
    """Add new… → Composite Page, Save: the editor lands in design mode, and
    the empty page tells editors (only them) how to fill it."""
    from helpers import publish

    page = browse("contributor")
    page.goto("")
    page.locator("#plone-contentmenu-factories > a").click()
    page.locator("#plone-contentmenu-factories a#composite-page").click()
    page.locator('[name="form.widgets.IDublinCore.title"]').fill("First steps")
    page.locator('[name="form.buttons.save"]').click()
    page.wait_for_selector("#compositepage-editor")
    assert page.url.endswith("/first-steps/@@design")
    assert block_ids(page, "main") == []
    page.locator(".cp-preview").click()
    hint = page.locator(".compositepage-empty")
    expect(hint).to_contain_text("This page has no widgets yet.")
    link = hint.get_by_role("link", name="Design")
    assert link.get_attribute("href").endswith("/first-steps/@@design")
    link.click()
    page.wait_for_selector("#compositepage-editor")
    transaction.begin()
    publish(site.portal["first-steps"])
    transaction.commit()
    for user in (None, "member"):
        visitor = browse(user)
        visitor.goto("first-steps")
        expect(visitor.locator("#content h1")).to_have_text("First steps")
        assert visitor.locator(".compositepage-empty").count() == 0, user
    # With a widget placed, the hint is gone for editors too.
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(site.portal["first-steps"], "main", "heading", {"text": "Hi"})
    transaction.commit()
    page.goto("first-steps")
    expect(page.locator(".compositepage-heading")).to_have_text("Hi")
    assert page.locator(".compositepage-empty").count() == 0


def test_back_from_preview_never_shows_a_stale_floor_plan(chromium, site, browse):
    """Back from Preview restores design mode from the back-forward cache:
    the editor refreshes at once, so what was changed meanwhile shows and the
    next move is not refused as 'changed by someone else'."""
    from browser import CHROMIUM
    from browser import CHROMIUM_ARGS
    from browser import open_page

    page_obj = make(site, "one-column", {"main": ["One", "Two", "Three"]})
    # Playwright switches the back-forward cache off; browsers have it on.
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    try:
        page = open_page(browser, site.url, "editor")
        response = page.goto("page/@@design")
        assert response.headers["cache-control"] == NEVER_CACHED
        one, two, three = block_ids(page, "main")
        block(page, three).focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowUp")
        before = editor_version(page)
        page.keyboard.press("Enter")
        wait_for_version(page, before)
        page.evaluate("window.__cpSameDocument = true")
        page.locator(".cp-preview").click()
        page.wait_for_url("**/page")
        # Meanwhile someone else moves a widget.
        transaction.begin()
        with api.env.adopt_roles(["Manager"]):
            cp.move_widget(page_obj, one, "main", 2)
        transaction.commit()
        stored_version = stored(page_obj)["version"]
        page.go_back(wait_until="commit")
        page.wait_for_selector("#compositepage-editor")
        # Restored from the cache, not loaded again: the same document.
        assert page.evaluate("window.__cpSameDocument === true")
        page.wait_for_function(
            "v => Number(document.getElementById('compositepage-editor')"
            ".dataset.version) === v",
            arg=stored_version,
        )
        assert block_ids(page, "main") == [three, two, one]
        block(page, one).focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        wait_for_version(page, stored_version)
        assert page.locator(".cp-alert").is_hidden()
        assert stored_texts(page_obj, "main") == ["One", "Three", "Two"]
        assert page.errors == []
    finally:
        browser.close()


def test_keyboard_focus_and_announcements(site, browse):
    """Escape or Cancel after placing a new widget by keyboard gives the
    focus back to the palette and says so; a keyboard move into a slot that
    refuses the widget says why; Ctrl+Z works anywhere but in text fields."""
    page_obj = make(site, "landing", {"feature-1": ["Feature"]})
    with api.env.adopt_roles(["Manager"]):
        query = [
            {
                "i": "portal_type",
                "o": "plone.app.querystring.operation.selection.any",
                "v": ["News Item"],
            }
        ]
        listing = cp.add_widget(page_obj, "feature-1", "listing", {"query": query})
    transaction.commit()
    page = design(browse)
    status = page.locator('[role="status"]')
    palette = page.locator('.cp-palette-item[data-widget-type="heading"]')

    def focused(expression):
        return page.evaluate(f"document.activeElement{expression}")

    # Placed by keyboard, then Escape in the settings form.
    palette.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    frame = settings_frame(page)
    frame.locator('[name="form.widgets.text"]').press("Escape")
    wait_dialog_closed(page)
    assert focused(".dataset.widgetType") == "heading"
    assert focused(".classList.contains('cp-palette-item')")
    expect(status).to_have_text("Adding a new Heading widget cancelled.")
    # The same with the form's Cancel button.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    frame = settings_frame(page)
    frame.locator('[name="form.buttons.cancel"]').click()
    wait_dialog_closed(page)
    assert focused(".dataset.widgetType") == "heading"
    expect(status).to_have_text("Adding a new Heading widget cancelled.")
    assert page.locator(".cp-ghost").count() == 0

    # The hero takes no listings: a keyboard move there says so.
    block(page, listing).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowLeft")
    expect(status).to_have_text("Hero does not take Listing widgets.")
    page.keyboard.press("Escape")
    assert block_types(page, "feature-1") == ["heading", "listing"]

    # Ctrl+Z with the focus outside the editor (on the page's body)...
    before = editor_version(page)
    drag(page, block(page, listing), page.locator('[data-slot="feature-2"]'))
    wait_for_version(page, before)
    page.evaluate("document.activeElement.blur()")
    assert focused(".tagName") == "BODY"
    before = editor_version(page)
    page.keyboard.press("Control+z")
    wait_for_version(page, before)
    assert block_types(page, "feature-1") == ["heading", "listing"]
    # ... and on Plone's toolbar; redo with Shift.
    page.locator("#edit-zone a").first.focus()
    before = editor_version(page)
    page.keyboard.press("Control+Shift+z")
    wait_for_version(page, before)
    assert block_types(page, "feature-2") == ["listing"]
    # Not in a text field: the field's own undo.
    search = page.locator("#searchGadget, input[name='SearchableText']").first
    search.fill("typed")
    version = editor_version(page)
    search.press("Control+z")
    page.wait_for_timeout(500)
    assert editor_version(page) == version
    assert block_types(page, "feature-2") == ["listing"]


def below_the_bar(page, placement_id):
    """Asserts the block is in the window, whole, below the design bar."""
    bar = page.locator(".cp-bar").bounding_box()
    box = block(page, placement_id).bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= bar["y"] + bar["height"], (box, bar)
    assert box["y"] + box["height"] <= height, (box, height)


def test_moved_block_is_never_under_the_design_bar(site, browse):
    """A block moved or focused while the page is scrolled is shown whole,
    below the sticky design bar (it ended up 25 of its 35 px under it)."""
    make(site, "one-column", {"main": [f"Heading {n}" for n in range(14)]})
    for width, height in ((1280, 700), (390, 700)):
        page = browse("editor", viewport={"width": width, "height": height})
        page.goto("page/@@design")
        page.wait_for_selector("#compositepage-editor .cp-block")
        ids = block_ids(page, "main")
        clear_of_the_bar = functools.partial(below_the_bar, page)
        block(page, ids[10]).focus()
        page.keyboard.press("Space")
        for _ in range(10):
            page.keyboard.press("ArrowUp")
            clear_of_the_bar(ids[10])
        before = editor_version(page)
        page.keyboard.press("Enter")
        wait_for_version(page, before)
        assert block_ids(page, "main")[0] == ids[10]
        clear_of_the_bar(ids[10])
        # Going down and up again with the arrow keys.
        for placement_id in block_ids(page, "main")[1:6]:
            page.keyboard.press("ArrowDown")
            clear_of_the_bar(placement_id)
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
        for placement_id in reversed(block_ids(page, "main")[:5]):
            page.keyboard.press("ArrowUp")
            clear_of_the_bar(placement_id)
        # Undo moves it back down; the block stays in sight.
        before = editor_version(page)
        page.keyboard.press("Control+z")
        wait_for_version(page, before)
        clear_of_the_bar(page.evaluate("document.activeElement.dataset.placementId"))


@pytest.mark.parametrize("width", [1280, 1024, 768, 390, 360])
def test_design_mode_fits_every_screen(site, browse, width):
    """From 360 px up the design view never scrolls sideways: slots reflow,
    stacking when there is no room, and every block's title and buttons stay
    in sight (at 768 px the feature slots were 70 px wide, titles "Desi…",
    and Settings and Remove stuck out of the window), the clipboard's too."""
    from compositepage.demo import create_demo_content

    with api.env.adopt_roles(["Manager"]):
        create_demo_content(site.portal)
    transaction.commit()
    for name in ("landing", "two-columns"):
        page = browse("siteadmin", viewport={"width": width, "height": 900})
        # Something on the clipboard: every block shows all its buttons, and
        # the palette its Clipboard group.
        page.add_init_script(
            """localStorage.setItem('compositepage.clipboard', JSON.stringify(
                {source: 'elsewhere', page: 'Another page', cut: false,
                 items: [{id: 'x', type: 'heading',
                          title: 'A heading copied from another page'}]}))"""
        )
        page.goto(f"demo/{name}/@@design")
        page.wait_for_selector("#compositepage-editor .cp-block")
        assert page.locator(".cp-clipboard .cp-palette-item").is_visible()
        assert overflow(page) <= 0, name
        canvas = page.locator("#cp-canvas").bounding_box()
        slots = page.eval_on_selector_all(
            ".cp-slot", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        # Side by side only with room for a block's title and buttons.
        for slot_width in slots:
            assert slot_width >= min(176, canvas["width"] - 1), (name, slots)
        problems = page.evaluate(
            """() => {
              const found = [];
              const right = document.documentElement.clientWidth;
              document.querySelectorAll('#cp-canvas .cp-block').forEach(block => {
                const box = block.getBoundingClientRect();
                block.querySelectorAll('.cp-tool').forEach(tool => {
                  const t = tool.getBoundingClientRect();
                  if (t.left < box.left || t.right > box.right + 0.5 || t.right > right)
                    found.push(['tool', block.dataset.placementId, t.left, t.right]);
                });
                const title = block.querySelector('.cp-block-title');
                if (title && title.textContent &&
                    title.clientWidth < Math.min(title.scrollWidth, 96))
                  found.push(['title', title.textContent, title.clientWidth]);
              });
              document.querySelectorAll('.cp-bar > *, .cp-palette-item').forEach(e => {
                const b = e.getBoundingClientRect();
                if (b.width && (b.left < 0 || b.right > right))
                  found.push(['outside', e.className, b.left, b.right]);
              });
              return found;
            }"""
        )
        assert problems == [], (name, problems)
        # Scrolled down, nothing of the editor covers the floor plan (the
        # palette stood sticky over it at 768 px).
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        covered = page.evaluate(
            """() => {
              const palette = document.querySelector('.cp-palette')
                .getBoundingClientRect();
              return Array.from(document.querySelectorAll('.cp-slot'))
                .map(slot => slot.getBoundingClientRect())
                .filter(b => b.left < palette.right && palette.left < b.right
                  && b.top < palette.bottom && palette.top < b.bottom).length;
            }"""
        )
        assert covered == 0, name
