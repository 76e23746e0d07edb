"""Upgrade steps of the compositepage:default profile.

Each step is one documented function in its own module, registered in
configure.zcml with the source and destination versions of metadata.xml.
"""
