"""Rendering of the public archive: pages, indexes, feed and JSON from checked cases.

Nothing here knows MkDocs: `generator.plugin` hands the result to MkDocs, `docket export` writes
it to a folder. Only public text is ever rendered; private sections are never read.
"""
