"""Errors of compositepage.api, importable without Plone."""


class InvalidOperation(ValueError):
    """An operation that cannot be applied; the message says why."""


class StaleVersion(Exception):
    """The page changed since the version the caller saw."""

    def __init__(self, current_version, expected_version):
        self.current_version = current_version
        self.expected_version = expected_version
        super().__init__(
            f"The page is at version {current_version}, not {expected_version}: "
            "someone else changed it. Reload it and try again."
        )
