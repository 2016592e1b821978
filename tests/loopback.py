"""A scripted HTTP/1.1 server on 127.0.0.1 for tests that need a real connection."""

from __future__ import annotations

import hashlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 202
    body: bytes | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    #: A body sent as it is produced (chunked), instead of ``body``.
    chunks: Iterable[bytes] | None = None
    cut: bool = False  # after ``chunks``, close the connection without ending the body


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Responder = Callable[[Seen], Reply]


class _QuietServer(ThreadingHTTPServer):
    """Keeps what a request's thread raised (a client that hung up, mostly) instead of printing it:
    its thread can outlive the test, and a print would land in the next test's captured stderr."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.errors: list[BaseException] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if error is not None:
            self.errors.append(error)


class LoopbackServer:
    """Answers with ``replies`` in order (the last one repeats) or with ``responder``."""

    def __init__(
        self, replies: list[Reply] | None = None, responder: Responder | None = None, digest_bodies: bool = False
    ) -> None:
        """``digest_bodies``: keep ``b"<size> <sha256>"`` of each request body, read in pieces, not the body."""
        self.replies = list(replies or [])
        self.responder = responder
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.read_body(int(self.headers.get("content-length") or 0))
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                reply = server.next_reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.chunks is not None:
                    self.send_chunks(reply)
                    return
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                for name, value in {"content-type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def read_body(self, size: int) -> bytes:
                if not digest_bodies:
                    return self.rfile.read(size)
                digest, left = hashlib.sha256(), size
                while left:
                    piece = self.rfile.read(min(left, 65536))
                    if not piece:
                        break
                    digest.update(piece)
                    left -= len(piece)
                return f"{size - left} {digest.hexdigest()}".encode()

            def send_chunks(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in {"content-type": "application/octet-stream", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in reply.chunks or ():
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            self.wfile.flush()
                    if reply.cut:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client closed the stream early

            do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

            def __getattr__(self, name: str) -> Any:
                # Any other method (OpenAPI 3.2's QUERY, LINK...) is served the same way.
                if name.startswith("do_"):
                    return self.do_POST
                raise AttributeError(name)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def next_reply(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            if self.responder is not None:
                return self.responder(seen)
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@contextmanager
def serve(
    replies: list[Reply] | None = None, responder: Responder | None = None, digest_bodies: bool = False
) -> Iterator[LoopbackServer]:
    server = LoopbackServer(replies, responder, digest_bodies)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
