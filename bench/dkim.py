"""DKIM signing throughput: composed-and-signed messages a second, against unsigned composing.

    PYTHONPATH=$PWD .venv/bin/python bench/dkim.py --messages 3000 --rounds 3

One run measures, in alternating rounds (the machine is shared: alternating spreads the noise):
unsigned `Composer.compose` (the baseline), compose + RSA-2048 in one process, compose in this
process + RSA-2048 in a `SigningPool` of 2 workers, compose + RSA-2048 + Ed25519 (dual), the
AsyncSigner over one worker as 50 sending coroutines would use it, the Ed25519 step alone on our canonicalisation, and stock dkimpy (`dkim.sign`, relaxed/relaxed, pure
Python RSA) on fewer messages. Keys are made fresh in a temporary folder. Every variant's output
is checked with `dkim.verify` on a sample before the timings count. Prints a Markdown table
(medians) with CPU seconds beside wall seconds; the pool's CPU adds its workers' (from
/proc/<pid>/stat). Run by hand, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# this file is named dkim.py: its own folder must not shadow dkimpy's `dkim` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

import dkim  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa  # noqa: E402

from notifier.message.compose import Composer, TemplateSet  # noqa: E402
from notifier.message.dkim import AsyncSigner, DkimKey, Signer, SigningPool, load_key  # noqa: E402

BODY = """Dear {{ fname }} {{ lname }},

this is a notice from CAcert's arbitration, case {{ case }}: the OpenSSL flaw known as
"Heartbleed" (CVE-2014-0160) may have exposed the private keys of servers that used the
affected versions between March 2012 and April 2014.

Our records show that you hold server certificates that were valid in that time. If any of
them was used on a server with an affected OpenSSL, please:

  1. update OpenSSL on that server,
  2. make a new key and have a new certificate issued for it,
  3. revoke the old certificate in your account,
  4. change the passwords that were used over that server.

You find a step by step guide in the wiki, and the support team answers questions at
support@cacert.org. You get this mail because the arbitrator ordered that every member with
such a certificate be told, whatever their mail settings.

Kind regards,
the CAcert arbitration team
"""
BODY_DE = """Liebe(r) {{ fname }} {{ lname }},

dies ist eine Mitteilung der CAcert-Schlichtung, Fall {{ case }}: die als „Heartbleed"
bekannte OpenSSL-Lücke (CVE-2014-0160) kann die privaten Schlüssel von Servern offengelegt
haben, die zwischen März 2012 und April 2014 eine betroffene Version benutzten.

Bitte erneuern Sie OpenSSL, erzeugen Sie neue Schlüssel, lassen Sie neue Zertifikate ausstellen,
widerrufen Sie die alten und ändern Sie die über diese Server benutzten Passwörter.

Mit freundlichen Grüßen,
das Schlichtungsteam von CAcert
"""
HEADERS = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type",
           "content-transfer-encoding", "from", "subject"]  # fmt: skip


def make_keys(folder: Path) -> tuple[DkimKey, DkimKey]:
    keys = []
    for name, key, fmt in (
        ("rsa.pem", rsa.generate_private_key(public_exponent=65537, key_size=2048),
         serialization.PrivateFormat.TraditionalOpenSSL),
        ("ed.pem", ed25519.Ed25519PrivateKey.generate(), serialization.PrivateFormat.PKCS8),
    ):  # fmt: skip
        path = folder / name
        path.write_bytes(
            key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
        )
        path.chmod(0o600)
        keys.append(load_key(path, selector=name[:3].strip("."), domain="example.org"))
    return keys[0], keys[1]


def make_composer(folder: Path) -> Composer:
    (folder / "notice.txt.j2").write_text(BODY, encoding="utf-8")
    (folder / "notice.de.txt.j2").write_text(BODY_DE, encoding="utf-8")
    return Composer(
        TemplateSet(folder / "notice.txt.j2"),
        case="a20140408.1",
        action="heartbleed",
        sender="CAcert Arbitration <arbitration@example.org>",
        subject="Heartbleed: please replace your server keys",
        run_id="bench",
        eightbit=True,
    )


def rows(n: int) -> Iterator[tuple[str, dict[str, str]]]:
    for i in range(n):
        language = "de" if i % 4 == 0 else "en"
        yield (
            f"member{i}@example.net",
            {"fname": f"Member{i}", "lname": "Müller", "language": language},
        )


def proc_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    cpu, wall = time.process_time(), time.perf_counter()
    count = run()
    return time.perf_counter() - wall, time.process_time() - cpu, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--dkimpy-messages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.messages
    folder = Path(tempfile.mkdtemp(prefix="bench-dkim-"))
    rsa_key, ed_key = make_keys(folder)
    composer = make_composer(folder)
    rsa_signer = Signer([rsa_key])
    dual_signer = Signer([rsa_key, ed_key])
    ed_only = Signer([rsa_key])
    ed_only._signers = [(ed_key, ed_key.private_key())]  # bench only: Ed25519 without RSA
    records = {k.dns_name().encode(): k.dns_record().encode() for k in (rsa_key, ed_key)}

    def dns(name: bytes, timeout: int = 5) -> bytes | None:
        return records.get(name.rstrip(b"."))

    def unsigned() -> int:
        size = 0
        for address, data in rows(n):
            size += len(composer.compose(address, data).data)
        return n

    def signed_with(signer: Signer) -> Callable[[], int]:
        def run() -> int:
            for address, data in rows(n):
                signer.sign(composer.compose(address, data).data)
            return n

        return run

    def stock_dkimpy() -> int:
        pem = rsa_key.pem
        for address, data in rows(args.dkimpy_messages):
            message = composer.compose(address, data).data
            dkim.sign(message, b"rsa", b"example.org", pem, canonicalize=(b"relaxed", b"relaxed"),
                      include_headers=[h.encode() for h in HEADERS]) + message  # fmt: skip
        return args.dkimpy_messages

    pools = {workers: SigningPool([rsa_key], workers=workers) for workers in (1, 2)}
    warm = composer.compose("warm@example.net", {"fname": "W", "lname": "U"}).data
    pids: dict[int, list[int]] = {}
    for workers, pool in pools.items():
        list(pool.map([warm] * 4, 1))
        pids[workers] = list(pool._executor._processes)  # bench only: the workers' CPU time

    def pooled(workers: int) -> Callable[[], int]:
        def run() -> int:
            messages = (composer.compose(address, data).data for address, data in rows(n))
            count = 0
            for _signed in pools[workers].map(messages, batch_size=100):
                count += 1
            return count

        run.workers = workers  # type: ignore[attr-defined]
        return run

    async_signer = AsyncSigner([rsa_key], workers=1)
    asyncio.run(async_signer.sign(warm))
    async_pid = list(async_signer.pool._executor._processes)  # type: ignore[union-attr]

    def async_pooled() -> int:
        """As the sending run would: 50 coroutines, each composing and awaiting its signature."""
        queue = iter(list(rows(n)))

        async def worker() -> int:
            count = 0
            for address, data in queue:
                await async_signer.sign(composer.compose(address, data).data)
                count += 1
            return count

        async def all_workers() -> int:
            return sum(await asyncio.gather(*(worker() for _ in range(50))))

        return asyncio.run(all_workers())

    async_pooled.workers = -1  # type: ignore[attr-defined]
    pids[-1] = async_pid

    # every variant's output verifies before it is timed
    sample = composer.compose(
        "check@example.net", {"fname": "C", "lname": "Ö", "language": "de"}
    ).data
    assert dkim.verify(rsa_signer.sign(sample), dnsfunc=dns)
    both = dual_signer.sign(sample)
    assert dkim.DKIM(both).verify(idx=0, dnsfunc=dns) and dkim.DKIM(both).verify(idx=1, dnsfunc=dns)
    assert dkim.verify(ed_only.sign(sample), dnsfunc=dns)
    for pool in pools.values():
        assert all(dkim.verify(m, dnsfunc=dns) for m in pool.map([sample] * 8, 2))

    cases: list[tuple[str, Callable[[], int]]] = [
        ("unsigned compose (baseline)", unsigned),
        ("compose + RSA-2048, one process", signed_with(rsa_signer)),
        ("compose + RSA-2048, pool of 2 signers", pooled(2)),
        ("compose + RSA-2048, pool of 1 signer", pooled(1)),
        ("compose + RSA-2048, AsyncSigner over 1 worker, 50 coroutines", async_pooled),
        ("compose + RSA-2048 + Ed25519 (dual)", signed_with(dual_signer)),
        ("compose + Ed25519 only (for comparison)", signed_with(ed_only)),
        ("compose + stock dkimpy RSA-2048", stock_dkimpy),
    ]
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in cases}
    load = os.getloadavg()
    for _ in range(args.rounds):
        for name, run in cases:
            workers = pids.get(getattr(run, "workers", 0), [])
            before = sum(proc_cpu(pid) for pid in workers)
            wall, cpu, count = timed(run)
            cpu += sum(proc_cpu(pid) for pid in workers) - before
            results[name].append((wall, cpu, count))
    for pool in pools.values():
        pool.close()
    async_signer.close()

    cpu_model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    print(f"machine: {cpu_model}, {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    print(f"command: PYTHONPATH=$PWD .venv/bin/python bench/dkim.py --messages {n}"
          f" --dkimpy-messages {args.dkimpy_messages} --rounds {args.rounds}")  # fmt: skip
    base = statistics.median(c / w for w, _, c in results[cases[0][0]])
    print()
    print(
        "| variant | messages | wall s | CPU s | msg/s (wall) | CPU ms/msg | x unsigned (msg/s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _ in cases:
        runs = results[name]
        wall = statistics.median(w for w, _, _ in runs)
        cpu = statistics.median(c for _, c, _ in runs)
        count = runs[0][2]
        rate = statistics.median(c / w for w, _, c in runs)
        print(f"| {name} | {count} | {wall:.2f} | {cpu:.2f} | {rate:,.0f} |"
              f" {1000 * cpu / count:.3f} | {rate / base:.2f} |")  # fmt: skip
    print()
    for name, _ in cases:
        rates = ", ".join(f"{c / w:,.0f}" for w, _, c in results[name])
        print(f"- {name}: msg/s per round {rates}")


if __name__ == "__main__":
    main()
