"""One module per job a critical runs: send, preview (dry run, test send), status, bounces, purge,
digest. Each takes a typed request and a `Console` and returns the exit status; the click
commands in `docket/cli.py` only build those."""
