"""Oracle Communications / Sun Java System Messaging Server (and PMDF before it).

"This report relates to a message you sent with the following header fields:" then per recipient
"Recipient address:", "Original address:", "Reason:" and "Diagnostic code:"; the MIME boundary is
`Boundary_(ID_...)`, the subject "Delivery Notification: ...".
"""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "messaging-server",
    (
        "this report relates to a message you sent",
        "boundary_(id_",
        "delivery notification: ",
    ),
    marks(
        r"This report relates to a message you sent with the following header fields",
        r"Boundary_\(ID_",
        r"^Subject: Delivery Notification: ",
    ),
)
