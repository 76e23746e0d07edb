"""The documentation is tested: the code blocks of docs/*.md run here, with
manuel, in the integration layer's site (``portal``), as a Manager."""

from pathlib import Path

import doctest
import io
import pytest
import re
import sys
import unittest


DOCS = Path(__file__).parent.parent / "docs"


@pytest.mark.parametrize("name", ["api.md"])
def test_document(portal, name):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    import manuel.doctest
    import manuel.myst.codeblock
    import manuel.testing

    setRoles(portal, TEST_USER_ID, ["Manager"])
    m = manuel.doctest.Manuel(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    m += manuel.myst.codeblock.Manuel()
    suite = manuel.testing.TestSuite(m, str(DOCS / name), globs={"portal": portal})
    output = io.StringIO()
    result = unittest.TextTestRunner(stream=output, verbosity=0).run(suite)
    assert result.wasSuccessful(), output.getvalue()


FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
FILE = re.compile(r"^(?:# file: (\S+)|<!-- file: (\S+) -->)\n")


def test_integrator_tutorial(portal, layered_request, tmp_path):
    """Blocks starting with a file: comment become files of the tutorial's
    package; the other Python blocks run in order."""
    from plone.app.testing import popGlobalRegistry
    from plone.app.testing import pushGlobalRegistry
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from zope.component.hooks import setSite

    setRoles(portal, TEST_USER_ID, ["Manager"])
    text = (DOCS / "integrator-tutorial.md").read_text()
    namespace = {"portal": portal}
    sys.path.insert(0, str(tmp_path))
    # The tutorial registers into a registry of its own, removed afterwards.
    pushGlobalRegistry(portal)
    setSite(portal)
    try:
        for language, code in FENCE.findall(text):
            named = FILE.match(code)
            if named:
                path = tmp_path / (named.group(1) or named.group(2))
                path.parent.mkdir(parents=True, exist_ok=True)
                (path.parent / "__init__.py").touch()
                path.write_text(code[named.end() :])
            elif language == "python":
                exec(compile(code, "integrator-tutorial.md", "exec"), namespace)
    finally:
        popGlobalRegistry(portal)
        setSite(portal)
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == "quotes"]:
            del sys.modules[name]
