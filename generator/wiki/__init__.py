"""Import CAcert-style wiki case pages (raw MoinMoin, print-header, rendered) into case files.

One module per step: `shapes` reads and splits the page text, `header` and `before` map the
parties and officers, `history` the log, `sections` the body, `refs` the citations, `emit` writes
the case file, `importer` runs the steps per page and checks what it wrote.
"""
