"""One subpackage per endpoint."""
