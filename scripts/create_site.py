"""Create the demo Plone site of ``make start`` when it does not exist yet.

Run by ``zconsole run instance/etc/zope.conf scripts/create_site.py``, which
binds ``app`` to the Zope root.  A second run finds the site and does nothing,
so ``make start`` can call it every time.
"""

from AccessControl.SecurityManagement import newSecurityManager
from compositepage.demo import create_demo_content
from plone.base.utils import get_installer
from Products.CMFPlone.factory import addPloneSite
from zope.component.hooks import setSite

import os
import transaction


SITE_ID = os.environ.get("SITE_ID", "Plone")


def create(app):
    admin = app.acl_users.getUserById("admin")
    if admin is not None:
        newSecurityManager(None, admin.__of__(app.acl_users))
    site = addPloneSite(
        app,
        SITE_ID,
        title="compositepage demo",
        distribution_name="classic",
        setup_content=True,
        default_language="en",
    )
    setSite(site)
    get_installer(site, site.REQUEST).install_product("compositepage")
    create_demo_content(site)
    transaction.get().note(f"Created the Plone site {SITE_ID} with compositepage")
    transaction.commit()
    return site


def main(app):
    if SITE_ID in app.objectIds():
        print(f"Site /{SITE_ID} exists: reusing it.")
        return
    create(app)
    password = os.environ.get("ADMIN_PASSWORD", "admin")
    print(f"Created the Plone site /{SITE_ID} with compositepage installed.")
    print(
        f"Demo pages: http://localhost:{os.environ.get('PORT', '8080')}/{SITE_ID}/demo"
    )
    print(f"Log in as admin with the password: {password}")


if __name__ == "__main__":
    app = globals()["app"]
    try:
        main(app)
    finally:
        # Closing the database writes the FileStorage index, so the server
        # starts without rebuilding it.
        app._p_jar.db().close()
