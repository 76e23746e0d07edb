"""compositepage speaks the site's language: complete de and fr catalogues, a
.pot in step with the code, and no English string of ours on German pages."""

from compositepage import api as cp
from pathlib import Path
from plone import api

import json
import pytest
import re
import subprocess
import sys
import transaction


LOCALES = Path(__file__).parent.parent / "src" / "compositepage" / "locales"
# A quoted string of a catalogue, and one that goes on over several lines.
STRING = r'"(?:[^"\\]|\\.)*"'
LINES = rf"{STRING}(?:\n{STRING})*"
ENTRY = re.compile(rf"((?:#[^\n]*\n)*)msgid ({LINES})\nmsgstr ({LINES})")
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def joined(lines):
    """The text of a (possibly multi-line) quoted string of a catalogue."""
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines)).replace('\\"', '"')


def entries(path):
    """(msgid, flags, comments, msgstr) of every message of a catalogue."""
    for comments, msgid, msgstr in ENTRY.findall(path.read_text()):
        msgid = joined(msgid)
        if not msgid:
            continue  # the header
        flags = {
            flag.strip()
            for line in comments.splitlines()
            if line.startswith("#,")
            for flag in line[2:].split(",")
        }
        yield msgid, flags, comments, joined(msgstr)


def catalogue(path):
    """{msgid: (default or msgid, msgstr)} of a .po or .pot file."""
    found = {}
    for msgid, _flags, comments, msgstr in entries(path):
        default = re.search(r'#\. Default: "((?:[^"\\]|\\.)*)"', comments)
        english = default.group(1).replace('\\"', '"') if default else msgid
        found[msgid] = (english, msgstr)
    return found


def test_pot_is_up_to_date(tmp_path):
    fresh = tmp_path / "compositepage.pot"
    root = Path(__file__).parent.parent
    subprocess.run(
        [
            str(Path(sys.executable).parent / "i18ndude"),
            "rebuild-pot",
            "--pot",
            str(fresh),
            "--create",
            "compositepage",
            "--no-line-numbers",
            "src/compositepage",
            "profiles",
        ],
        check=True,
        capture_output=True,
        cwd=root,
    )
    committed = catalogue(LOCALES / "compositepage.pot")
    assert catalogue(fresh) == committed, (
        "run `make i18n`: the .pot is not in step with the code"
    )


@pytest.mark.parametrize("language", ["de", "fr"])
def test_catalogue_is_complete(language):
    pot = catalogue(LOCALES / "compositepage.pot")
    po = catalogue(LOCALES / language / "LC_MESSAGES" / "compositepage.po")
    assert set(po) == set(pot)
    for msgid, (english, _) in pot.items():
        translation = po[msgid][1]
        assert translation.strip(), f"{language}: {msgid} is not translated"
        assert set(PLACEHOLDER.findall(translation)) == set(
            PLACEHOLDER.findall(english)
        ), (
            language,
            msgid,
        )


@pytest.mark.parametrize("language", ["de", "fr"])
def test_no_fuzzy_or_empty_translation(language):
    """gettext leaves out a fuzzy entry when it compiles a catalogue (the
    page then shows the English), and an empty one says nothing."""
    path = LOCALES / language / "LC_MESSAGES" / "compositepage.po"
    fuzzy = [msgid for msgid, flags, _, _ in entries(path) if "fuzzy" in flags]
    empty = [msgid for msgid, _, _, msgstr in entries(path) if not msgstr.strip()]
    assert fuzzy == [], f"{language}: fuzzy entries (check them, then drop the flag)"
    assert empty == [], f"{language}: entries without a translation"
    assert len(list(entries(path))) > 200


def english_sentences():
    """Our English strings whose German differs, long enough to find."""
    pot = catalogue(LOCALES / "compositepage.pot")
    german = catalogue(LOCALES / "de" / "LC_MESSAGES" / "compositepage.po")
    all_german = " ".join(translation for _, translation in german.values())
    sentences = set()
    for msgid, (english, _) in pot.items():
        if german[msgid][1] == english:
            continue
        for part in PLACEHOLDER.split(english)[::2]:
            part = re.sub(r"<[^>]+>", "", part).strip(" .,:;()")
            # Words German shares with English ("Position", "Layout") prove nothing.
            if len(part) >= 5 and part not in all_german:
                sentences.add(part)
    return sentences


def our_texts(document):
    """The texts and labels of the editor, without the page's own content."""
    editor = document.get_element_by_id("compositepage-editor")
    for element in editor.cssselect(".cp-block-title, .cp-sprite, option"):
        element.drop_tree()
    texts = [editor.text_content()]
    for element in editor.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("aria-label", "title", "aria-roledescription", "data-messages"):
            value = element.get(name)
            if value and "cp-block" not in (element.get("class") or ""):
                texts.append(
                    " ".join(json.loads(value).values())
                    if name == "data-messages"
                    else value
                )
    return " ".join(texts)


@pytest.fixture
def german(site):
    from compositepage.demo import create_demo_content

    with api.env.adopt_roles(["Manager"]):
        create_demo_content(site.portal)
        api.portal.set_registry_record("plone.available_languages", ["de"])
        api.portal.set_registry_record("plone.default_language", "de")
        site.portal.setLanguage("de")
    transaction.commit()
    return site


def test_design_view_in_german(german):
    from helpers import design_document

    document = design_document(
        german.get("demo/two-columns/@@design", user="siteadmin").content
    )
    # A listing's block names what it lists in the editor's words and
    # language: the type's title, not its id.
    (listing,) = document.cssselect('.cp-block[data-widget-type="listing"]')
    assert listing.cssselect(".cp-block-title")[0].text_content() == "Nachricht"
    text = our_texts(document)
    left = sorted(sentence for sentence in english_sentences() if sentence in text)
    assert left == []
    for expected in (
        "Bausteine",
        "Rückgängig",
        "Hauptbereich",
        "Seitenleiste",
        "Überschrift",
    ):
        assert expected in text, expected
    # The script labels blocks and titles their types with these.
    editor = document.get_element_by_id("compositepage-editor")
    messages = json.loads(editor.get("data-messages"))
    assert messages["block_label"] == (
        "${type}: ${title}, ${position} von ${count} in ${slot}"
    )
    assert "nicht platziert" in messages["block_label_unplaced"]
    types = json.loads(editor.get("data-types"))
    assert types["heading"]["title"] == "Überschrift"


def test_real_view_and_placeholders_in_german(german):
    from helpers import make_page
    from helpers import publish

    with api.env.adopt_roles(["Manager"]):
        page = make_page(german.portal, id="empty")
        query = [
            {
                "i": "portal_type",
                "o": "plone.app.querystring.operation.selection.any",
                "v": ["Event"],
            }
        ]
        cp.add_widget(page, "main", "listing", {"query": query})
        gone = cp.add_widget(page, "main", "heading", {"text": "Vanishing"})
        from compositepage.storage import query_composition

        query_composition(page).placements[gone].widget_type = "uninstalled"
        publish(page)
    transaction.commit()
    visitor = german.get("empty").text
    assert "Es gibt noch nichts aufzulisten." in visitor
    assert "There is nothing to list yet." not in visitor
    editor = german.get("empty", user="editor").text
    assert "ist nicht mehr verfügbar" in editor
    assert "is no longer available" not in editor


def test_control_panel_and_errors_in_german(german):
    html = german.get("@@compositepage-controlpanel", user="siteadmin").text
    for expected in (
        "Freigegebene Layouts",
        "Standardlayout",
        "Anbieter für Einbettungen",
        # Was marked fuzzy, which gettext leaves out: it showed in English.
        "Wie viele der letzten Vorgänge jeder Seite",
    ):
        assert expected in html
    assert "Enabled layouts" not in html
    from helpers import basic_auth

    response = german.session.patch(
        f"{german.url}/demo/two-columns/@composition?expand=design",
        data=json.dumps(
            {"operations": [{"op": "move", "id": "nope", "slot": "main", "index": 0}]}
        ),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **basic_auth("siteadmin"),
        },
    )
    assert response.status_code == 400
    design = response.json()["@components"]["design"]
    assert design["error"] == "Auf dieser Seite gibt es keinen Baustein 'nope'."
