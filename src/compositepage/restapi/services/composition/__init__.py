"""composition endpoint."""
