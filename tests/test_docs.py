"""The documentation is tested: the code blocks of docs/*.md run here, with
manuel, in the integration layer's site (``portal``), as a Manager."""

from pathlib import Path

import doctest
import io
import pytest
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
