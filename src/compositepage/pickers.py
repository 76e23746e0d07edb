"""The content pickers of widget settings (an image, a teaser's item).

Plone's related-items pattern browses one folder at a time, and a title
typed there is looked for in that folder only ("browse" mode) until the
editor clicks Search.  Our pickers start in the page's folder and, in the
pattern's ``auto`` mode, search as soon as something is typed; their path
operation (``pathOperator``, a plone.app.querystring operation registered in
registry.xml) keeps browsing in the folder shown and widens a search to the
whole site.
"""

from compositepage.widget import CATALOG_VOCABULARY
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.base.navigationroot import get_navigation_root
from zope import schema


# The operation's name, as the pattern sends it; registry.xml names its
# function in "<name>.operation".
PICKER_PATH = "compositepage.picker_path"

PICKER_OPTIONS = {
    "mode": "auto",
    "pathOperator": PICKER_PATH,
    "recentlyUsed": True,
}


def content_choice(title, description):
    """A required setting holding one item of the site (its UID)."""
    return schema.Choice(
        title=title,
        description=description,
        vocabulary=CATALOG_VOCABULARY,
        required=True,
    )


def picker(**options):
    """The arguments of ``directives.widget(name, **picker())``: our content
    picker for a ``content_choice``, with more pattern ``options``."""
    return {
        "widget_class": RelatedItemsFieldWidget,
        "vocabulary": CATALOG_VOCABULARY,
        "pattern_options": {**PICKER_OPTIONS, **options},
    }


def picker_path(context, row):
    """The path criterion of a picker's query.

    The pattern sends ``<path>::1`` while browsing (the folder's items) and
    ``<path>`` while searching: a search covers the site (its navigation
    root) whichever folder is shown.
    """
    value = row.values if isinstance(row.values, str) else ""
    path, _, depth = value.partition("::")
    if not depth:
        return {row.index: {"query": [get_navigation_root(context)]}}
    try:
        depth = max(0, min(int(depth), 10))
    except ValueError:
        depth = 1
    return {row.index: {"query": [path], "depth": depth}}
