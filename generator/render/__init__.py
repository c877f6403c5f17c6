"""Rendering of the public archive: pages, indexes, feed and JSON from checked cases.

Nothing here knows the site generator: its adapter (generator/plugin.py) hands the result to it,
`docket export` writes it to a folder. Only public text is ever rendered; private sections are
never read.
"""
