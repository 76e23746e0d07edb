"""The sentences of design mode's script, translated on the server.

The script has no English of its own: the design view gives it these,
in the editor's language, as JSON (``data-messages``).
"""

from compositepage import _
from compositepage.operations.checks import CONTAINER_IN_CONTAINER
from plone.memoize import ram
from zope.i18n import translate

import json


# What the editor's script says, by key.
MESSAGES = {
    "picked": _(
        "msg_picked",
        default="${type} picked up. Use the arrow keys to move it, Enter to "
        "drop it, Escape to cancel.",
    ),
    "placing": _(
        "msg_placing",
        default="New ${type}: use the arrow keys to choose its place, Enter "
        "to place it, Escape to cancel.",
    ),
    "placing_clip": _(
        "msg_placing_clip",
        default="${type} from the clipboard picked up: use the arrow keys to "
        "choose its place, Enter to paste it, Escape to cancel.",
    ),
    "position": _("msg_position", default="${slot}, position ${position} of ${count}."),
    "position_first": _(
        "msg_position_first",
        default="${slot}, position ${position} of ${count}: already the first.",
    ),
    "position_last": _(
        "msg_position_last",
        default="${slot}, position ${position} of ${count}: already the last.",
    ),
    "cancelled": _("msg_cancelled", default="Move cancelled."),
    "paste_cancelled": _("msg_paste_cancelled", default="Paste cancelled."),
    "add_cancelled": _(
        "msg_add_cancelled", default="Adding a new ${type} widget cancelled."
    ),
    "tray_hint": _(
        "msg_tray_hint",
        default="Not placed. Press the right arrow key to move it into "
        "the first slot that takes it.",
    ),
    "not_allowed": _(
        "msg_not_allowed", default="${slot} does not take ${type} widgets."
    ),
    "slot_full": _(
        "msg_slot_full", default="${slot} is full: it takes at most ${max} widgets."
    ),
    # The server's refusal, word for word.
    "container_in_container": CONTAINER_IN_CONTAINER,
    "no_slot": _(
        "msg_no_slot", default="No slot of this layout takes ${type} widgets."
    ),
    "stale": _(
        "msg_stale",
        default="This page was changed by someone else — your view has been refreshed.",
    ),
    "failed": _(
        "msg_failed",
        default="The change could not be saved. Your view shows what is stored.",
    ),
    "confirm_remove": _(
        "msg_confirm_remove",
        default="Remove this ${type} widget? You can undo it afterwards.",
    ),
    "settings_title": _("msg_settings_title", default="Settings of ${type}"),
    "new_title": _("msg_new_title", default="New ${type}"),
    "saved": _("msg_updated", default="Settings saved."),
    "block_label": _(
        "block_label",
        default="${type}: ${title}, ${position} of ${count} in ${slot}",
    ),
    "copied": _("msg_copied", default="${type} copied."),
    "cut": _("msg_cut", default="${type} cut. It moves where you paste it."),
    "clip_added": _(
        "msg_clip_added",
        default="${type} added to the clipboard, which holds ${count} widgets.",
    ),
    "clip_cleared": _("msg_clip_cleared", default="The clipboard is empty now."),
    "cut_taken": _(
        "msg_cut_taken",
        default="What was cut here was pasted on another page and has left this one.",
    ),
    "clip_empty": _(
        "msg_clip_empty",
        default="The clipboard is empty: copy or cut a widget first.",
    ),
    "paste_where": _(
        "msg_paste_where",
        default="Select a widget or a slot first: the clipboard is pasted "
        "after the widget, or at the end of the slot.",
    ),
    "clip_from": _("msg_clip_from", default="Copied from ${page}"),
    "clip_cut_from": _("msg_clip_cut_from", default="Cut from ${page}"),
    "clip_item": _("msg_clip_item", default="${type}: ${title}, on the clipboard"),
    "not_placed": _(
        "msg_not_placed",
        default="This widget is not placed: move it into a slot first.",
    ),
    "block_label_unplaced": _(
        "block_label_unplaced", default="${type}: ${title}, not placed"
    ),
}


# 25 translations per view made the design view of a small page as slow as
# its real view: they are made once per process and language.
@ram.cache(lambda function, request: str(request.get("LANGUAGE")))
def messages_json(request):
    """MESSAGES translated for ``request``, as JSON."""
    return json.dumps(
        {key: translate(value, context=request) for key, value in MESSAGES.items()}
    )
