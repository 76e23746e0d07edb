"""The Composite Page content type."""

from plone.supermodel import model


class ICompositePage(model.Schema):
    """Schema of the Composite Page type: everything comes from behaviors."""
