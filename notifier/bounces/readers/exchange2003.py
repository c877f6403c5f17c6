"""Microsoft Exchange 2000/2003 (and 5.5's Internet Mail Service) non-delivery reports.

"Your message / To: / Subject: / Sent: / did not reach the following recipient(s):", then per
recipient `address on DATE`, a sentence and an `MSEXCH:IMS:...` line whose hexadecimal code in
parentheses is the reason. The address can be an X.400 one (`c=US;a= ;p=ORG;dda:SMTP=a@b`).
"""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks
from notifier.bounces.reasons import MESSAGE, NETWORK, POLICY, SYSTEM, USER_UNKNOWN, reader_reason

READER = Reader(
    "exchange2003",
    (
        'did not reach the following recipient',
        'msexch:',
        'internet mail service (',
        'exchange server internet mail connector',
        'produced by microsoft exchange',
        'x-ms-embedded-report',
    ),
    marks(
        r"did not reach the following recipient\(s\)",
        r"\bMSEXCH:",
        r"^X-Mailer: (Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector)",
        r"^X-MimeOLE: Produced By Microsoft Exchange",
        r"^X-MS-Embedded-Report:",
    ),
    (
        reader_reason(
            "userunknown", USER_UNKNOWN, "1.1",
            (
                r"\(000C05A6\)",
                "(000C05A6) Unknown Recipient",
            ),
        ),
        reader_reason(
            "filtered", USER_UNKNOWN, "1.4",
            (
                r"\(000C0595\)",
                "(000C0595) Ambiguous Recipient",
            ),
        ),
        reader_reason(
            "networkerror", NETWORK, "4.6",
            (
                r"\(00120270\)",
                "(00120270) Too Many Hops",
            ),
        ),
        reader_reason(
            "contenterror", MESSAGE, "6.0",
            (r"\(00050311\)|\(000502CC\)", "(00050311) Conversion to Internet format failed"),
        ),
        reader_reason(
            "systemerror", SYSTEM, "3.0",
            (r"\(00010256\)|\(000D06B5\)", "(000D06B5) No proxy for recipient"),
        ),
        reader_reason(
            "securityerror", POLICY, "7.0",
            (
                r"\(000B0981\)",
                "(000B0981) 502 Server does not support AUTH",
            ),
        ),
    ),
)  # fmt: skip
