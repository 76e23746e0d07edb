"""Driving design mode in Debian's Chromium with Playwright: shared helpers."""

from helpers import basic_auth
from pathlib import Path

import os
import statistics


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(
    os.environ.get(
        "COMPOSITEPAGE_SCREENSHOTS", Path(__file__).parent / "artifacts" / "screenshots"
    )
)
# Times from a drop to the stored state seen by the browser, for the report.
DROP_TIMES = []


def open_page(browser, base_url, user=None, **context_options):
    """A page in a fresh browser context, logged in as ``user`` if given."""
    options = {"viewport": {"width": 1280, "height": 900}, "base_url": base_url + "/"}
    if user:
        options["extra_http_headers"] = basic_auth(user)
    options.update(context_options)
    context = browser.new_context(**options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def editor_version(page):
    return int(page.get_attribute("#compositepage-editor", "data-version"))


def wait_for_version(page, after, timeout=15_000):
    page.wait_for_function(
        "v => { const e = document.getElementById('compositepage-editor');"
        " return Number(e.dataset.version) > v && !e.classList.contains('cp-busy'); }",
        arg=after,
        timeout=timeout,
    )


def wait_idle(page):
    page.wait_for_function(
        "() => !document.getElementById('compositepage-editor').classList.contains('cp-busy')"
    )


def block_types(page, slot):
    return page.eval_on_selector_all(
        f'[data-slot="{slot}"] > .cp-blocks > .cp-block',
        "blocks => blocks.map(b => b.dataset.widgetType)",
    )


def block_ids(page, slot):
    return page.eval_on_selector_all(
        f'[data-slot="{slot}"] > .cp-blocks > .cp-block',
        "blocks => blocks.map(b => b.dataset.placementId)",
    )


def block(page, placement_id):
    return page.locator(f'.cp-block[data-placement-id="{placement_id}"]')


def drag(page, source, target, where="end"):
    """Drag ``source`` with the mouse onto ``target``.

    ``where``: "end" drops at the bottom of a slot, "before" above a block.
    """
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    page.mouse.move(box["x"] + 14, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 34, box["y"] + 30, steps=4)
    # The drop point in the middle of the window: near its edges the
    # editor scrolls the page while dragging, and the point would move.
    target.evaluate(
        """(element, end) => {
          const box = element.getBoundingClientRect();
          const y = end ? box.bottom - 6 : box.top + 4;
          window.scrollBy({top: y - window.innerHeight / 2, behavior: 'instant'});
        }""",
        where == "end",
    )
    goal = target.bounding_box()
    y = goal["y"] + (goal["height"] - 6 if where == "end" else 4)
    page.mouse.move(goal["x"] + goal["width"] / 2, y, steps=10)
    page.mouse.up()


def drag_new(page, widget_type, slot):
    """Drag a new widget of ``widget_type`` from the palette into ``slot``."""
    drag(
        page,
        page.locator(f'.cp-palette-item[data-widget-type="{widget_type}"]'),
        page.locator(f'[data-slot="{slot}"]'),
    )


def timed_drop(page, action):
    """Run ``action`` (a gesture that ends with a drop) and wait for the stored
    state; records the time from the drop (pointer up) to the editor showing
    the new version, measured in the page."""
    before = editor_version(page)
    page.evaluate(
        """() => {
          const editor = document.getElementById('compositepage-editor');
          window.__cpDrop = {};
          document.addEventListener('pointerup',
            () => { window.__cpDrop.start = performance.now(); },
            {capture: true, once: true});
          new MutationObserver((changes, observer) => {
            window.__cpDrop.end = performance.now();
            observer.disconnect();
          }).observe(editor, {attributes: true, attributeFilter: ['data-version']});
        }"""
    )
    action()
    wait_for_version(page, before)
    timing = page.evaluate("window.__cpDrop")
    DROP_TIMES.append((timing["end"] - timing["start"]) / 1000)


def drop_time_report():
    if not DROP_TIMES:
        return "no drops timed"
    times = sorted(DROP_TIMES)
    return (
        f"{len(times)} drops: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms (drop to stored state seen by the browser)"
    )


def settings_frame(page):
    page.wait_for_function("() => document.querySelector('.cp-settings-dialog').open")
    frame = page.frame_locator(".cp-settings-frame")
    frame.locator("form#form").wait_for()
    return frame


def save_settings(page, frame):
    frame.locator('[name="form.buttons.save"]').click()


def wait_dialog_closed(page):
    page.wait_for_function("() => !document.querySelector('.cp-settings-dialog').open")
    wait_idle(page)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def screenshot_viewport(page, name, scroll_to=None):
    """A screenshot of what the window shows (with ``scroll_to`` in view),
    for pages too long to show whole in the documentation."""
    if scroll_to is not None:
        scroll_to.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def close_and_press(dialog, close_action, placement_id, key):
    """Close ``dialog`` with its ``close_action`` button and press ``key`` on
    a block in one task, so that no frame comes between them: the dialog's
    close event, which browsers queue, comes after the key.  Waits for it."""
    closes = dialog.evaluate(
        """(dialog, [action, id, key]) => {
          window.cpCloses = 0;
          dialog.addEventListener('close', () => { window.cpCloses += 1; });
          dialog.querySelector(`[data-action="${action}"]`).click();
          const block = document.querySelector(
            `.cp-block[data-placement-id="${id}"]`);
          block.focus();
          block.dispatchEvent(new KeyboardEvent(
            'keydown', {key: key, bubbles: true, cancelable: true}));
          return window.cpCloses;
        }""",
        [close_action, placement_id, key],
    )
    # Were the close event fired at once, the caller would not test the race.
    assert closes == 0
    dialog.page.wait_for_function("() => window.cpCloses === 1")
