"""Names `vulture` (scripts/test.sh) must not call dead: what something outside the code reads.

Framework hooks by name (MkDocs `on_*`, HTMLParser/aiosmtpd `handle_*`, asyncio protocol
methods, pydantic `model_config`, click commands) are ignored in `[tool.vulture]` in
pyproject.toml. What is left is listed here, each with who reads it. The file is never run.
"""

# ruff: noqa: B018, F821
# Read by a template, a JSON consumer or a YAML file rather than by Python:
_.permalink  # generator/render/case_page.py: templates/case.html shows it
_.json_url  # generator/render/data.py: a field of cases.json, for the archive's readers
_.since  # generator/model.py: Officer.since, a front-matter field the schema documents
# Called by name from a subprocess command line:
baseline_child  # bench/notify.py: `python -c "... b.baseline_child(...)"`
# Signatures fixed by the caller (signal handler, __exit__): the arguments must be there.
signum, frame  # notifier/interrupts.py: signal.signal handler
exc_type, trace  # notifier/progress.py, notifier/session.py: __exit__
rcpt_options, mechanism  # tests/notifier/conftest.py: aiosmtpd handler/authenticator arguments
_.host_name  # tests/notifier/conftest.py: aiosmtpd reads it after handle_EHLO
# Hooks a library calls by name:
_.make_globals  # notifier/message/compose.py: jinja2's Environment calls it for each template

# In files other engineers are rewriting right now (issue 19: generator/plugin.py; the lead:
# notifier/delivery/relays.py). Not edited here; whoever owns them next decides.
_.present_anchor_ids  # generator/plugin.py:108, written, never read
_.links_to_anchors  # generator/plugin.py:109, written, never read
dirty  # generator/plugin.py:325, on_startup's argument (MkDocs passes it by keyword)
_.is_modified  # generator/plugin.py: MkDocs File API override
_.__class__  # generator/plugin.py:499, swaps a Jinja environment's class
DocketPlugin  # generator/plugin.py: the MkDocs entry point in pyproject.toml
taken_out  # notifier/delivery/relays.py:142, counted, never read
