An installable Plone 6.1 add-on: `make start` serves a demo site, `make test` runs the whole suite, both from the project's own lock. @compositepage
