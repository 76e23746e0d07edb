"""Two editors on one page, in two real browser contexts (Debian's Chromium):
a settings save after an unrelated change applies; after the widget was
removed, or its settings changed by the other, the dialog stays open with
the input, says who did what, and offers the next step.  (Issue 15, items
1 and 2.)"""

from browser import block
from browser import block_ids
from browser import editor_version
from browser import settings_frame
from browser import wait_dialog_closed
from browser import wait_for_version
from playwright.sync_api import expect
from plone import api
from test_editor import design
from test_editor import make
from test_editor import stored_texts

import pytest
import transaction


pytestmark = pytest.mark.browser


@pytest.fixture
def two(site):
    """A page with headings One and Two, and two editors with names."""
    with api.env.adopt_roles(["Manager"]):
        for userid, fullname in (
            ("editor", "Erika Editor"),
            ("siteadmin", "Sam Admin"),
        ):
            api.user.get(userid=userid).setMemberProperties({"fullname": fullname})
    return make(site, "two-columns", {"main": ["One", "Two"]})


def open_settings(page, placement_id, text):
    block(page, placement_id).focus()
    page.keyboard.press("e")
    frame = settings_frame(page)
    field = frame.locator('[name="form.widgets.text"]')
    field.fill(text)
    return frame


def move_to_aside(page, placement_id):
    before = editor_version(page)
    block(page, placement_id).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_for_version(page, before)


def test_a_save_after_an_unrelated_move_applies(site, browse, two):
    page_b = design(browse, user="siteadmin")
    one, second = block_ids(page_b, "main")
    frame = open_settings(page_b, one, "Typed by Sam")
    page_a = design(browse, user="editor")
    move_to_aside(page_a, second)
    frame.locator('[name="form.buttons.save"]').click()
    wait_dialog_closed(page_b)
    assert stored_texts(two, "main") == ["Typed by Sam"]
    assert stored_texts(two, "aside") == ["Two"]
    # Sam's floor plan shows both changes (once it has read the page again,
    # right after the dialog closed).
    expect(
        page_b.locator('[data-slot="aside"] > .cp-blocks > .cp-block')
    ).to_have_count(1)
    assert block_ids(page_b, "aside") == [second]
    assert "Typed by Sam" in block(page_b, one).inner_text()


def test_a_save_after_the_widget_was_removed(site, browse, two):
    page_b = design(browse, user="siteadmin")
    one, _second = block_ids(page_b, "main")
    frame = open_settings(page_b, one, "Typed by Sam")
    page_a = design(browse, user="editor")
    before = editor_version(page_a)
    block(page_a, one).focus()
    page_a.keyboard.press("Delete")
    page_a.locator('.cp-confirm-dialog [data-action="confirm-remove"]').click()
    wait_for_version(page_a, before)

    frame.locator('[name="form.buttons.save"]').click()
    # No error page: the dialog stays, with the input and a sentence.
    frame.locator("text=Erika Editor removed this widget").wait_for()
    assert page_b.evaluate("document.querySelector('.cp-settings-dialog').open")
    expect(frame.locator('[name="form.widgets.text"]')).to_have_value("Typed by Sam")
    # The floor plan behind it shows the page as it is now.
    page_b.wait_for_function(
        f"() => !document.querySelector('.cp-block[data-placement-id=\"{one}\"]')"
    )
    assert stored_texts(two, "main") == ["Two"]
    # The next step: add it again, with Sam's settings, where it was.
    frame.locator('[name="form.buttons.readd"]').click()
    wait_dialog_closed(page_b)
    assert stored_texts(two, "main") == ["Typed by Sam", "Two"]


def test_two_saves_of_one_widget_never_overwrite_silently(site, browse, two):
    page_a = design(browse, user="editor")
    page_b = design(browse, user="siteadmin")
    one, _second = block_ids(page_a, "main")
    frame_a = open_settings(page_a, one, "Erika's text")
    frame_b = open_settings(page_b, one, "Sam's text")
    frame_a.locator('[name="form.buttons.save"]').click()
    wait_dialog_closed(page_a)
    frame_b.locator('[name="form.buttons.save"]').click()
    frame_b.locator("text=Erika Editor changed the settings of this widget").wait_for()
    assert stored_texts(two, "main") == ["Erika's text", "Two"]
    expect(frame_b.locator('[name="form.widgets.text"]')).to_have_value("Sam's text")
    # Sam chooses: save over Erika's change.
    frame_b.locator('[name="form.buttons.overwrite"]').click()
    wait_dialog_closed(page_b)
    transaction.begin()
    assert stored_texts(two, "main") == ["Sam's text", "Two"]
