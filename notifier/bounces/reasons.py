"""Reasons by text: a table of phrases per reason, the way Sisimai's reason rules read a reply.

Each reason names the Sisimai reason it stands for, docket's (wider) class, and the RFC 3463
subject.detail a status is derived from when the report gives none. The first reason in table
order whose phrase the text contains wins, so a specific reason comes before a general one
("Host not found, try again" is a network failure, "Host not found" an unknown host). Every
phrase carries an example that the whole table must classify as that reason's class
(tests/notifier/bounces/test_reasons.py). The phrases are facts about what servers write,
learnt from Sisimai's reason modules (BSD-2-Clause) and the messages docket was measured on;
the patterns are written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

USER_UNKNOWN = "user-unknown"
HOST_UNKNOWN = "host-unknown"
MAILBOX_DISABLED = "mailbox-disabled"
MAILBOX_FULL = "mailbox-full"
POLICY = "policy"
MESSAGE = "message"
EXPIRED = "expired"
NETWORK = "network"
SYSTEM = "system"

Phrase = tuple[str, str]  # (pattern, an example a server wrote)


@dataclass(frozen=True)
class Reason:
    """One Sisimai reason: docket's class for it, the detail of its derived status, phrases."""

    name: str
    klass: str
    detail: str
    phrases: tuple[Phrase, ...]
    pattern: re.Pattern[str]


_CASED_ESCAPES = re.compile(r"\\[SDWBAZ]")


def _reason(name: str, klass: str, detail: str, *phrases: Phrase) -> Reason:
    """Phrases are matched against lower-cased text (re.I costs 2.5 times the time here), so
    a pattern must mean the same in lower case: no \\S, \\D, \\W, \\B, \\A, \\Z."""
    joined = "|".join(f"(?:{p})" for p, _example in phrases)
    if _CASED_ESCAPES.search(joined):
        raise ValueError(f"reason {name}: a pattern with a cased escape cannot be lower-cased")
    return Reason(name, klass, detail, phrases, re.compile(joined.lower()))


REASONS: tuple[Reason, ...] = (
    _reason(
        "networkerror", NETWORK, "4.3",
        (
            r"host not found, try again",
            "Name service error for domain x.example: Host not found, try again",
        ),
        (
            r"malformed (or unexpected )?name server reply",
            "malformed or unexpected name server reply",
        ),
        (r"(?<!reverse )dns lookup failed", "DNS lookup failed."),
    ),
    _reason(
        "mailererror", SYSTEM, "3.0",
        (r"command died with status", 'Command died with status 17: "/usr/sbin/amavis"'),
        (
            r"unable to connect to [\w -]*daemon",
            "avpcheck: unable to connect to avp daemon: Connection refused",
        ),
        (
            r"encountered an error while being processed",
            "it encountered an error while being processed",
        ),
        (r"can't create user output file", "can't create user output file"),
        (r"this domain's dns violates rfc 1035", "This domain's DNS violates RFC 1035."),
        (r"several matches found in domino directory", "Several matches found in Domino Directory"),
    ),
    _reason(
        "hostunknown", HOST_UNKNOWN, "1.2",
        (r"host (or domain name )?not found", "Host or domain name not found. Name service error"),
        (r"domain (name )?not found", "550 5.1.2 domain not found"),
        (r"unknown host|host unknown", "550 Host unknown"),
        (r"no such domain", "No such domain."),
        (r"domain (does not exist|is not reachable|must exist)", "Domain does not exist"),
        (r"\bno mx\b|nxdomain|null mx", "556 5.1.10 domain has null MX"),
        (r"unrouteable mail domain", "Unrouteable mail domain"),
        (r"name service error", "Name service error for name=x.example type=MX"),
        (r"domain (is )?not (configured|valid)", "domain is not configured"),
        (
            r"mail domain mentioned in email address is unknown",
            "Mail domain mentioned in email address is unknown",
        ),
        (r"name or service not known", "Name or service not known"),
        (r"unknown domain name", "Recipient address rejected: unknown domain name"),
        (r"the account or domain may not exist", "The account or domain may not exist"),
        (r"as the remote domain doesn'?t exist", "As the remote domain doesnt exist."),
    ),
    _reason(
        "rejected", POLICY, "7.1",
        (
            r"sender address rejected",
            "553 5.7.1 <a@b.example>: Sender address rejected: not owned by user",
        ),
        (r"sender verify failed", "550 Sender verify failed"),
        (r"invalid sender|unroutable sender address", "501 5.1.8 Invalid sender"),
        (r"domain of sender address", "Domain of sender address x.example does not exist"),
        (r"by non-member to a members-only list", "Post by non-member to a members-only list"),
        (
            r"you are not allowed to post to this mailing list",
            "You are not allowed to post to this mailing list",
        ),
        (
            r"may not have permission to post messages to the group",
            "or you may not have permission to post messages to the group",
        ),
        (r"mail from not owned by user", "550 MAIL FROM not owned by user"),
        (
            r"null sender is not allowed|empty envelope senders not allowed",
            "Null sender is not allowed",
        ),
        (r"returned mail not accepted here", "Returned mail not accepted here"),
        (r"not accepting mail from", "they are not accepting mail from lists.example.org"),
    ),
    _reason(
        "suspend", MAILBOX_DISABLED, "2.1",
        (
            r"(account|mailbox|user|recipient)( is| has been)? (disabled|suspended|inactive|locked"
            r"|deactivated|closed|frozen|expired|blocked)",
            "This account has been disabled or discontinued",
        ),
        (r"(disabled|inactive|suspended) (user|account|mailbox)", "550 5.2.1 inactive mailbox"),
        (r"invalid/inactive user", "invalid/inactive user"),
        (
            r"email account that you tried to reach is disabled",
            "The email account that you tried to reach is disabled.",
        ),
        (r"is a deactivated mailbox", "is a deactivated mailbox"),
        (r"mailbox (currently )?suspended", "mailbox currently suspended"),
        (r"mailbox unavailable or access denied", "550 mailbox unavailable or access denied"),
        (r"recipient suspend the service", "recipient suspend the service"),
        (r"account (is )?unavailable", "550 Account unavailable"),
        (
            r"the user\(s\) account is temporarily limited",
            "The user(s) account is temporarily limited.",
        ),
        (r"cannot route mail to user", "Cannot route mail to user"),
    ),
    _reason(
        "mailboxfull", MAILBOX_FULL, "2.2",
        (r"mailbox (is )?full|full mailbox|mail ?folder is full", "User's mailbox is full"),
        (
            r"mail ?box (space|storage) (is )?not enough|not enough (storage )?space",
            "ErrMsg=mail box space not enough",
        ),
        (r"over ?(the )?(allowed |disk )?quota", "the recipient is over disk quota"),
        (r"quota (exceeded|full|violation)", "552 Quota violation for a@b.example"),
        (
            r"exceed(ed|ing)? (their|its|the|his|her) (mailbox |disk )?quota",
            "This person's account is exceeding their quota.",
        ),
        (
            r"exceeded (storage|quota)|storage allocation",
            "552 Requested mail action aborted: exceeded storage allocation",
        ),
        (r"mailbox size limit|mailbox exceeded the local limit", "mailbox size limit exceeded"),
        (r"file too large", "error writing message: File too large"),
        (r"insufficient storage for the user", "insufficient storage for the user"),
        (
            r"user is over|mailbox has exceeded",
            "The recipient mailbox has exceeded its disk space limit",
        ),
        (
            r"too many messages (in|on) (the )?(mailbox|server)",
            "user has too many messages on the server",
        ),
        (r"reached disk quota|disk quota", "recipient reached disk quota"),
        (r"too much mail (data|stored)", "your intended recipient has too much mail stored"),
        (
            r"space has been used up|does not have enough space",
            "The user's space has been used up.",
        ),
        (
            r"would exceed (mailbox quota|maximum allowed storage)",
            "552 Message for <a@b.example> would exceed mailbox quota",
        ),
        (
            r"the user\(s\) account is temporarily over quota",
            "The user(s) account is temporarily over quota.",
        ),
        (r"as their mailbox is full", "As their mailbox is full."),
    ),
    _reason(
        "userunknown", USER_UNKNOWN, "1.1",
        (r"user unknown|unknown user", "550 5.1.1 <a@b.example>... User unknown"),
        (r"no such (user|mailbox|recipient|account|address|local user|person)", "550 No such user"),
        (
            r"mailbox (not found|unavailable|invalid|is inactive|is unavailable)",
            "550 Requested action not taken: mailbox unavailable",
        ),
        (r"user not (found|known|active)", "User not known"),
        (
            r"recipient not found|recipnotfound|recipientnotfound",
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound",
        ),
        (
            r"unknown (recipient|address|e-?mail address|mailbox)",
            "MSEXCH:IMS 0 (000C05A6) Unknown Recipient",
        ),
        (r"invalid (recipient|mailbox|address)", "550 Invalid recipient"),
        (
            r"recipient address rejected",
            "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in alias table",
        ),
        (r"address (not found|unknown|rejected|does not exist)", "550 Address rejected"),
        (
            r"(does not|doesn't|not) exist",
            "The email account that you tried to reach does not exist.",
        ),
        (
            r"no mailbox here|no mailbox (found|by that name)",
            "Sorry, no mailbox here by that name. (#5.1.1)",
        ),
        (r"addressee unknown|unrouteable address", "553 5.3.0 <a@b.example>... Addressee unknown"),
        (r"unknown local.part", "Unknown local-part a in domain b.example"),
        (
            r"not a valid (mailbox|recipient|user)",
            "One or more of the recipients are not a valid user of the system.",
        ),
        (r"is not a known user|is not an active address", "a@b.example is not a known user"),
        (r"not our customer", "not our customer"),
        (
            r"no longer (valid|available|in use|accepts mail)",
            "this email address is wrong or no longer valid",
        ),
        (r"has moved", "550 5.1.6 recipient has moved"),
        (
            r"unbekannt|n'existe pas|destinataire inconnu",
            "L'adresse de messagerie référencée ci-dessus n'existe pas.",
        ),
        (r"doesn't have an? [\w.-]+ account", "This user doesn't have a example.net account"),
        (r"bad destination mailbox", "failed: Bad destination mailbox address"),
        (r"recipient name is not recognized", "The recipient name is not recognized"),
        (
            r"not listed in (the )?domino directory|not listed in public name & address book",
            "User a (a@b.example) not listed in Domino Directory",
        ),
        (r"invalid final delivery userid", "Invalid final delivery userid: a@b.example"),
        (
            r"does not have a final email delivery point",
            "Does not have a final email delivery point",
        ),
        (r"no matches to nameserver query", "No matches to nameserver query"),
        (
            r"no account by that name|archived recipient|non-?existent user",
            "no account by that name here",
        ),
        (r"there is no one at this address", "There is no one at this address"),
    ),
    _reason(
        "exceedlimit", MESSAGE, "2.3",
        (
            r"message length exceeds administrative limit",
            "552 5.2.3 Message length exceeds administrative limit",
        ),
    ),
    _reason(
        "mesgtoobig", MESSAGE, "3.4",
        (r"message (is |file )?too (big|large|long)", "552 5.3.4 Error: message file too big"),
        (
            r"message size|size limit|max(imum)? message size",
            "This mail message has exceeded the maximum incoming message size.",
        ),
        (r"line limit exceeded|too many recipients", "452 4.5.3 Too many recipients"),
        (r"taille limite du message", "taille limite du message atteinte"),
    ),
    _reason(
        "contenterror", MESSAGE, "6.0",
        (
            r"line too long|invalid mime|malformed (message|header)|header (error|syntax)",
            "554 5.6.0 header syntax error",
        ),
        (r"8.?bit|content error", "554 5.6.1 8bit data not accepted"),
        (r"conversion to internet format failed", "Conversion to Internet format failed"),
        (r"no [\w-]+ (field|header) given", "554 No Resent-From field given"),
    ),
    _reason(
        "expired", EXPIRED, "4.7",
        (
            r"retry time not reached for any host after a long failure period",
            "retry time not reached for any host after a long failure period",
        ),
        (r"delivery time expired|message expired|maximum.time.expired", "Delivery time expired"),
        (
            r"too long in (the )?queue|in the queue too long|hours on the queue",
            "I'm not going to try again; this message has been in the queue too long.",
        ),
        (r"gave up|giving up on", "Giving up on 192.0.2.1."),
        (
            r"could not be delivered for (more than )?\d+",
            "Your message could not be delivered for more than 5 days",
        ),
        (r"has not been collected after", "failed because it has not been collected after 30 days"),
        (r"could not find a gateway for", "Routing: Could not find a gateway for a@b.example"),
        (
            r"not reachable within the allowed queue period",
            "the destination computer was not reachable within the allowed queue period",
        ),
        (
            r"server did not respond",
            "has not yet been delivered because the recipient server did not respond",
        ),
        (
            r"message timed out|retry time(out)? (was )?exceeded|retry timeout",
            "Unable to transfer, Message timed out",
        ),
        (
            r"failed to deliver to domain .* after \d+ tries",
            "Failed to deliver to domain b.example after 12 tries",
        ),
        (
            r"delivery failed \d+ attempts|maximum delivery attempts",
            "Reason:  Exceeded Maximum Delivery Attempts.",
        ),
        (
            r"your message was not delivered within",
            "Your message was not delivered within 0 days and 1 hours.",
        ),
        (r"expired", "550 4.4.7 Message expired"),
    ),
    _reason(
        "networkerror", NETWORK, "4.0",
        (
            r"connection (refused|timed out|reset|lost|closed)",
            "connect to mx.b.example[192.0.2.1]:25: Connection refused",
        ),
        (
            r"timed? ?out",
            "conversation with mx.b.example timed out while receiving the initial server greeting",
        ),
        (
            r"network (is )?unreachable|no route to host|host is unreachable",
            "connect to 192.0.2.1: No route to host",
        ),
        (
            r"lost connection|connection to mail exchanger failed",
            "connection to mail exchanger failed",
        ),
        (r"can't connect to host|unable to (connect|establish)", "Can't connect to host"),
        (r"host name lookup failure|unable to resolve route", "host name lookup failure"),
    ),
    _reason(
        "networkerror", NETWORK, "4.6",
        (
            r"mail loop|loops? back to myself|too many hops|hop count exceeded",
            "554 Too many hops 26 (25 max)",
        ),
        (r"message looping|routing loop|forwarding loop", '554 Message looping (received 6 times)'),
        (r"loop", "mail for b.example loops back to myself"),
    ),
    _reason(
        "norelaying", POLICY, "7.1",
        (
            r"relay(ing)? (denied|not permitted|access denied|prohibited)|unable to relay"
            r"|not allowed to relay",
            "MTA '192.0.2.1' gives error message 5.7.1 Unable to relay for a@b.example",
        ),
    ),
    _reason(
        "spamdetected", POLICY, "7.1",
        (
            r"spam|unsolicited|bulk (e-?)?mail",
            "Our system has detected that this message is likely unsolicited mail.",
        ),
        (
            r"content filter|message filtered",
            "554 5.7.1 Message filtered. Please see the FAQs section on spam",
        ),
        (r"virus|malware|infected|banned", "554 5.7.0 Reject, id=1 - VIRUS: Eicar-Test-Signature"),
    ),
    _reason(
        "blocked", POLICY, "7.1",
        (
            r"block|black.?list|deny.?list|listed (at|in|on|by)|\brbl\b|dnsbl",
            "554 5.7.1 Service unavailable; client host blocked using zen.example",
        ),
        (
            r"reputation|\bptr\b|reverse (dns|lookup)|\brdns\b",
            "550 5.7.25 reverse DNS lookup failed",
        ),
        (
            r"client host rejected|go away|you are not allowed to connect",
            "554 5.7.1 Client host rejected: cannot find your hostname",
        ),
    ),
    _reason(
        "securityerror", POLICY, "7.0",
        (r"\bspf\b|\bdkim\b|\bdmarc\b", "550 5.7.23 SPF validation failed"),
        (
            r"authentication required|not authori[sz]ed|encryption required",
            "530 5.7.0 Authentication required",
        ),
    ),
    _reason(
        "toomanyconn", POLICY, "7.0",
        (
            r"rate limit|too many (connections|messages|errors|concurrent|smtp sessions)",
            "421 4.7.0 too many connections from your IP",
        ),
        (
            r"throttl|sending rate exceeded|max emails per hour",
            "454 Throttling failure: Maximum sending rate exceeded.",
        ),
        (
            r"greylist|graylist|too new domain",
            "451 4.7.1 greylisted, please try again in 300 seconds",
        ),
    ),
    _reason(
        "policyviolation", POLICY, "7.1",
        (r"not permitted|access denied|refused|policy|suspicious|administrative prohibition",
         "550 5.7.1 Message refused for policy reasons"),
        (r"\brejected\b", "550 Rejected"),
    ),
    _reason(
        "systemfull", SYSTEM, "3.1",
        (
            r"mail system full|system (storage|disk) (is )?full|insufficient system storage",
            "452 4.3.1 Insufficient system storage",
        ),
    ),
    _reason(
        "systemerror", SYSTEM, "3.0",
        (r"system (error|failure)|internal (server )?error|resources|configuration error|i/o error",
         "451 4.3.0 Internal error"),
        (
            r"temporary local problem|local error in processing",
            "451 Temporary local problem - please try later",
        ),
    ),
)  # fmt: skip
DETAIL_OF_CLASS = {
    USER_UNKNOWN: "1.1",
    HOST_UNKNOWN: "1.2",
    MAILBOX_DISABLED: "2.1",
    MAILBOX_FULL: "2.2",
    MESSAGE: "3.4",
    EXPIRED: "4.7",
    NETWORK: "4.0",
    POLICY: "7.1",
    SYSTEM: "3.0",
}


def reason_of(text: str, first: tuple[Reason, ...] = ()) -> Reason | None:
    """The first reason (a reader's own `first`, then the table) whose phrase the text contains."""
    if not text:
        return None
    lowered = text.lower()
    for reason in first:
        if reason.pattern.search(lowered):
            return reason
    for reason in REASONS:
        if reason.pattern.search(lowered):
            return reason
    return None


def reader_reason(name: str, klass: str, detail: str, *phrases: Phrase) -> Reason:
    """A reader's own wording (an Exchange error code, a carrier's sentence) as a reason."""
    return _reason(name, klass, detail, *phrases)
