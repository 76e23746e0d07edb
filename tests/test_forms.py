"""The control panel and the layout field of the add and edit forms, over HTTP."""

from compositepage import api as cp
from plone import api

import re
import transaction


def authenticator(html):
    return re.search(r'name="_authenticator"[^>]*value="([^"]+)"', html).group(1)


def controlpanel_form(site, **changes):
    form = {
        "form.widgets.enabled_layouts:list": ["one-column", "two-columns", "landing"],
        "form.widgets.enabled_layouts-empty-marker": "1",
        "form.widgets.default_layout:list": "one-column",
        "form.widgets.default_layout-empty-marker": "1",
        "form.widgets.enabled_widget_types:list": ["heading", "richtext"],
        "form.widgets.enabled_widget_types-empty-marker": "1",
        "form.widgets.embed_allowlist": "https://player.vimeo.com/video/",
        "form.widgets.history_length": "20",
        "form.widgets.max_widgets_per_page": "300",
        "form.buttons.save": "Save",
    }
    form.update(changes)
    return form


def test_controlpanel_is_for_site_administrators(site):
    assert site.get("@@compositepage-controlpanel", user="siteadmin").status_code == 200
    for user in (None, "editor", "member"):
        response = site.get("@@compositepage-controlpanel", user=user)
        assert response.status_code in (302, 401, 403), user
    assert (
        "compositepage-controlpanel"
        in site.get("@@overview-controlpanel", user="siteadmin").text
    )


def test_controlpanel_saves_valid_settings(site):
    page = site.get("@@compositepage-controlpanel", user="siteadmin")
    form = controlpanel_form(site, _authenticator=authenticator(page.text))
    response = site.post("@@compositepage-controlpanel", user="siteadmin", data=form)
    assert response.status_code == 302
    assert (
        "Changes saved"
        in site.get("@@compositepage-controlpanel", user="siteadmin").text
    )
    transaction.begin()
    assert api.portal.get_registry_record("compositepage.history_length") == 20
    assert api.portal.get_registry_record("compositepage.enabled_widget_types") == [
        "heading",
        "richtext",
    ]


def test_controlpanel_keeps_the_palette_order(site):
    """The form saves the ticked widget types in the order of its checkboxes:
    they follow the palette, so saving unchanged settings changes nothing."""
    palette = [wt.name for wt in cp.get_widget_types()]
    assert palette[:2] == ["heading", "richtext"]  # not by name
    html = site.get("@@compositepage-controlpanel", user="siteadmin").text
    boxes = re.findall(
        r'<input[^>]*name="form\.widgets\.enabled_widget_types:list"[^>]*>', html
    )
    values = [re.search(r'value="([^"]+)"', box).group(1) for box in boxes]
    assert values[: len(palette)] == palette


def test_controlpanel_refuses_bad_settings(site):
    before = {
        name: api.portal.get_registry_record(f"compositepage.{name}")
        for name in ("embed_allowlist", "history_length", "default_layout")
    }
    token = authenticator(
        site.get("@@compositepage-controlpanel", user="siteadmin").text
    )
    for changes, message in (
        ({"form.widgets.embed_allowlist": "javascript:alert(1)"}, "https://"),
        (
            {"form.widgets.history_length": "100000"},
            "The largest value allowed is 500.",
        ),
        (
            {
                "form.widgets.enabled_layouts:list": ["landing"],
                "form.widgets.default_layout:list": "one-column",
            },
            "must be one of the enabled layouts",
        ),
    ):
        form = controlpanel_form(site, _authenticator=token, **changes)
        response = site.post(
            "@@compositepage-controlpanel", user="siteadmin", data=form
        )
        assert response.status_code == 200
        assert message in response.text, message
        assert "Changes saved" not in response.text
    transaction.begin()
    after = {
        name: api.portal.get_registry_record(f"compositepage.{name}") for name in before
    }
    assert after == before


def test_controlpanel_needs_csrf_token(site):
    form = controlpanel_form(site)
    site.post("@@compositepage-controlpanel", user="siteadmin", data=form)
    # plone.protect aborts the transaction of a write without a token.
    transaction.begin()
    assert api.portal.get_registry_record("compositepage.history_length") == 50


def test_add_form_sets_the_layout(site):
    add = site.get("++add++Composite Page", user="siteadmin")
    assert add.status_code == 200
    assert "form.widgets.ICompositeBehavior.composite_layout" in add.text
    form = {
        "form.widgets.IDublinCore.title": "Added page",
        "form.widgets.ICompositeBehavior.composite_layout:list": "landing",
        "form.widgets.ICompositeBehavior.composite_layout-empty-marker": "1",
        "form.buttons.save": "Save",
        "_authenticator": authenticator(add.text),
    }
    response = site.post("++add++Composite Page", user="siteadmin", data=form)
    assert response.status_code == 302, response.text[:2000]
    transaction.begin()
    page = site.portal["added-page"]
    assert cp.get_composition(page)["layout"] == "landing"


def test_edit_form_switches_layout_undoably(site):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout="two-columns")
        cp.add_widget(page, "aside", "heading", {"text": "Aside"})
    transaction.commit()
    edit = site.get("page/@@edit", user="siteadmin")
    form = {
        "form.widgets.IDublinCore.title": "A composite page",
        "form.widgets.ICompositeBehavior.composite_layout:list": "one-column",
        "form.widgets.ICompositeBehavior.composite_layout-empty-marker": "1",
        "form.buttons.save": "Save",
        "_authenticator": authenticator(edit.text),
    }
    assert site.post("page/@@edit", user="siteadmin", data=form).status_code == 302
    transaction.begin()
    composition = cp.get_composition(site.portal["page"])
    assert composition["layout"] == "one-column"
    assert [w["settings"]["text"] for w in composition["unplaced"]] == ["Aside"]
    assert composition["can_undo"]


def test_editor_cannot_change_the_layout_field(site):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page", layout="two-columns")
        api.user.grant_roles(username="editor", obj=page, roles=["Editor"])
    transaction.commit()
    edit = site.get("page/@@edit", user="editor")
    assert edit.status_code == 200
    assert (
        'name="form.widgets.ICompositeBehavior.composite_layout:list"' not in edit.text
    )


def test_image_sizes_are_named_by_what_an_editor_gets(portal):
    """The image widget's Size offers "Preview: 400 px wide", smallest
    first, not Plone's "preview 400x65536"."""
    from compositepage.widgets.image import IImageSettings
    from zope.component import getUtility
    from zope.i18n import translate
    from zope.schema.interfaces import IVocabularyFactory

    vocabulary = getUtility(IVocabularyFactory, "compositepage.ImageScales")(portal)
    titles = {term.value: translate(term.title) for term in vocabulary}
    assert titles["preview"] == "Preview: 400 px wide"
    assert titles["thumb"] == "Thumbnail: up to 128 × 128 px"
    assert list(titles)[-1] == "huge"
    # Plone's scales by their translated names, in German as in English.
    german = {
        term.value: translate(term.title, target_language="de") for term in vocabulary
    }
    assert german["preview"] == "Vorschau: 400 px breit"
    assert german["large"] == "Groß: 800 px breit"
    assert "large" in titles  # the widget's default
    assert IImageSettings["scale"].vocabularyName == "compositepage.ImageScales"


def test_settings_form_names_the_limit(site):
    """A value out of bounds says what the limit is ("Value is too long"
    left the editor guessing), in the editor's language too."""
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(site.portal, id="page")
        pid = cp.add_widget(page, "main", "heading", {"text": "Short"})
        # The browser's language decides (Plone's language settings).
        api.portal.set_registry_record("plone.available_languages", ["en", "de"])
        api.portal.set_registry_record("plone.use_request_negotiation", True)
    transaction.commit()
    url = f"page/@@compositepage-widget-settings?id={pid}"
    for language, expected in (
        ("en", "At most 200 characters are allowed; this has 203."),
        ("de", "Höchstens 200 Zeichen sind erlaubt, hier sind es 203."),
    ):
        headers = {"Accept-Language": language}
        form = site.get(url, user="editor", headers=headers)
        response = site.post(
            url,
            user="editor",
            headers=headers,
            data={
                "form.widgets.text": "x" * 203,
                "form.widgets.level:list": "2",
                "form.widgets.level-empty-marker": "1",
                "form.buttons.save": "Save",
                "_authenticator": authenticator(form.text),
            },
        )
        assert response.status_code == 200
        assert expected in response.text, language
        assert "Value is too long" not in response.text
    transaction.begin()
    assert cp.get_composition(page)["slots"]["main"][0]["settings"]["text"] == "Short"
