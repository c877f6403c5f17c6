"""Benchmark `docket notify` against a fast SMTP sink and against a minimal pooled baseline.

Run by hand (never in tests):

    .venv/bin/python bench/notify.py                  # 170,000 recipients, fast sink + aiosmtpd
    .venv/bin/python bench/notify.py --members 20000  # a quick look
    .venv/bin/python bench/notify.py --dry-run-million
    .venv/bin/python bench/notify.py --relays         # one relay, two relays, DKIM
    # old against new: another checkout's docket (same venv), order swapped every round
    git archive <rev> | tar -x -C /tmp/base && \
      .venv/bin/python bench/notify.py --rounds 6 --no-aiosmtpd --base /tmp/base

The sink runs in its own process: a minimal asyncio SMTP responder that accepts and discards
(aiosmtpd itself tops out near 600-800 msg/s and would hide the client's speed). The baseline is
a minimal pooled aiosmtplib sender of the same messages pre-rendered as bytes, no journal, same
pool size, measured in the same run. Peak RSS comes from wait4() on each child process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.net import free_port  # noqa: E402

BIN = Path(sys.executable).parent
CASE = "a20140408.1"


# -- the sinks (run as child processes of this script) ---------------------------------------------


async def _fast_sink(port: int) -> None:
    async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await reader.readuntil(b"\r\n.\r\n")
                    writer.write(b"250 2.0.0 OK\r\n")
                elif verb in (b"EHLO", b"HELO"):
                    writer.write(b"250-sink\r\n250-8BITMIME\r\n250 PIPELINING\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        writer.close()

    server = await asyncio.start_server(session, "127.0.0.1", port, backlog=256)
    async with server:
        await server.serve_forever()


def _aiosmtpd_sink(port: int) -> None:
    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            return "250 OK"

    controller = Controller(Discard(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def start_sink(kind: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"220"):
                    return proc, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("sink did not start")


# -- the baseline ------------------------------------------------------------------------------


async def _baseline(port: int, pool: int, messages: list[tuple[str, bytes]]) -> float:
    import aiosmtplib

    queue: asyncio.Queue[tuple[str, bytes] | None] = asyncio.Queue()
    for item in messages:
        queue.put_nowait(item)
    for _ in range(pool):
        queue.put_nowait(None)

    async def worker() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await client.connect()
        while (item := queue.get_nowait()) is not None:
            await client.sendmail("returns@cacert.org", [item[0]], item[1])
        await client.quit()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(pool)))
    return time.perf_counter() - start


def run_baseline(port: int, pool: int, db: Path) -> tuple[float, int, int, float]:
    """(seconds, messages, peak RSS in KiB, CPU seconds sending) for the minimal sender."""
    code = (
        "import sys, time, uvloop; sys.path.insert(0, sys.argv[1]);"
        "import bench.notify as b; b.baseline_child(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT), str(port), str(pool), str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    assert status == 0, out
    seconds, count, cpu = out.split()
    return float(seconds), int(count), usage.ru_maxrss, float(cpu)


def baseline_child(port: int, pool: int, db: str) -> None:
    """Pre-render the same messages as bytes (untimed), then send them over the pool (timed)."""
    import uvloop

    from notifier.approval.action import resolve
    from notifier.audience.directory import connect, directory_url, stream_audience
    from notifier.message.compose import Composer, TemplateSet, address_key, validate_address

    resolved = resolve(CASE, ROOT / "cases", None)
    composer = Composer(
        TemplateSet(resolved.template_file), case=CASE, action=resolved.action.id,
        sender=resolved.action.sender, subject=resolved.action.subject, run_id="baseline",
    )  # fmt: skip
    engine = connect(directory_url(db))
    seen: set[str] = set()
    messages: list[tuple[str, bytes]] = []
    for row in stream_audience(engine, resolved.query, resolved.action.audience.params):
        try:
            validate_address(row.email)
        except ValueError:
            continue
        key = address_key(row.email)
        if key in seen:
            continue
        seen.add(key)
        messages.append((row.email, composer.compose(row.email, row.data).data))
    cpu = time.process_time()
    seconds = uvloop.run(_baseline(port, pool, messages))
    print(seconds, len(messages), time.process_time() - cpu)


# -- docket ------------------------------------------------------------------------------------


def run_docket(args: list[str], tree: Path | None = None) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS in KiB, output, CPU seconds) of one `docket notify` process;
    `tree`: another checkout's code (an old commit), run with the same venv."""
    start = time.perf_counter()
    # each run its own run registry: the bench's runs are separate sends of the same action
    state = tempfile.mkdtemp(prefix="docket-bench-state-")
    env = {**os.environ, "XDG_STATE_HOME": state}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    proc = subprocess.Popen(
        [str(BIN / "docket"), "notify", CASE, "--cases", str(ROOT / "cases"), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(out)
    return seconds, usage.ru_maxrss, out, usage.ru_utime + usage.ru_stime


def send_phase(journal: Path) -> tuple[float, int]:
    """Seconds from the first to the last recorded send, and messages sent (from the journal)."""
    db = sqlite3.connect(journal / "journal.sqlite")
    first, last, sent = db.execute(
        "SELECT MIN(updated_at), MAX(updated_at), COUNT(*) FROM recipients WHERE state = 'sent'"
    ).fetchone()
    db.close()
    return float(last - first), int(sent)


def compare(kind: str, db: Path, pool: int, rounds: int, base: Path | None = None) -> None:
    """Baseline and docket in alternation, so all see the same load; best and all rounds.

    docket runs twice a round: as it runs (pipelined, when the sink offers PIPELINING) and with
    --no-pipelining, which makes the same four round trips a message as the baseline. With
    `base` (another checkout) the second run is that code's, pipelined, and the two swap places
    every round.
    """
    sink, port = start_sink(kind)
    tag = f"[{kind} sink, pool {pool}]"
    base_rates: list[float] = []
    modes: list[tuple[str, list[str], Path | None]] = [
        ("pipelined", [], None), ("lock-step", ["--no-pipelining"], None)
    ]  # fmt: skip
    if base is not None:
        modes = [("new", [], None), ("old", [], base)]
    rates: dict[str, list[float]] = {mode: [] for mode, _, _ in modes}
    wholes: dict[str, list[float]] = {mode: [] for mode, _, _ in modes}
    try:
        for n in range(1, rounds + 1):
            base_seconds, base_count, base_rss, base_cpu = run_baseline(port, pool, db)
            base_rates.append(base_count / base_seconds)
            print(f"{tag} round {n} baseline: {base_count} msgs in {base_seconds:.1f} s = "
                  f"{base_rates[-1]:.0f} msg/s, {base_cpu / base_count * 1e6:.0f} us CPU/msg "
                  f"sending (peak RSS {base_rss / 1024:.0f} MB)")  # fmt: skip
            for mode, extra, tree in modes if n % 2 or base is None else modes[::-1]:
                with tempfile.TemporaryDirectory() as tmp:
                    wall, rss, out, cpu = run_docket(
                        ["--directory", str(db), "--smtp", f"smtp://127.0.0.1:{port}", "--journal",
                         tmp, "--rate", "0", "--pool", str(pool), "--yes", *extra], tree
                    )  # fmt: skip
                    phase, sent = send_phase(Path(tmp))
                summary = re.search(r"\d+ sent, \d+ deferred, \d+ failed, \d+ invalid", out)
                server = re.search(r"server: (.*);", out)
                rates[mode].append(sent / phase)
                wholes[mode].append(sent / wall / base_rates[-1])
                print(f"{tag} round {n} docket {mode} ({server[1] if server else '?'}): {sent} "
                      f"msgs, send phase {phase:.1f} s = {rates[mode][-1]:.0f} msg/s; whole run "
                      f"{wall:.1f} s incl. start-up, snapshot and plan, {cpu / sent * 1e6:.0f} us "
                      f"CPU/msg over the whole run (peak RSS {rss / 1024:.0f} MB); "
                      f"{summary[0] if summary else ''}")  # fmt: skip
                print(f"{tag} round {n} ratio docket {mode}/baseline: "
                      f"{rates[mode][-1] / base_rates[-1]:.2f}x")  # fmt: skip
    finally:
        sink.terminate()
        sink.wait()
    for mode, values in rates.items():
        print(f"{tag} best of {rounds}: baseline {max(base_rates):.0f} msg/s, docket {mode} "
              f"{max(values):.0f} msg/s, ratio {max(values) / max(base_rates):.2f}x")  # fmt: skip
        print(f"{tag} docket {mode}, whole process against the same round's raw sender: "
              + ", ".join(f"{ratio:.2f}x" for ratio in wholes[mode])
              + f" (median {statistics.median(wholes[mode]):.2f}x)")  # fmt: skip


def relays_compare(db: Path, pool: int, rounds: int, work: Path) -> None:
    """The raw sender, docket with one relay, with two relays (two fast sinks in their own
    processes, the same connections in all), and with DKIM (RSA-2048) on one relay: alternating
    rounds, whole process and send phase, each as a ratio to the raw sender of the same round."""
    key = work / "dkim-rsa.pem"
    if not key.exists():
        subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True,
                       capture_output=True)  # fmt: skip
        key.chmod(0o600)
    (one, port1), (two, port2) = start_sink("fast"), start_sink("fast")
    half = max(1, pool // 2)
    variants = {
        "one relay": ["--smtp", f"smtp://127.0.0.1:{port1}", "--pool", str(pool)],
        "two relays": ["--smtp", f"smtp://127.0.0.1:{port1}?connections={half}",
                       "--smtp", f"smtp://127.0.0.1:{port2}?connections={pool - half}"],
        "one relay + DKIM": ["--smtp", f"smtp://127.0.0.1:{port1}", "--pool", str(pool),
                             "--dkim-key", str(key), "--dkim-selector", "bench"],
    }  # fmt: skip
    try:
        for n in range(1, rounds + 1):
            base_seconds, base_count, base_rss, base_cpu = run_baseline(port1, pool, db)
            base_rate = base_count / base_seconds
            print(f"round {n} raw sender: {base_count} msgs in {base_seconds:.1f} s = "
                  f"{base_rate:.0f} msg/s sending, {base_cpu:.1f} s CPU, peak RSS "
                  f"{base_rss / 1024:.0f} MB")  # fmt: skip
            for name, extra in variants.items():
                with tempfile.TemporaryDirectory() as tmp:
                    wall, rss, _out, cpu = run_docket(
                        ["--directory", str(db), "--journal", tmp + "/run", "--rate", "0",
                         "--yes", *extra]
                    )  # fmt: skip
                    phase, sent = send_phase(Path(tmp) / "run")
                print(f"round {n} docket, {name}: {sent} msgs; send phase {phase:.1f} s = "
                      f"{sent / phase:.0f} msg/s ({sent / phase / base_rate:.2f}x the raw "
                      f"sender); whole process {wall:.1f} s = {sent / wall:.0f} msg/s "
                      f"({sent / wall / base_rate:.2f}x), {cpu:.1f} s CPU, peak RSS "
                      f"{rss / 1024:.0f} MB ({rss / base_rss:.2f}x)")  # fmt: skip
    finally:
        for sink in (one, two):
            sink.terminate()
            sink.wait()


def rate_check(db: Path, rate: float, seconds: float) -> None:
    """A real run at `rate` msg/s for `seconds` against the fast sink: how close the bucket keeps."""
    sink, port = start_sink("fast")
    count = int(rate * seconds)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run_docket(
                ["--directory", str(db), "--smtp", f"smtp://127.0.0.1:{port}", "--journal", tmp,
                 "--rate", f"{rate:g}/s", "--limit", str(count + 1), "--yes"]
            )  # fmt: skip
            journal = sqlite3.connect(Path(tmp) / "journal.sqlite")
            stamps = [t for (t,) in journal.execute(
                "SELECT updated_at FROM recipients WHERE state = 'sent' ORDER BY updated_at"
            )]  # fmt: skip
            journal.close()
    finally:
        sink.terminate()
        sink.wait()
    # the first message starts the clock; count what was sent in the next `seconds`
    start = stamps[0]
    within = sum(1 for t in stamps[1:] if t - start <= seconds)
    achieved = within / seconds
    print(f"rate check: --rate {rate:g}/s, {within} messages in the {seconds:.0f} s after the "
          f"first = {achieved:.3f} msg/s, {100 * (achieved - rate) / rate:+.2f}% off")  # fmt: skip


def make_directory(members: int, seed: int, folder: Path) -> Path:
    from notifier.audience.demo import write_demo

    path = folder / f"members-{members}-{seed}.sqlite"
    if not path.exists():
        start = time.perf_counter()
        stats = write_demo(str(path), members, seed)
        print(f"demo directory: {members} members, {stats.in_audience} in the audience "
              f"({time.perf_counter() - start:.0f} s to write)")  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=["fast", "aiosmtpd"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int, default=293_000, help="about 58%% are the audience")
    parser.add_argument("--pool", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds on the fast sink")
    parser.add_argument("--no-aiosmtpd", action="store_true")
    parser.add_argument("--dry-run-million", action="store_true",
                        help="peak RSS of --dry-run over an audience of 1,000,000")  # fmt: skip
    parser.add_argument("--rate-check", type=float, metavar="N",
                        help="a real run at N msg/s for a minute: the rate the journal shows")  # fmt: skip
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "docket-bench")
    parser.add_argument("--base", type=Path, metavar="TREE",
                        help="compare with another checkout's docket (pipelined, same venv)")  # fmt: skip
    parser.add_argument("--relays", action="store_true",
                        help="raw sender vs one relay, two relays, and one relay with DKIM")  # fmt: skip
    args = parser.parse_args()
    if args.serve == "fast":
        import uvloop

        uvloop.run(_fast_sink(args.port))
        return
    if args.serve == "aiosmtpd":
        _aiosmtpd_sink(args.port)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.dry_run_million:
        db = make_directory(1_725_000, args.seed, args.work)
        wall, rss, out, _cpu = run_docket(["--directory", str(db), "--dry-run"])
        print(out.strip().splitlines()[-1])
        print(f"dry run: {wall:.0f} s, peak RSS {rss / 1024:.0f} MB")
        return
    db = make_directory(args.members, args.seed, args.work)
    if args.rate_check:
        rate_check(db, args.rate_check, 60.0)
        return
    if args.relays:
        relays_compare(db, args.pool, args.rounds, args.work)
        return
    compare("fast", db, args.pool, args.rounds, args.base)
    if not args.no_aiosmtpd:
        compare("aiosmtpd", db, args.pool, 1)


if __name__ == "__main__":
    main()
