"""The REST API of compositepage (plone.restapi services)."""
