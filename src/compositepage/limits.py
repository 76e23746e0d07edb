"""Caps on what one request or one page may hold.

They keep every write fast and every page renderable; going beyond one is
refused with a sentence that names the cap.
"""

# A single-line setting (title, alt text, address) and a text setting.
MAX_LINE_LENGTH = 1_000
MAX_TEXT_LENGTH = 100_000
# All settings of one widget, measured as JSON.
MAX_SETTINGS_BYTES = 200_000
# Items in a list setting, and nesting of lists and dicts in settings.
MAX_LIST_ITEMS = 100
MAX_DEPTH = 6
# Order keys grow when a position is split again and again; beyond this the
# keys of the slot are respaced.
MAX_ORDER_KEY_LENGTH = 48
# One JSON request to the REST API or the editor.
MAX_REQUEST_BYTES = 256 * 1024
MAX_JSON_DEPTH = 16
MAX_OPERATIONS = 50
