"""Views of compositepage."""

from Products.CMFPlone.resources import add_bundle_on_request


# The editor's script and stylesheet (registry.xml), for the design view and
# the settings form only: visitors' pages never load them.
BUNDLE = "compositepage-editor"


def add_editor_bundle(request):
    """Load the editor's script and stylesheet on the page of ``request``."""
    add_bundle_on_request(request, BUNDLE)
