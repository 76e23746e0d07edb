"""A block of design mode's floor plan: the one definition of its markup.

A block stands for a placement.  It is drawn from the widget type's design
stub (never the widget's real renderer): the type's icon, colour and title,
the stub's title, and fuzzy lines, an image box or listing rows.  Its
buttons (Settings, Remove, Copy, Cut, Paste, Duplicate), the same in every block,
are one template of the design view (``TOOLS``) that the script copies
into each block; the label saying where a block is ("Text: Intro, 2 of 5
in Main") is set by the script too, so a block's markup is the same
wherever it sits.

Built with Python string formatting rather than a page template: a floor
plan of hundreds of blocks is most of the design view.  Attributes are in
single quotes, which JSON (the view sends blocks in a JSON state) carries as
they are.
"""

from compositepage import _
from compositepage import logger
from compositepage.browser.icons import icon_name
from compositepage.widget import DesignStub
from html import escape
from ZODB.POSException import ConflictError
from zope.i18n import translate

import zlib


MOST_LINES_DRAWN = 24
# How a type no longer registered is drawn: in grey, with a question mark.
UNKNOWN_TYPE = {"icon": "question-circle", "colour": "#6c757d"}
# The icon of a block's warning that content it shows is gone.
WARNING_ICON = "exclamation-triangle"

# The buttons every block has, copied into each by the script: a template
# of the design view (design.pt renders TOOLS once).  The clipboard's
# buttons show an icon (of the page's sprite, TOOL_ICONS) and are named by
# their label and tooltip: six words would crowd a block in a column.  They
# wrap as one group.  Settings and Remove carry an icon too, shown instead
# of their words in a narrow slot (editor.css), where the words took a row
# each.
TOOLS = (
    "<template id='cp-block-tools'><span class='cp-block-tools'>"
    "<button type='button' class='cp-tool' tabindex='-1' data-action='edit'"
    " aria-label='{settings}' title='{settings}'>{settings_icon}"
    "<span class='cp-tool-label'>{settings}</span></button>"
    "<button type='button' class='cp-tool' tabindex='-1' data-action='remove'"
    " aria-label='{remove}' title='{remove}'>{remove_icon}"
    "<span class='cp-tool-label'>{remove}</span></button>"
    "<span class='cp-tool-group'>{clipboard}</span></span></template>"
)
ICON = (
    "<svg class='cp-icon' aria-hidden='true'><use href='#cp-icon-{icon}'></use></svg>"
)
ICON_TOOL = (
    "<button type='button' class='cp-tool cp-tool-icon' tabindex='-1'"
    " data-action='{action}' aria-label='{label}' title='{hint}'>" + ICON + "</button>"
)
SETTINGS_ICON = "gear"
REMOVE_ICON = "trash"
# Action: (icon, label, tooltip).
CLIPBOARD_TOOLS = {
    "copy": (
        "plone-copy",
        _("button_copy", default="Copy"),
        _(
            "help_copy",
            default="Copy (Ctrl+C); with Shift, add it to what the clipboard holds",
        ),
    ),
    "cut": (
        "plone-cut",
        _("button_cut", default="Cut"),
        _(
            "help_cut",
            default="Cut (Ctrl+X): it moves where you paste it; with Shift, "
            "add it to what the clipboard holds",
        ),
    ),
    "paste": (
        "plone-paste",
        _("button_paste_after", default="Paste after it"),
        _(
            "help_paste_after",
            default="Paste what the clipboard holds after this widget (Ctrl+V)",
        ),
    ),
    "duplicate": (
        "files",
        _("button_duplicate", default="Duplicate"),
        _("help_duplicate", default="Duplicate: a copy right after it"),
    ),
}
TOOL_ICONS = {icon for icon, _label, _hint in CLIPBOARD_TOOLS.values()} | {
    SETTINGS_ICON,
    REMOVE_ICON,
}


def tools(request):
    """The buttons' template, in the editor's language."""
    clipboard = "".join(
        ICON_TOOL.format(
            action=action,
            icon=icon,
            label=escape(translate(label, context=request)),
            hint=escape(translate(hint, context=request)),
        )
        for action, (icon, label, hint) in CLIPBOARD_TOOLS.items()
    )
    return TOOLS.format(
        settings=escape(
            translate(_("button_settings", default="Settings"), context=request)
        ),
        remove=escape(translate(_("button_remove", default="Remove"), context=request)),
        clipboard=clipboard,
        settings_icon=ICON.format(icon=SETTINGS_ICON),
        remove_icon=ICON.format(icon=REMOVE_ICON),
    )


def widths(seed):
    """Width of a block's fuzzy lines and of its last line (percent): varied
    between blocks, stable for a placement."""
    digest = zlib.crc32(seed.encode())
    return 80 + digest % 21, 35 + (digest >> 8) % 30


def number(value, default, least, most):
    """A number from a design stub (integrator code), kept within bounds."""
    kind = type(default)
    try:
        value = kind(value or default)
    except (TypeError, ValueError, OverflowError):
        return default
    if value != value:  # NaN
        return default
    return min(most, max(least, value)) if value else default


def stub_of(widget_type, placement, references):
    """The design stub of a placement, from its widget type."""
    if widget_type is None:
        return DesignStub(kind="missing", lines=2)
    try:
        stub = widget_type.stub(placement.settings, references)
    except ConflictError:
        raise
    except Exception:
        # A design stub is integrator code too: never let it break the editor.
        logger.exception("Design stub of %s failed", widget_type.name)
        stub = None
    if not isinstance(stub, DesignStub):
        return DesignStub(kind="text", lines=3)
    return stub


def columns(widths):
    """The opening tag of a container's row of drop zones.

    Each column takes its share of the row (``widths``, e.g. ``(8, 4)``), as
    on the real page.  The row stacks where its narrowest column would be
    narrower than a block can be drawn in: editor.css queries the block's
    width for each ``cp-narrowest-N`` (N: that column's share, in twelfths).
    """
    try:
        shares = [number(width, 1, 1, 12) for width in tuple(widths)[:12]]
    except TypeError:  # a stub's widths that are not a sequence
        shares = []
    shares = shares or [1]
    template = " ".join(f"minmax(0, {share}fr)" for share in shares)
    narrowest = min(shares) * 12 // sum(shares)
    return (
        f"<div class='cp-columns cp-narrowest-{narrowest}'"
        f" style='--cp-columns: {template}'>"
    )


def markup(placement, stub, style, known, own_icon, missing="", broken="", inner=""):
    """One block, as markup.

    :param placement: The placement the block stands for.
    :param stub: Its ``DesignStub``.
    :param style: Its type's ``{"title", "icon", "colour", "role"}``.
    :param known: Whether its type is registered (else it can be moved or
        removed, not edited, and shows ``missing``).
    :param own_icon: Whether the site has the icon the stub names for the
        block (else the block shows its type's).
    :param missing: What a block of a type no longer registered says.
    :param broken: The warning of a block whose content (a teaser's target,
        an image) was deleted or cannot be seen; "" when all is there.
    :param inner: The drop zones of a container's own slots (columns).
    """
    title = " ".join(str(stub.title or "").split())
    if len(title) > 80:
        title = title[:79] + "…"
    kind = icon_name(stub.kind or "text")
    # An icon of the block's own (a heading its level's), if the site has it.
    own = icon_name(str(stub.icon or "")) if known and stub.icon else ""
    icon = own if own and own_icon else style["icon"]
    attributes = f" data-icon='{own}'" if own else ""
    if known:
        attributes += " data-editable='true'"
    warning_id = f"cp-broken-{escape(placement.id)}"
    if broken:
        attributes += f" aria-describedby='{warning_id}'"
    parts = [
        f"<li class='cp-block cp-kind-{kind}{' cp-block-broken' if broken else ''}'"
        " tabindex='0'"
        f" data-placement-id='{escape(placement.id)}'"
        f" data-widget-type='{escape(placement.widget_type)}'{attributes}"
        f" aria-roledescription='{escape(style['role'])}'"
        f" style='--cp-colour: {escape(style['colour'])}'>"
        f"<div class='cp-block-head'>{ICON.format(icon=icon)}"
        f"<span class='cp-block-type'>{escape(style['title'])}</span>"
        f"<span class='cp-block-title'>{escape(title)}</span></div>"
    ]
    aspect = number(stub.aspect, 0.0, 0.05, 20.0)
    if stub.kind in ("image", "embed", "teaser") and aspect:
        width = number(stub.width, 0, 16, 4000)
        most = f";max-width:{width}px" if width else ""
        parts.append(
            f"<div class='cp-box' style='aspect-ratio:{aspect:.4g}{most}'></div>"
        )
    lines = number(stub.lines, 0, 0, MOST_LINES_DRAWN)
    if lines:
        width, last = widths(placement.id)
        if lines == 1:
            last = 100
        level = (
            f" cp-level-{number(stub.level, 2, 2, 4)}" if stub.kind == "heading" else ""
        )
        parts.append(
            f"<div class='cp-lines{level}' style='--cp-lines:{lines};"
            f"--cp-width:{width}%;--cp-last:{last}%'></div>"
        )
    rows = number(stub.rows, 0, 0, 12)
    if rows:
        parts.append(f"<div class='cp-rows' style='--cp-rows:{rows}'></div>")
    if not known:
        parts.append(f"<p class='cp-missing'>{missing}</p>")
    if broken:
        parts.append(
            f"<p class='cp-broken' id='{warning_id}'>{ICON.format(icon=WARNING_ICON)}"
            f"<span>{broken}</span></p>"
        )
    if inner:
        # The wrapper is what the columns' container queries measure.
        parts.append(f"<div class='cp-inner'>{columns(stub.widths)}{inner}</div></div>")
    parts.append("</li>")
    return "".join(parts)
