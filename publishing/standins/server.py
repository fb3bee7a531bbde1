"""The HTTP plumbing the stand-in servers share: a threaded server on 127.0.0.1 that hands every request to
the stand-in's `respond(method, path, headers, body) -> Reply` and writes the reply back.

The reply is written after its `delay` (so a stand-in records what it did before a slow answer), and a client
that gave up waiting is ignored. A stand-in mixes in `StandInServer`, implements `respond`, and calls
`start_server()` from its own `start()`, which returns the URL form its tests expect.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHUTDOWN_POLL_SECONDS = 0.01


@dataclass
class Reply:
    status: int
    body: object = None  # bytes or str are sent as they are, None as nothing, anything else as JSON
    headers: dict = field(default_factory=dict)  # sent before Content-Type and Content-Length
    delay: float = 0.0  # seconds to wait before answering
    content_type: str | None = "application/json"  # None sends no Content-Type

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def serve(respond, port: int = 0, methods: tuple[str, ...] = ("GET", "POST")) -> ThreadingHTTPServer:
    """Serve `respond` on 127.0.0.1 (`port` 0 picks a free one) in a daemon thread; answer `methods` only."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _serve(self):
            length = int(self.headers.get("Content-Length", 0) or 0)
            body = self.rfile.read(length) if length else b""
            reply = respond(self.command, self.path, self.headers, body)
            if reply.delay:
                time.sleep(reply.delay)
            payload = reply.payload()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_type is not None:
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

    for method in methods:
        setattr(Handler, f"do_{method}", Handler._serve)
    server = _Server(("127.0.0.1", port), Handler)
    # shutdown() waits for the serving loop to notice; at the default 0.5 s poll that was half a second per
    # stand-in stopped, more than most tests take.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS}, daemon=True).start()
    return server


class _Server(ThreadingHTTPServer):
    # A platform takes many connections at once; the default listen backlog of 5 reset the connections of a
    # publishing batch sent at the same time.
    request_queue_size = 256


class StandInServer:
    """Mixin for a stand-in: `start_server()` serves `self.respond` and returns the base URL; `stop()` ends it."""

    methods: tuple[str, ...] = ("GET", "POST")

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        raise NotImplementedError

    def start_server(self, port: int = 0) -> str:
        self.server = serve(self.respond, port, self.methods)
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
