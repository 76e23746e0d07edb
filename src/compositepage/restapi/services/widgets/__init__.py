"""widgets endpoint."""
