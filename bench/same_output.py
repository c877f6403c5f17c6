"""Prove that two checkouts load and check case files identically (for pure speed work).

    git archive <baseline-commit> | tar -x -C /tmp/base
    .venv/bin/python bench/same_output.py --base /tmp/base [--cases DIR]

Inputs: 1,000 synthetic archive cases (bench/archive_cases.py, or --cases), 1,000 synthetic check
cases (bench/synth.py), and every file under tests/fixtures/ (the real-record shapes and the bad
inputs: binary, BOM, CRLF, broken YAML, mail files that are no case at all). For each side, in
its own process with only its code on the import path:

- `docket check --format json` (exit code and output) on each fixture file alone, on each fixture
  folder, on the whole fixture tree, on each synthetic tree (one worker and two), and on one file
  of a synthetic tree (the pre-commit run, which lists the tree's case numbers);
- the parsed model: `load_case` of every file (a full repr of the `Case`, its text and lines, the
  header's explicitly set fields, its summary for the cross-file checks (every cited case number
  with its line and column) and the diagnostics), and `check_paths(keep_cases=True)` of
  each folder (every case, diagnostic and acknowledged finding).

Everything is compared as text, exactly; the first differences are printed. Run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def _case_repr(case: Any) -> str:
    """Every field of a parsed case, including those its repr leaves out."""
    if case is None:
        return "None"
    header = case.header.model_dump(exclude_unset=True, by_alias=True)
    return "\n".join(
        [repr(case), repr(case.text), repr(case.lines), repr(header), repr(case.header.status)]
    )


def collect(spec: dict[str, Any]) -> dict[str, str]:
    """Run every probe with the code first on sys.path; results keyed by probe name."""
    from click.testing import CliRunner

    from docket.cli import cli
    from generator.checks.crossfile import summarize
    from generator.collection import check_paths
    from generator.config import load_config
    from generator.loader import load_case

    out: dict[str, str] = {}
    runner = CliRunner()
    for key, args, cwd in spec["cli"]:
        os.chdir(cwd)
        result = runner.invoke(cli, args, catch_exceptions=False)
        out[f"cli {key}"] = f"exit {result.exit_code}\n{result.output}"
    for file in spec["files"]:
        case, found = load_case(Path(file), file)
        summary = repr(summarize(case)) if case is not None else "None"
        out[f"load {file}"] = "\n".join([_case_repr(case), summary, *map(repr, found)])
    for folder, cwd in spec["folders"]:
        os.chdir(cwd)
        config = load_config(Path(folder))
        for jobs in (1, 2):
            col = check_paths([Path(folder)], config, jobs=jobs, keep_cases=True, base=Path(cwd))
            out[f"collection {folder} jobs={jobs}"] = "\n".join(
                [f"files {col.files}"]
                + [_case_repr(c) for c in col.cases]
                + [repr(d) for d in col.diagnostics]
                + ["allowed:"]
                + [repr(d) for d in col.allowed]
            )
    return out


def build_spec(work: Path, cases: Path | None) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from bench.archive_cases import generate
    from bench.synth import write_cases

    archive = work / "archive"
    if cases is None:
        cases = archive / "cases"
        generate(cases, 1000)
    else:
        archive.mkdir()
        (archive / "cases").symlink_to(cases.resolve())
    (archive / "docket.toml").write_text("", "utf-8")
    synth = work / "synth"
    synth_paths = write_cases(synth, 1000)
    (synth / "docket.toml").write_text("", "utf-8")
    one = synth_paths[len(synth_paths) // 2].relative_to(synth)
    fixture_files = sorted(str(p) for p in FIXTURES.rglob("*") if p.is_file())
    fixture_dirs = sorted(
        {str(p.parent) for p in FIXTURES.rglob("*.md")} | {str(FIXTURES)}, key=str
    )
    json_check = ["check", "--format", "json"]
    cli: list[tuple[str, list[str], str]] = []
    for file in fixture_files:
        cli.append((file, [*json_check, file], str(REPO)))
    for folder in fixture_dirs:
        cli.append((folder, [*json_check, folder], str(REPO)))
    for root in (archive, synth):
        for jobs in ("1", "2"):
            cli.append((f"{root} jobs={jobs}", [*json_check, "--jobs", jobs, "cases"], str(root)))
    cli.append((f"{synth} one file", [*json_check, str(one)], str(synth)))
    cli.append((f"{synth} one file concise", ["check", str(one)], str(synth)))
    files = fixture_files + sorted(str(p) for p in (archive / "cases").rglob("*.md"))
    files += [str(p) for p in synth_paths]
    folders = [(d, str(REPO)) for d in fixture_dirs]
    folders += [(str(archive / "cases"), str(archive)), (str(synth / "cases"), str(synth))]
    return {"cli": cli, "files": files, "folders": folders}


def run_side(code: Path, spec_file: Path, out_file: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(spec_file), str(out_file)],
        env=env,
        check=True,
        cwd=str(code),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, help="baseline checkout")
    parser.add_argument("--cases", type=Path, help="archive cases to use instead of 1,000 new")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        spec_file, out_file = args.worker
        sys.path.insert(0, os.environ["PYTHONPATH"])
        result = collect(json.loads(spec_file.read_text("utf-8")))
        out_file.write_text(json.dumps(result), "utf-8")
        return
    if args.base is None:
        parser.error("--base is required")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spec = build_spec(work, args.cases)
        spec_file = work / "spec.json"
        spec_file.write_text(json.dumps(spec), "utf-8")
        results = {}
        for side, code in (("old", args.base.resolve()), ("new", REPO)):
            run_side(code, spec_file, work / f"{side}.json")
            results[side] = json.loads((work / f"{side}.json").read_text("utf-8"))
    old, new = results["old"], results["new"]
    differing = [k for k in old if old[k] != new.get(k)] + [k for k in new if k not in old]
    print(f"{len(old)} probes; {len(spec['files'])} files loaded one by one, "
          f"{len(spec['cli'])} docket check runs, {len(spec['folders'])} folders checked whole")  # fmt: skip
    print(f"output chars compared: {sum(len(v) for v in old.values()):,}")
    if not differing:
        print("IDENTICAL: every output and every parsed case is the same")
        return
    print(f"DIFFERENT: {len(differing)} probes")
    for key in differing[:5]:
        a, b = old.get(key, "<missing>"), new.get(key, "<missing>")
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        at = min(len(a), len(b)) if at is None else at
        print(f"--- {key} (first difference at char {at})")
        print(f"old: {a[max(0, at - 200) : at + 200]!r}")
        print(f"new: {b[max(0, at - 200) : at + 200]!r}")
    sys.exit(1)


if __name__ == "__main__":
    main()
