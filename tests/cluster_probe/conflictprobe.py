"""Loaded only into the cluster tests' throw-away instances: log every
request that Zope's publisher retries after a ZODB ConflictError, so the
tests count real conflicts rather than guess them."""

from ZODB.POSException import ConflictError

import logging


logger = logging.getLogger("compositepage.conflictprobe")


def retried(event):
    error = event.exc_info[1]
    if event.retry and isinstance(error, ConflictError):
        logger.info("retried ConflictError: %s", event.request.get("PATH_INFO"))
