"""One pooled connection against a scripted server: pipelined and lock-step transactions, every
refusal at every step, and the connection troubles that make a message uncertain."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from notifier.delivery.connection import Connection, Envelope, Outcome, parse_smtp_url, probe
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
        # the reply to the final dot ends the transaction itself (RFC 5321 4.1.1.4): no RSET
        assert server.verbs()[-1] == ("DATA" if "CONTENT" in replies else "RSET")
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


# -- the next envelope goes ahead with this content -----------------------------------------------

BEN, CLEO = "ben@example.org", "cleo@example.org"


async def send_ahead(connection: Connection, first: str, then: str) -> tuple[Outcome, Envelope]:
    """The first message, with the envelope for `then` written after its content."""
    assert await connection.begin(Envelope.of(FROM, first)) is None
    ahead = Envelope.of(FROM, then)
    return await connection.transfer(MESSAGE, ahead), ahead


async def hang_up_seen(server: ScriptedServer) -> None:
    """Until the server's session ends with Ben's transaction open (a hang-up, no QUIT)."""
    for _ in range(500):
        if server.abandoned:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server never saw the connection end mid-message")


def test_the_next_envelope_goes_in_the_same_write_as_the_content() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome, ahead = await send_ahead(connection, TO, BEN)
        assert outcome == Outcome("sent", "250 2.0.0 queued", 250)
        assert await connection.begin(ahead) is None  # only reads the replies
        assert (await connection.transfer(MESSAGE)).kind == "sent"
        # the server had MAIL, RCPT and DATA for Ben when it read Anna's final dot
        expected = f"MAIL FROM:<{FROM}>\r\nRCPT TO:<{BEN}>\r\nDATA\r\n".encode()
        assert server.after_content == [expected, b""]
        assert server.commands.count(f"RCPT TO:<{BEN}>") == 1
        assert server.contents == [ON_THE_WIRE, ON_THE_WIRE] and server.connections == 1

    run_with(test)


def test_nothing_goes_ahead_without_pipelining() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome, ahead = await send_ahead(connection, TO, BEN)
        assert outcome.kind == "sent" and server.after_content == [b""]
        assert await connection.begin(ahead) is None
        assert (await connection.transfer(MESSAGE)).kind == "sent"
        assert server.verbs().count("MAIL") == 2 and server.connections == 1

    run_with(test, use_pipelining=False, hold_replies=False)


@pytest.mark.parametrize("final", ["554 5.7.1 rejected as spam", "451 4.7.1 greylisted"])
def test_a_refused_content_leaves_the_envelope_ahead_to_go_on(final: str) -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome, ahead = await send_ahead(connection, TO, BEN)
        assert outcome.reply == final
        server.answer = default_answer
        assert await connection.begin(ahead) is None
        assert (await connection.transfer(MESSAGE)).kind == "sent"
        # no RSET: it would have been read as Ben's message
        assert "RSET" not in server.verbs() and server.contents == [ON_THE_WIRE, ON_THE_WIRE]
        assert server.connections == 1

    run_with(test, answer=answering(CONTENT=final))


@pytest.mark.parametrize("trouble", ["close", "421 4.3.2 shutting down"])
def test_a_connection_gone_after_the_content_sends_the_envelope_ahead_anew(trouble: str) -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome, ahead = await send_ahead(connection, TO, BEN)
        assert outcome.kind == "temporary"
        assert outcome.after_data == (trouble == "close")
        server.answer = default_answer
        assert await connection.begin(ahead) is None  # on a new connection, written again
        assert (await connection.transfer(MESSAGE)).kind == "sent"
        assert server.connections == 2
        second = server.commands[server.commands.index("EHLO localhost", 1) :]
        assert second[1:4] == [f"MAIL FROM:<{FROM}>", f"RCPT TO:<{BEN}>", "DATA"]
        assert len(server.contents) == 2  # Anna's (unanswered or refused) and Ben's, once

    run_with(test, answer=answering(CONTENT=trouble))


def test_cancelling_the_envelope_ahead_hangs_up_without_a_message() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        outcome, _ahead = await send_ahead(connection, TO, BEN)
        assert outcome.kind == "sent"
        connection.cancel_ahead()
        assert connection.protocol is None
        await connection.close()
        await hang_up_seen(server)
        assert server.contents == [ON_THE_WIRE]  # Ben's transaction never ended: nothing sent
        assert "QUIT" not in server.verbs()

    run_with(test, hold_replies=False)


def test_closing_with_an_envelope_ahead_sends_no_quit_as_content() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        await send_ahead(connection, TO, BEN)
        await connection.close()
        await hang_up_seen(server)
        assert server.contents == [ON_THE_WIRE] and "QUIT" not in server.verbs()

    run_with(test, hold_replies=False)


def test_another_envelope_than_the_one_ahead_starts_on_a_new_connection() -> None:
    async def test(server: ScriptedServer, connection: Connection) -> None:
        await send_ahead(connection, TO, BEN)
        assert await connection.begin(Envelope.of(FROM, CLEO)) is None
        assert (await connection.transfer(MESSAGE)).kind == "sent"
        assert server.connections == 2
        assert len(server.contents) == 2  # Anna's and Cleo's; Ben's transaction was dropped

    run_with(test)


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
