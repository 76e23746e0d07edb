"""Errors of compositepage.api.

Their messages are message ids of the ``compositepage`` domain: ``str(error)``
is the English sentence, ``translated(error, request)`` the user's language.
"""

from zope.i18n import translate
from zope.i18nmessageid import MessageFactory


_ = MessageFactory("compositepage")


class Problem(Exception):
    """An exception whose first argument is a (translatable) message."""

    @property
    def message(self):
        return self.args[0] if self.args else ""

    def __str__(self):
        return translate(self.message)


class InvalidOperation(Problem, ValueError):
    """An operation that cannot be applied; the message says why."""


class StaleVersion(Problem):
    """The page changed since the version the caller saw."""

    def __init__(self, current_version, expected_version):
        self.current_version = current_version
        self.expected_version = expected_version
        super().__init__(
            _(
                "error_stale_version",
                default="The page is at version ${current}, not ${expected}: "
                "someone else changed it. Reload it and try again.",
                mapping={"current": current_version, "expected": expected_version},
            )
        )


def translated(error, request):
    """The message of ``error`` in the language of ``request``."""
    message = error.message if isinstance(error, Problem) else str(error)
    return translate(message, context=request)
