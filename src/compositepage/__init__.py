"""compositepage: compose Plone pages from widgets in the slots of a layout."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "compositepage"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
