"""The listing widget: the result of a collection-style search of the site."""

from compositepage import _
from compositepage import logger
from compositepage.widget import DesignStub
from compositepage.widget import WidgetRenderer
from compositepage.widgets.common import card_image
from plone.app.z3cform.widgets.querystring import QueryStringFieldWidget
from plone.autoform import directives
from plone.registry.interfaces import IRegistry
from plone.supermodel import model
from ZODB.POSException import ConflictError
from zope import schema
from zope.component import getMultiAdapter
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema.interfaces import IVocabularyFactory


FIELD = "plone.app.querystring.field.{}.{}"
MOST_ROWS_DRAWN = 12


class IListingSettings(model.Schema):
    query = schema.List(
        title=_("label_listing_query", default="Search terms"),
        description=_(
            "help_listing_query",
            default="Which items to list, by what they must match.",
        ),
        value_type=schema.Dict(key_type=schema.TextLine(), value_type=schema.Field()),
        required=True,
    )
    directives.widget("query", QueryStringFieldWidget)
    sort_on = schema.TextLine(
        title=_("label_listing_sort_on", default="Sort on"),
        required=False,
    )
    sort_reversed = schema.Bool(
        title=_("label_listing_sort_reversed", default="Reversed order"),
        required=False,
        default=False,
    )
    limit = schema.Int(
        title=_("label_listing_limit", default="Number of items"),
        default=10,
        min=1,
        max=100,
        required=True,
    )
    style = schema.Choice(
        title=_("label_listing_style", default="Style"),
        vocabulary="compositepage.ListingStyles",
        default="list",
        required=True,
    )

    @invariant
    def query_uses_known_criteria(data):
        registry = queryUtility(IRegistry)
        for row in getattr(data, "query", None) or ():
            index, operation = row.get("i"), row.get("o")
            if not isinstance(index, str) or not isinstance(operation, str):
                raise Invalid(
                    _(
                        "error_listing_row",
                        default="Each search term needs an index ('i') and an "
                        "operation ('o').",
                    )
                )
            operations = registry.get(FIELD.format(index, "operations"))
            if not operations or operation not in operations:
                raise Invalid(
                    _(
                        "error_listing_criterion",
                        default="The search term '${index}' with '${operation}' is "
                        "not one this site offers.",
                        mapping={"index": index, "operation": operation},
                    )
                )
            value = row.get("v")
            if value is not None and not isinstance(value, (str, list)):
                raise Invalid(
                    _(
                        "error_listing_value",
                        default="The value of a search term must be text or a list.",
                    )
                )
        sort_on = getattr(data, "sort_on", None)
        if sort_on and not registry.get(FIELD.format(sort_on, "sortable")):
            raise Invalid(
                _(
                    "error_listing_sort_on",
                    default="The site cannot sort on '${index}'.",
                    mapping={"index": sort_on},
                )
            )


class ListingRenderer(WidgetRenderer):
    def update(self):
        settings = self.settings
        builder = getMultiAdapter(
            (self.context, self.request), name="querybuilderresults"
        )
        limit = settings.get("limit") or 10
        # The query runs as the current user: only items they may see.
        results = builder(
            query=settings.get("query") or [],
            sort_on=settings.get("sort_on") or None,
            sort_order="reverse" if settings.get("sort_reversed") else None,
            limit=limit,
            batch=False,
            brains=True,
        )
        self.cards = settings.get("style") == "cards"
        self.items = [
            {
                "title": brain.Title,
                "description": brain.Description,
                "url": brain.getURL(),
                "image": card_image(self.request, brain) if self.cards else None,
            }
            for brain in results[:limit]
        ]


def _titles(index, values):
    """The words an editor chose for criterion values: the titles of the
    search criterion's vocabulary ("News Item" for ``News Item``,
    "Published" for ``published``), translated; a value the vocabulary
    does not know stays as it is."""
    registry = queryUtility(IRegistry)
    name = registry.get(FIELD.format(index, "vocabulary")) if registry else None
    factory = queryUtility(IVocabularyFactory, name) if name else None
    if factory is None:
        return [str(value) for value in values]
    try:
        vocabulary = factory(getSite())
    except ConflictError:
        raise
    except Exception:
        # A vocabulary is other code: a design stub never fails for it.
        logger.warning("The vocabulary %s failed", name, exc_info=True)
        return [str(value) for value in values]
    request = getRequest()
    titles = []
    for value in values:
        try:
            term = vocabulary.getTerm(value)
        except (LookupError, TypeError, ValueError):
            titles.append(str(value))
            continue
        title = term.title or term.token
        titles.append(translate(title, context=request) if request else str(title))
    return titles


def _summary(settings):
    """What a listing lists, in a few words: its criteria's values."""
    values = []
    for row in settings.get("query") or ():
        if not isinstance(row, dict):
            continue
        value = row.get("v")
        if not isinstance(value, list):
            value = [value] if value else []
        values.extend(_titles(row.get("i"), value))
    return ", ".join(values)


def stub(settings, references):
    return DesignStub(
        kind="listing",
        title=_summary(settings),
        rows=min(MOST_ROWS_DRAWN, settings.get("limit") or 10),
        aspect=1.0 if settings.get("style") == "cards" else None,
    )
