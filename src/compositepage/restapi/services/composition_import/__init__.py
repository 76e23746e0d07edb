"""composition_import endpoint."""
