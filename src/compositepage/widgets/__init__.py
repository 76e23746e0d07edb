"""The built-in widget types: one module each (schema, renderer, design stub)."""
