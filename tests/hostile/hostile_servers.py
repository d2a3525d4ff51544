"""Hostile publishers on loopback: an HTTP server answering whatever a test tells it to, and a
raw TCP server that answers something that is not HTTP at all."""

from __future__ import annotations

import socket
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class HostileServer(ThreadingHTTPServer):
    """Serves `routes` (path to Answer) on 127.0.0.1 and counts the requests per path."""

    daemon_threads = True

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.hits: Counter[str] = Counter()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.hits[path] += 1
        answer = self.server.routes.get(path, Answer(404, b"not found"))
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)


@dataclass
class RawServer:
    """A TCP server on loopback that sends the same bytes to every connection, then closes."""

    reply: bytes
    connections: int = 0
    sock: socket.socket = field(default_factory=socket.socket)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"
