"""Layouts: value objects made by the ``<compositepage:layout>`` directive."""

from compositepage.interfaces import ILayout
from compositepage.interfaces import ISlot
from dataclasses import dataclass
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer

import re


SLOT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


@implementer(ISlot)
@dataclass(frozen=True)
class Slot:
    name: str
    title: str
    allowed: frozenset | None = None
    max: int | None = None

    def accepts(self, widget_type):
        """Whether the slot's rules let ``widget_type`` (a name) in."""
        return self.allowed is None or widget_type in self.allowed


@implementer(ILayout)
class Layout:
    """A layout: its slots and its two templates, never changed once made.

    The object is also its own adapter factory: the directive registers it as
    the named multi-adapter of (content, request) to ILayout, and the lookup
    returns this very object for whichever browser layer fits best.
    """

    def __init__(
        self,
        name,
        title,
        slots,
        template,
        design_template,
        description="",
        icon=None,
    ):
        self.name = name
        self.title = title
        self.description = description
        self.icon = icon
        self.slots = tuple(slots)
        self.template = template
        self.design_template = design_template
        self._by_name = {slot.name: slot for slot in self.slots}
        self._real = ViewPageTemplateFile(template)
        self._design = ViewPageTemplateFile(design_template)

    def __call__(self, context, request):
        return self

    def __repr__(self):
        return f"<Layout {self.name!r} {list(self._by_name)}>"

    def get_slot(self, name):
        return self._by_name.get(name)

    def render_real(self, view):
        return self._real(view)

    def render_design(self, view):
        return self._design(view)
