"""The HTTP/1.1 (optionally TLS) server: threaded, keep-alive, always a Content-Length; it turns
sockets into Request values for the router and Response values back into bytes."""
from __future__ import annotations

import logging
import socket
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from .http_types import Request
from .routing import Router

log = logging.getLogger("dokploy_emulator.server")

MAX_BODY = 16 * 1024 * 1024


class _BadRequestBody(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive: clients reuse one connection
    server_version = "dokploy-emulator"
    sys_version = ""
    timeout = 120                   # an idle keep-alive connection is closed after this
    # Headers and body are written separately; with Nagle's algorithm the body waits for the
    # client's delayed ACK (40 ms per answer). Node, which serves Dokploy, sets TCP_NODELAY too.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            # The handshake runs here, in the connection's own thread, so a slow or failing client
            # (e.g. one that rejects our certificate) never blocks accept().
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size_line = self.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise _BadRequestBody()
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise _BadRequestBody()
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        try:
            body = self._read_body()
        except (_BadRequestBody, ValueError):
            self.close_connection = True
            self.send_error(413 if isinstance(sys.exc_info()[1], _BadRequestBody) else 400)
            return
        split = urlsplit(self.path)
        request = Request(method=self.command, path=split.path,
                          query=parse_qs(split.query, keep_blank_values=True),
                          headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        response = self.server.router.handle(request)  # type: ignore[attr-defined]
        if response.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True           # exiting never waits for idle keep-alive connections
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], router: Optional[Router],
                 ssl_context: Optional[ssl.SSLContext] = None, handler: type = Handler) -> None:
        self.router = router
        self.ssl_context = ssl_context
        super().__init__(address, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address) -> None:
        # Resets, timeouts and refused TLS handshakes are routine in client tests.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout, ssl.SSLError, OSError)):
            log.debug("connection from %s ended: %r", client_address, exc)
        else:
            log.exception("error while serving %s", client_address)


def make_ssl_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context
