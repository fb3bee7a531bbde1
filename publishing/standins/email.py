"""A stand-in SMTP server on 127.0.0.1: a real `aiosmtpd` server in a thread, with scripted replies.

It requires AUTH (PLAIN/LOGIN over the plain connection, as a local submission server would allow) and
answers a wrong password 535; it can refuse recipients at RCPT (`refuse`: address -> reply, e.g.
"550 5.1.1 No such user" or "450 4.2.1 Mailbox busy"), and plays a script of DATA outcomes (a reply such
as "451 4.3.0 Try again later", or a delay longer than the client's timeout: the message is stored before
the delay). Every accepted message is kept in `messages`, parsed, so tests count deliveries per recipient
and read the Message-ID.
"""

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Fault:
    reply: str = ""  # an SMTP reply for DATA instead of 250, e.g. "451 4.3.0 Try again later"
    delay: float = 0.0  # seconds before answering DATA; the message is stored first


@dataclass
class SmtpStandIn:
    user: str
    password: str
    messages: list = field(default_factory=list)  # accepted messages (email.message.EmailMessage)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (mail from, rcpt tos) accepted
    refuse: dict[str, str] = field(default_factory=dict)
    script: list[Fault] = field(default_factory=list)
    logins: int = 0

    def start(self) -> int:
        stand_in = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
                if address in stand_in.refuse:
                    return stand_in.refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                fault = stand_in.script.pop(0) if stand_in.script else Fault()
                if fault.reply:
                    return fault.reply
                stand_in.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                stand_in.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                return "250 2.0.0 Message accepted for delivery"

        def authenticator(server, session, envelope, mechanism, auth_data):
            if not isinstance(auth_data, LoginPassword):
                return AuthResult(success=False, handled=False)
            ok = auth_data.login.decode() == stand_in.user and auth_data.password.decode() == stand_in.password
            if ok:
                stand_in.logins += 1
            return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

        with socket.socket() as probe:  # aiosmtpd's Controller needs a concrete port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=port,
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
        )
        self.controller.start()
        self.port = port
        return port

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list:
        """Messages delivered to one recipient."""
        return [message for message in self.messages if message["To"] == address]
