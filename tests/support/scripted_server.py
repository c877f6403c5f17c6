"""A raw SMTP server on 127.0.0.1 whose every reply comes from the test: for the wire-level cases
aiosmtpd will not produce (a DATA accepted after a refused recipient, garbage, replies cut into
single bytes) and to see exactly which bytes the client sent, and when."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

# What the server does after reading a command: a reply (or several lines) to write, "close" to
# hang up, "silent" to say nothing.
Answer = Callable[[str], str]


def default_answer(command: str) -> str:
    verb = command.split(" ", 1)[0].split(":", 1)[0].upper()
    return {"DATA": "354 go ahead", "QUIT": "221 bye", "CONTENT": "250 2.0.0 queued"}.get(
        verb, "250 OK"
    )


@dataclass
class ScriptedServer:
    port: int = 0
    pipelining: bool = True
    # with PIPELINING, hold the MAIL and RCPT replies until DATA (RFC 2920 allows it): a client
    # that waited for them would hang
    hold_replies: bool = True
    answer: Answer = default_answer
    # each reply's bytes are written one at a time (tests the client's reassembly)
    trickle: bool = False
    commands: list[str] = field(default_factory=list)
    contents: list[bytes] = field(default_factory=list)
    # (command, bytes already waiting when it was read): shows what arrived before a reply
    waiting: list[tuple[str, int]] = field(default_factory=list)
    # bytes already waiting when each message's final dot was read (what came in its write)
    after_content: list[bytes] = field(default_factory=list)
    connections: int = 0
    # transactions the client hung up on: a MAIL neither ended by a message's final dot nor
    # reset (counted when the session ends, however it ends)
    abandoned: int = 0
    # the greeting for the n-th connection (1, 2, ...); one not starting 220 is followed by a
    # hang-up, as a server refusing service does (RFC 5321 3.1)
    greeting: Callable[[int], str] | None = None

    async def _write(self, writer: asyncio.StreamWriter, text: str) -> None:
        data = text.replace("\n", "\r\n").encode() + b"\r\n"
        if self.trickle:
            for i in range(len(data)):
                writer.write(data[i : i + 1])
                await writer.drain()
                await asyncio.sleep(0)
        else:
            writer.write(data)
        await writer.drain()

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        greeting = self.greeting(self.connections) if self.greeting else "220 scripted ESMTP"
        await self._write(writer, greeting)
        if not greeting.startswith("220"):
            writer.close()
            return
        pending: list[str] = []  # replies held back until the group's DATA (pipelining)
        transaction = False  # a MAIL was read and its transaction has not ended
        try:
            while line := await reader.readline():
                command = line.decode().rstrip("\r\n")
                self.commands.append(command)
                # asyncio.StreamReader keeps what arrived beyond this line in its buffer
                self.waiting.append((command, len(reader._buffer)))
                verb = command.split(" ", 1)[0].upper()
                transaction = (transaction or verb == "MAIL") and verb != "RSET"
                if verb == "EHLO":
                    extra = "\n250-PIPELINING" if self.pipelining else ""
                    await self._write(writer, f"250-scripted{extra}\n250 8BITMIME")
                    continue
                reply = self.answer(command)
                if reply == "close":
                    break
                if reply == "silent":
                    await asyncio.sleep(3600)
                if self.pipelining and self.hold_replies and verb in ("MAIL", "RCPT"):
                    pending.append(reply)
                    continue
                await self._write(writer, "\n".join([*pending, reply]))
                pending.clear()
                if reply.startswith("221"):
                    break
                if verb == "DATA" and reply.startswith("354"):
                    content = bytearray()
                    try:
                        while (data_line := await reader.readline()) not in (b".\r\n", b""):
                            content += data_line
                    except ConnectionError:
                        data_line = b""
                    if not data_line:  # a hang-up before the final dot: no message
                        break
                    transaction = False
                    self.contents.append(bytes(content + data_line))
                    self.after_content.append(bytes(reader._buffer))
                    final = self.answer("CONTENT")
                    if final == "close":
                        break
                    if final == "silent":
                        await asyncio.sleep(3600)
                    await self._write(writer, final)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:  # also when a "silent" session is cancelled as the test ends
            self.abandoned += transaction
            writer.close()

    def verbs(self) -> list[str]:
        return [c.split(" ", 1)[0].split(":", 1)[0].upper() for c in self.commands]


@asynccontextmanager
async def scripted_server(**kwargs: object) -> AsyncIterator[ScriptedServer]:
    state = ScriptedServer(**kwargs)  # type: ignore[arg-type]
    server = await asyncio.start_server(state.session, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    async with server:
        yield state
        server.close()


@contextmanager
def scripted_server_thread(**kwargs: object) -> Iterator[ScriptedServer]:
    """The scripted server on an event loop of its own in a thread, for driving the CLI (which
    runs its own loop) against it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    state = ScriptedServer(**kwargs)  # type: ignore[arg-type]

    async def start() -> asyncio.Server:
        server = await asyncio.start_server(state.session, "127.0.0.1", 0)
        state.port = server.sockets[0].getsockname()[1]
        return server

    server = asyncio.run_coroutine_threadsafe(start(), loop).result()

    async def stop() -> None:
        server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()

    try:
        yield state
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
