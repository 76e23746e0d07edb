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


def ensure_admin(app, password):
    """Zope adds the ``inituser`` of an instance at its first start only: a
    new database served by an instance that started before (the cluster on
    PostgreSQL) has no user at all, so we add the admin as Zope's own
    ``addzopeuser`` does."""
    if app.acl_users.getUserById("admin") is not None:
        return
    from Zope2.utilities.adduser import adduser

    adduser(app, "admin", password)
    print("Added the Zope user admin: this database had no user yet.")


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
    password = os.environ.get("ADMIN_PASSWORD", "admin")
    ensure_admin(app, password)
    if SITE_ID in app.objectIds():
        print(f"Site /{SITE_ID} exists: reusing it.")
        return
    create(app)
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
