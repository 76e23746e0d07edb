"""The columns widget: a row of columns, each a slot of its own.

Editors make the columns themselves: the widget's ``layout`` picks the grid,
and its columns ``col-1`` … ``col-4`` take widgets as a page's slots do.  A
widget in a column is placed in the slot ``"<columns placement id>/col-N"``.
On the real page the row is a Bootstrap grid that stacks on phones.
"""

from compositepage import _
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from plone.supermodel import model
from zope import schema
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# Grid name -> the Bootstrap widths (of 12) of its columns.
GRIDS = {
    "50-50": (6, 6),
    "33-33-33": (4, 4, 4),
    "66-33": (8, 4),
    "33-66": (4, 8),
    "25-75": (3, 9),
    "75-25": (9, 3),
    "25-25-25-25": (3, 3, 3, 3),
}
GRID_TITLES = {
    "50-50": _("grid_50_50", default="Two equal columns"),
    "33-33-33": _("grid_33_33_33", default="Three equal columns"),
    "66-33": _("grid_66_33", default="Wide and narrow"),
    "33-66": _("grid_33_66", default="Narrow and wide"),
    "25-75": _("grid_25_75", default="Quarter and three quarters"),
    "75-25": _("grid_75_25", default="Three quarters and quarter"),
    "25-25-25-25": _("grid_25_25_25_25", default="Four equal columns"),
}


class IColumnsSettings(model.Schema):
    layout = schema.Choice(
        title=_("label_columns_layout", default="Columns"),
        description=_(
            "help_columns_layout",
            default="How the row is divided. With fewer columns, the widgets "
            "of the columns that go move into the last one.",
        ),
        vocabulary=SimpleVocabulary(
            [SimpleTerm(name, name, GRID_TITLES[name]) for name in GRIDS]
        ),
        default="50-50",
        required=True,
    )


def widths(settings):
    return GRIDS.get(settings.get("layout"), GRIDS["50-50"])


def column(number):
    return _("column_title", default="column ${number}", mapping={"number": number})


class ColumnsRenderer(WidgetRenderer):
    """A Bootstrap row; each column renders its slot as the page does, in
    the same pass (``render_slot`` is given by the view)."""

    @classmethod
    def sub_slots(cls, settings):
        return [
            (f"col-{number}", column(number))
            for number in range(1, len(widths(settings)) + 1)
        ]

    def render(self):
        columns = "".join(
            f'<div class="col-12 col-md-{width}">{self.render_slot(f"col-{number}")}</div>'
            for number, width in enumerate(widths(self.settings), start=1)
        )
        # Bootstrap's vertical gutter keeps stacked columns apart on phones
        # (and the next widget below the row).
        return f'<div class="row gy-3 mb-3 compositepage-columns">{columns}</div>'

    @classmethod
    def derive(cls, settings, context, schema):
        # Its columns' widgets have their own text for search.
        return {}


def stub(settings, references):
    return DesignStub(
        kind="columns",
        title=GRID_TITLES.get(settings.get("layout"), ""),
        widths=widths(settings),
    )
