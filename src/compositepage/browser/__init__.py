"""Views of compositepage."""
