"""E-mail newsletter over SMTP: one message per recipient, with the draft's title as subject.

Settings: {"recipients": ["a@example.com", ...], "host": "smtp.example.com", "port": 587, "user": "...",
"from": "news@example.com" (default DEFAULT_FROM_EMAIL), "security": "starttls" (default) | "ssl" | "none"}.
Credentials: {"password": "..."}.

Every message has a stable `Message-ID` per publication and recipient, so a resent copy is recognisable as
the same message. SMTP replies: 4xx transient (retry later), 5xx permanent. Recipients are sent one by one;
an error message lists who already has the newsletter (`[delivered: ...]`), and a later attempt of the same
publication skips them, so a retry after a temporary error never mails anyone twice. The marker comes first
in the message (the log keeps 2,000 characters: a long list of refused recipients must not cut it off), and
a marker cut off by that limit still counts for the addresses it holds whole. A connection lost
after the message body was sent is ambiguous (the server may have taken it): plain SMTP does not
deduplicate, so that recipient is not resent automatically (`deduplicates = False`).

Every message is multipart/alternative: the plain-text part and the HTML part, both as
publishing.rendering made them (the text with links written out; the Markdown rendered and sanitised). With
images, the HTML part ends with each image as `<img src="cid:..." alt="...">` and is multipart/related with
the images as inline parts, each with a Content-ID derived from its SHA-256 (the same on every attempt).
Nothing is fetched from outside, so mail clients show the pictures without "load remote images". A server's
message size limit is its own: set "max_image_bytes" in the settings to have larger images re-encoded.

No read-back (`can_fetch` is False): SMTP hands a message on and forgets it; there is no way to ask a
recipient's mailbox whether the newsletter is still there.
"""

import contextlib
import hashlib
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from html import escape

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from publishing.adapters.base import Adapter, AdapterError, ConfigField, Post, PublishResult
from publishing.adapters.images import ImageUpload, fit_image
from publishing.egress import AddressRefused
from publishing.egress import connect as guarded_connect

SECURITY = {"starttls", "ssl", "none"}
DELIVERED = re.compile(r"\[delivered: ([^\]]*)(\]?)")


def message_id(idempotency_key: str, recipient: str, domain: str) -> str:
    """The same for every attempt of one publication to one recipient."""
    digest = hashlib.sha256(f"{idempotency_key}:{recipient.strip().lower()}".encode()).hexdigest()[:24]
    return f"<cocreate.{digest}@{domain}>"


class GuardedSMTP(smtplib.SMTP):
    """Connects only to an address the egress check allows (STARTTLS still verifies the host's name)."""

    def _get_socket(self, host, port, timeout):
        return guarded_connect(host, port, timeout, self.source_address)


class GuardedSMTPSSL(smtplib.SMTP_SSL):
    def _get_socket(self, host, port, timeout):
        sock = guarded_connect(host, port, timeout, self.source_address)
        return self.context.wrap_socket(sock, server_hostname=self._host)


def _classify(code: int, text: str, what: str) -> AdapterError:
    return AdapterError(f"{what}: {code} {text}".strip(), permanent=code >= 500, status_code=code)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    return error.decode(errors="replace") if isinstance(error, bytes) else str(error)


class EmailAdapter(Adapter):
    kind = "email"
    deduplicates = False
    settings_fields = (
        ConfigField(
            "host",
            "The SMTP server, e.g. smtp.example.com (your mail provider's SMTP settings).",
            required=True,
            type="host",
            locates=True,
        ),
        ConfigField(
            "recipients",
            'Who gets the newsletter, e.g. ["ann@example.com", "list@example.com"].',
            required=True,
            type="emails",
        ),
        ConfigField(
            "port",
            "The SMTP port, e.g. 587 (default: 587 for starttls, 465 for ssl, 25 for none).",
            type="integer",
            locates=True,
        ),
        ConfigField(
            "security",
            "starttls (the default), ssl or none.",
            type="choice",
            choices=("starttls", "ssl", "none"),
            locates=True,
        ),
        ConfigField("user", "The SMTP login, e.g. news@example.com; leave out for a server without AUTH."),
        ConfigField(
            "from", "The sender address, e.g. news@example.com (default: the site's DEFAULT_FROM_EMAIL).", type="email"
        ),
        ConfigField("max_image_bytes", "Re-encode larger images to keep messages small, e.g. 1000000.", type="integer"),
    )
    credential_fields = (ConfigField("password", "The SMTP password of `user` (an app password where there is one)."),)

    platform = "The SMTP server"

    @property
    def options(self) -> dict:
        return self.channel.settings or {}

    @property
    def recipients(self) -> list[str]:
        value = self.options.get("recipients") or []
        return [value] if isinstance(value, str) else list(value)

    @property
    def sender(self) -> str:
        return str(self.options.get("from") or django_settings.DEFAULT_FROM_EMAIL)

    @property
    def security(self) -> str:
        return str(self.options.get("security") or "starttls")

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.options.get("host"):
            problems.append("The e-mail channel has no SMTP host.")
        if self.security not in SECURITY:
            problems.append(f"Unknown SMTP security {self.security!r} (starttls, ssl or none).")
        if not self.recipients:
            problems.append("The e-mail channel has no recipients.")
        for address in [*self.recipients, self.sender]:
            try:
                validate_email(address)
            except ValidationError:
                problems.append(f"{address!r} is not an e-mail address.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        if not post.title.strip():
            problems.append("The newsletter needs a title for its subject.")
        return problems

    # --- SMTP ---------------------------------------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        host = self.options.get("host", "")
        timeout = django_settings.PUBLISHING_HTTP_TIMEOUT
        try:
            if self.security == "ssl":
                port = int(self.options.get("port") or 465)
                smtp: smtplib.SMTP = GuardedSMTPSSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                port = int(self.options.get("port") or (587 if self.security == "starttls" else 25))
                smtp = GuardedSMTP(host, port, timeout=timeout)
                smtp.ehlo()
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
            user = self.options.get("user")
            if user:
                smtp.login(user, self.channel.credentials.get("password", ""))
        except AddressRefused as exc:
            raise AdapterError(f"{self.platform}: {exc}", permanent=True) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise _classify(exc.smtp_code, _reply(exc), "The SMTP server refused the login") from exc
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, _reply(exc), "The SMTP server refused the connection") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise AdapterError(f"The SMTP server does not support this: {exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, timed out, TLS failure
            raise AdapterError(f"Could not reach the SMTP server {host}: {exc}") from exc
        return smtp

    def _inline_images(self, post: Post) -> list[tuple[str, ImageUpload]]:
        """Each image with its Content-ID (without the angle brackets), read once for all recipients."""
        domain = self.sender.rpartition("@")[2] or "cocreate.invalid"
        limit = self.options.get("max_image_bytes")
        images = []
        for number, image in enumerate(post.images, start=1):
            if limit:
                upload = fit_image(image, max_bytes=int(limit), platform=self.platform)
            else:
                upload = ImageUpload(
                    image.read(), image.content_type, image.filename, image.alt_text, image.width, image.height
                )
            images.append((f"image{number}.{image.sha256[:16]}@{domain}", upload))
        return images

    def _html(self, post: Post, images: list[tuple[str, ImageUpload]]) -> str:
        pictures = "".join(
            f'<p><img src="cid:{cid}" alt="{escape(upload.alt_text)}" width="{upload.width}" '
            f'height="{upload.height}"></p>\n'
            for cid, upload in images
        )
        title = escape(post.title)
        return (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
            f"<body>\n{post.html}\n{pictures}</body></html>\n"
        )

    def _message(self, post: Post, recipient: str, images: list[tuple[str, ImageUpload]] | None = None) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = post.title
        message["From"] = self.sender
        message["To"] = recipient
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "cocreate.invalid"
        message["Message-ID"] = message_id(post.idempotency_key, recipient, domain)
        message["X-Cocreate-Draft"] = str(post.draft_id)
        message.set_content(post.text)
        if post.html or images:
            message.add_alternative(self._html(post, images or []), subtype="html")
        if images:
            html = message.get_body(("html",))
            assert html is not None  # the alternative added just above
            for cid, upload in images:
                maintype, _, subtype = upload.content_type.partition("/")
                html.add_related(
                    upload.data, maintype, subtype, cid=f"<{cid}>", filename=upload.filename, disposition="inline"
                )
        return message

    def _send_one(self, smtp: smtplib.SMTP, message: EmailMessage, recipient: str) -> None:
        """One envelope: MAIL, RCPT, DATA. Only a failure after the body was sent is ambiguous."""
        try:
            code, reply = smtp.mail(self.sender)
            if code != 250:
                smtp.rset()
                raise _classify(code, reply.decode(errors="replace"), "The SMTP server refused the sender")
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                raise _classify(code, reply.decode(errors="replace"), f"{recipient} was refused")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise AdapterError(f"The SMTP server dropped the connection: {exc}") from exc
        try:
            # CRLF line ends, as SMTP requires (smtplib passes bytes through as they are; servers refuse bare LF).
            code, reply = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        except smtplib.SMTPDataError as exc:
            raise _classify(exc.smtp_code, _reply(exc), f"The message to {recipient} was refused") from exc
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise AdapterError(
                f"The SMTP server did not confirm the message to {recipient} (it may have been delivered)",
                ambiguous=True,
            ) from exc
        if code != 250:  # the reply to the message itself (smtplib raises only for the DATA command)
            smtp.rset()
            raise _classify(code, reply.decode(errors="replace"), f"The message to {recipient} was refused")

    def _delivered_before(self, post: Post) -> set[str]:
        if not post.idempotency_key:
            return set()
        done: set[str] = set()
        for message in post.earlier_messages:
            for listed, closed in DELIVERED.findall(message):
                addresses = listed.split(",")
                if not closed:  # cut off by the log's length limit: the last address may be partial
                    addresses = addresses[:-1]
                done.update(address.strip().lower() for address in addresses if address.strip())
        return done

    def publish(self, post: Post) -> PublishResult:
        done = self._delivered_before(post)
        delivered = [r for r in self.recipients if r.strip().lower() in done]
        pending = [r for r in self.recipients if r.strip().lower() not in done]
        errors: list[AdapterError] = []
        images = self._inline_images(post) if pending else []
        smtp = None
        try:
            for recipient in pending:
                if smtp is None:
                    smtp = self._connect()
                try:
                    self._send_one(smtp, self._message(post, recipient, images), recipient)
                except AdapterError as error:
                    errors.append(error)
                    if error.ambiguous or (not error.permanent and error.status_code is None):
                        smtp = None  # the connection is gone: reconnect for the next recipient
                    continue
                delivered.append(recipient)
        except AdapterError as error:  # could not connect or log in: nothing more can be sent now
            errors.append(error)
        finally:
            if smtp is not None:
                with contextlib.suppress(OSError, smtplib.SMTPException):
                    smtp.quit()
        if errors:
            first = next((e for e in errors if e.permanent), errors[0])
            message = "; ".join(e.message for e in errors)
            if delivered:  # first: the log keeps the message's first 2,000 characters
                message = f"[delivered: {', '.join(delivered)}] {message}"
            raise AdapterError(
                message,
                permanent=any(e.permanent for e in errors),
                ambiguous=any(e.ambiguous for e in errors),
                status_code=first.status_code,
            )
        domain = self.sender.rpartition("@")[2] or "cocreate.invalid"
        return PublishResult(post_id=message_id(post.idempotency_key, "", domain).strip("<>"))

    def test_connection(self) -> str:
        smtp = self._connect()
        try:
            code, reply = smtp.noop()
            if code != 250:
                raise _classify(code, reply.decode(errors="replace"), "The SMTP server answered NOOP")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise AdapterError(f"The SMTP server dropped the connection: {exc}") from exc
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        host, port = self.options.get("host"), self.options.get("port")
        user = self.options.get("user")
        return f"The SMTP server {host}:{port} accepted " + (f"the login of {user}." if user else "a connection.")
