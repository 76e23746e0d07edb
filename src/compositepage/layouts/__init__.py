"""The built-in layouts: each a real template and its design template."""
