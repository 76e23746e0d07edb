"""Placements follow Plone's versioning: a reverted page gets its placements back."""

from compositepage import api as cp
from plone import api


def test_revert_restores_placements(portal):
    from helpers import make_page

    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="versioned", layout="two-columns")
        first = cp.add_widget(page, "main", "heading", {"text": "First version"})
        repository.save(page, comment="first")
        saved = cp.get_composition(page)
        cp.update_widget(page, first, {"text": "Changed later"})
        cp.add_widget(page, "aside", "richtext", {"text": "<p>Later</p>"})
        cp.set_layout(page, "one-column")
        assert cp.get_composition(page) != saved
        version_id = (
            repository.getHistoryMetadata(page).getLength(countPurged=False) - 1
        )
        repository.revert(page, version_id)
    reverted = cp.get_composition(page)
    assert reverted["layout"] == "two-columns"
    assert reverted["slots"] == saved["slots"]
    # The reverted page can be edited again.
    with api.env.adopt_roles(["Manager"]):
        cp.add_widget(page, "main", "heading", {"text": "After revert"})
    texts = [w["settings"]["text"] for w in cp.get_composition(page)["slots"]["main"]]
    assert texts == ["First version", "After revert"]
