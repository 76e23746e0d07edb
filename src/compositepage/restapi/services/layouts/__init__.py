"""layouts endpoint."""
