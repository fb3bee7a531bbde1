"""Outbound connections to platforms go to public addresses only (no server-side request forgery).

A channel's host is typed by a manager, and a platform's answer can name further URLs (upload URLs,
redirects), so every connection is checked on the address it actually connects to: the name is resolved
here and the socket is opened to that checked address, which a DNS answer changing between check and
connect (rebinding) cannot get around. Loopback, private, shared, link-local, multicast, reserved and
cloud-metadata addresses are refused unless PUBLISHING_ALLOW_PRIVATE_ADDRESSES is on (DEBUG, the tests
and the demo's stand-ins on 127.0.0.1).

No PyPI package fitted (the httpx SSRF guards there are new, async-only or wrap their own client), so
this is one small module: an httpcore network backend for httpx and a socket opener for smtplib.
"""

import ipaddress
import socket

import httpcore
import httpx
from django.conf import settings

# Reachable on some clouds through addresses that are otherwise global.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address) for address in ("100.100.100.200", "fd00:ec2::254", "169.254.169.254")
)


class AddressRefused(Exception):
    """A platform call to an address this server must not reach: permanent, retrying cannot help."""

    def __init__(self, host: str, address: str):
        self.host = host
        self.address = address
        where = address if host == address else f"{host} ({address})"
        super().__init__(
            f"Refused to connect to {where}: it is a private, loopback, link-local or otherwise non-public "
            "address, which channels may not reach."
        )


def private_addresses_allowed() -> bool:
    return bool(getattr(settings, "PUBLISHING_ALLOW_PRIVATE_ADDRESSES", False))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of the address
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast and ip not in METADATA_ADDRESSES


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo's answers for host that may be connected to; AddressRefused when none may."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if private_addresses_allowed():
        return answers
    allowed = [answer for answer in answers if is_public(str(answer[4][0]))]
    if not allowed:
        raise AddressRefused(host, str(answers[0][4][0]))
    return allowed


def connect(host: str, port: int, timeout: float | None = None, source_address=None) -> socket.socket:
    """Like socket.create_connection, to a checked address of host (for smtplib)."""
    error: OSError | None = None
    for family, kind, proto, _, address in resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"Could not connect to {host}")


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to checked addresses. TLS still verifies the name."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            answers = resolve(host, port)
        except OSError as exc:  # the name does not resolve
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception | None = None
        for answer in answers:
            try:
                return super().connect_tcp(answer[4][0], port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"Could not connect to {host}")


def guarded_transport() -> httpx.HTTPTransport:
    # No HTTP_PROXY / HTTPS_PROXY: a client given a transport does not read them, and rightly so: through a
    # proxy, the proxy would resolve and connect to the platform's host, and the address check above would
    # see only the proxy's address. Filter egress at the network too if policy needs a proxy.
    transport = httpx.HTTPTransport()
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    # httpx builds its pool without a way to pass a network backend: rebuild it with ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(),
    )
    return transport
