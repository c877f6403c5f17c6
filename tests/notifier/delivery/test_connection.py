"""One pooled connection against a scripted server: pipelined and lock-step transactions, every
refusal at every step, and the connection troubles that make a message uncertain."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from notifier.delivery.connection import Connection, Outcome, parse_smtp_url, probe
from tests.support.scripted_server import Answer, ScriptedServer, default_answer, scripted_server

MESSAGE = b"Subject: hi\r\n\r\n.leading dot\r\nbody\r\n"
ON_THE_WIRE = b"Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n"
FROM, TO = "returns@example.org", "anna@example.org"


def answering(**replies: str) -> Answer:
    """The default answers, with some verbs (MAIL, RCPT, DATA, CONTENT) answered otherwise."""

    def answer(command: str) -> str:
        verb = command.split(" ", 1)[0].split(":", 1)[0].upper()
        return replies.get(verb, default_answer(command))

    return answer


def run_with(
    test: Callable[[ScriptedServer, Connection], Awaitable[None]],
    *,
    use_pipelining: bool = True,
    timeout: float = 2.0,
    **server: object,
) -> None:
    async def main() -> None:
        async with scripted_server(**server) as state:
            settings = parse_smtp_url(
                f"smtp://127.0.0.1:{state.port}",
                timeout=timeout,
                data_timeout=timeout,
                pipelining=use_pipelining,
            )
            connection = Connection(settings)
            try:
                await asyncio.wait_for(test(state, connection), 30)
            finally:
                await connection.close()

    asyncio.run(main())


def test_pipelining_sends_mail_rcpt_data_in_one_write() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        # the server holds the MAIL and RCPT replies until DATA: a client waiting for them
        # one by one would time out here
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert outcome == Outcome("sent", "250 2.0.0 queued", 250)
        assert connection.pipelining
        assert server.commands[1:4] == [f"MAIL FROM:<{FROM}>", f"RCPT TO:<{TO}>", "DATA"]
        mail_waiting = dict(server.waiting)[f"MAIL FROM:<{FROM}>"]
        assert mail_waiting == len(f"RCPT TO:<{TO}>\r\nDATA\r\n")
        assert server.contents == [ON_THE_WIRE]
        assert (await connection.send(FROM, "ben@example.org", MESSAGE)).kind == "sent"
        assert server.connections == 1  # reused

    run_with(test)


def test_lock_step_when_the_server_does_not_offer_pipelining() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        assert (await connection.send(FROM, TO, MESSAGE)).kind == "sent"
        assert not connection.pipelining
        assert server.verbs()[1:4] == ["MAIL", "RCPT", "DATA"]
        # nothing was sent ahead of a reply
        assert all(waiting == 0 for _command, waiting in server.waiting)

    run_with(test, pipelining=False)


def test_no_pipelining_option_waits_for_each_reply() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        assert (await connection.send(FROM, TO, MESSAGE)).kind == "sent"
        assert connection.offers_pipelining and not connection.pipelining
        assert all(waiting == 0 for _command, waiting in server.waiting)

    run_with(test, use_pipelining=False, hold_replies=False)


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelining", "lock-step"])
@pytest.mark.parametrize(
    ("replies", "kind", "reply"),
    [
        ({"MAIL": "451 4.3.0 try later", "RCPT": "503 5.5.1 no MAIL", "DATA": "503 5.5.1 no"},
         "server", "451 4.3.0 try later"),
        ({"MAIL": "553 5.1.8 Sender address rejected", "RCPT": "503 5.5.1 no MAIL",
          "DATA": "503 5.5.1 no"}, "server", "553 5.1.8 Sender address rejected"),
        ({"RCPT": "530 5.7.0 Authentication required", "DATA": "503 5.5.1 no"},
         "server", "530 5.7.0 Authentication required"),
        ({"RCPT": "550 5.1.1 user unknown", "DATA": "554 5.5.1 no valid recipients"},
         "permanent", "550 5.1.1 user unknown"),
        ({"RCPT": "452 4.2.2 mailbox full", "DATA": "503 5.5.1 no valid recipients"},
         "temporary", "452 4.2.2 mailbox full"),
        ({"DATA": "554 5.3.4 no"}, "permanent", "554 5.3.4 no"),
        ({"CONTENT": "554-5.7.1 rejected\n554 5.7.1 as spam"},
         "permanent", "554 5.7.1 rejected 5.7.1 as spam"),
        ({"CONTENT": "451 4.7.1 greylisted"}, "temporary", "451 4.7.1 greylisted"),
    ],
    ids=["mail-4xx", "mail-5xx", "rcpt-530", "rcpt-5xx", "rcpt-4xx", "data", "final-multiline", "final-4xx"],
)  # fmt: skip
def test_a_refusal_is_the_outcome_and_the_connection_is_reset(
    pipelining: bool, replies: dict[str, str], kind: str, reply: str
) -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert (outcome.kind, outcome.reply, outcome.after_data) == (kind, reply, False)
        assert server.verbs()[-1] == "RSET"
        assert server.contents == ([ON_THE_WIRE] if "CONTENT" in replies else [])
        server.answer = default_answer
        assert (await connection.send(FROM, TO, MESSAGE)).kind == "sent"
        assert server.connections == 1

    run_with(test, pipelining=pipelining, answer=answering(**replies))


def test_data_accepted_after_a_refused_recipient_ends_with_an_empty_message() -> None:
    """RFC 2920 3.1: a server that says 354 with no valid recipient gets a lone dot."""

    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert (outcome.kind, outcome.reply) == ("permanent", "550 5.1.1 user unknown")
        assert server.contents == [b".\r\n"]
        assert server.verbs()[-1] == "RSET"

    run_with(test, answer=answering(RCPT="550 5.1.1 user unknown", CONTENT="554 no recipients"))


def test_421_closes_the_connection_and_the_next_send_reconnects() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert (outcome.kind, outcome.reply) == ("temporary", "421 4.3.2 shutting down")
        assert connection.protocol is None
        server.answer = default_answer
        assert (await connection.send(FROM, TO, MESSAGE)).kind == "sent"
        assert server.connections == 2

    # the server says 421 to MAIL and hangs up before answering RCPT and DATA
    state = {"closed": False}

    def answer(command: str) -> str:
        if command.startswith("MAIL") and not state["closed"]:
            state["closed"] = True
            return "421 4.3.2 shutting down"
        if command.startswith(("RCPT", "DATA")) and state["closed"]:
            return "close"
        return default_answer(command)

    run_with(test, pipelining=False, answer=answer)


@pytest.mark.parametrize("trouble", ["close", "silent"])
def test_trouble_after_the_content_makes_the_message_uncertain(trouble: str) -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert outcome.kind == "temporary" and outcome.after_data
        assert outcome.reply.startswith("connection lost after DATA")
        assert connection.protocol is None

    run_with(test, timeout=0.5, answer=answering(CONTENT=trouble))


@pytest.mark.parametrize("trouble", ["close", "silent"])
def test_trouble_before_the_content_is_not_uncertain(trouble: str) -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert outcome.kind == "temporary" and not outcome.after_data
        assert outcome.reply.startswith("envelope: ")
        assert server.contents == []

    run_with(test, timeout=0.5, answer=answering(DATA=trouble))


def test_replies_cut_into_single_bytes_are_reassembled() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert outcome == Outcome("sent", "250 2.0.0 queued", 250)

    run_with(test, trickle=True)


def test_garbage_from_the_server_drops_the_connection() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome = await connection.send(FROM, TO, MESSAGE)
        assert outcome.kind == "temporary" and not outcome.after_data
        assert "not an SMTP reply" in outcome.reply
        assert connection.protocol is None

    run_with(test, answer=answering(DATA="HTTP/1.1 400 Bad Request"))


def test_probe_reports_what_the_server_offers() -> None:
    async def main() -> None:
        for offered in (True, False):
            async with scripted_server(pipelining=offered) as server:
                settings = parse_smtp_url(f"smtp://127.0.0.1:{server.port}", pipelining=False)
                capabilities = await probe(settings)
                assert capabilities.pipelining is offered and capabilities.eightbit
                assert server.verbs()[-1] == "QUIT"

    asyncio.run(main())
