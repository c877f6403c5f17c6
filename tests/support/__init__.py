"""What the tests and the benchmarks (bench/) share: the repository's paths, a free port, a real
archive built and served, scripted SMTP servers, a private Postfix. Helpers only, no tests.

bench/ scripts run as `python bench/x.py` put the repository root on sys.path and import
`tests.support.<module>` like the tests do."""
