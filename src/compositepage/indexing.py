"""Keeping the catalog up to date with changes of a composition.

Only Plone's public API: ``reindexObject`` with the indexes a change can
alter, through Plone's indexing queue (so integrations that hook into it,
such as Solr or Elasticsearch, see every change), and plone.indexer for the
values (``compositepage.indexers``).  A change of the composition alone
alters the page's modification date and, unless it only moves widgets
within plain slots, the text site search finds.
"""


def reindex(obj: object, text_changed: bool = True) -> None:
    """Queue the catalog update of ``obj`` after a change of its composition.

    The metadata columns are recomputed as for any ``reindexObject``; that
    is what any change of a page costs (see docs/benchmarks.md).

    :param obj: The composite page, its modification date already set.
    :param text_changed: Whether the change may alter what search finds.
    """
    indexes = ["modified", "SearchableText"] if text_changed else ["modified"]
    obj.reindexObject(idxs=indexes)
