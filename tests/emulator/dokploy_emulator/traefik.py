"""The Traefik that Dokploy runs in front of its services, emulated: a `web` (HTTP) and a
`websecure` (HTTPS) entry point that route a request by its Host to the workspace port a Dokploy
domain names, the way Dokploy configures Traefik:

- an application's domains apply at once (Dokploy rewrites Traefik's file configuration at
  domain.create/update/delete, packages/server/src/utils/traefik/domain.ts); when its service does
  not run, Traefik cannot reach it: 502 Bad Gateway;
- a compose service's domains are the Traefik labels its last deploy wrote
  (packages/server/src/utils/docker/domain.ts, runtime.routes here); a stopped container has no
  router: 404;
- an https domain's `web` router only redirects to https (Dokploy's redirect-to-https middleware);
  `websecure` serves it with a certificate of the emulator's test CA chosen by SNI (what Let's
  Encrypt or a custom resolver would have issued). Other names get Traefik's self-signed default
  certificate, and no router: 404 "404 page not found".

Requests are forwarded to the workspace's own address inside its network namespace (the runner's
`info(key)["ip"]`), with Traefik's X-Forwarded-* headers; the answer comes back whole."""
from __future__ import annotations

import http.client
import logging
import os
import socket
import ssl
import tempfile
import threading
from typing import Optional

from . import certs
from .server import EmulatorServer, Handler, _BadRequestBody

log = logging.getLogger("dokploy_emulator.traefik")

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "proxy-connection"}
UPSTREAM_TIMEOUT = 30.0


def find_route(emu, host: str) -> Optional[dict]:
    """The router Traefik has for `host`: {https, certificateType, port, key}, key being the
    workspace to forward to (None when the service does not run), or None when there is none."""
    host = host.lower()
    model, f = emu.model, emu.features
    with model.lock:
        for domain in model.domains.values():
            if not domain.get("applicationId") or domain["host"].lower() != host:
                continue
            if f.domain_sso_columns and not domain.get("enabled", True):
                continue
            app = model.applications.get(domain["applicationId"])
            runtime = model.runtime.get(app["appName"]) if app else None
            live = runtime is not None and runtime.deployed and not runtime.stopped
            return {"https": bool(domain["https"]), "certificateType": domain["certificateType"],
                    "port": domain["port"], "key": app["appName"] if live else None}
        for runtime in model.runtime.values():
            if runtime.kind != "compose" or not runtime.deployed or runtime.stopped:
                continue
            for route in runtime.routes:
                if route["host"].lower() == host:
                    return {"https": bool(route["https"]), "certificateType": route["certificateType"],
                            "port": route["port"], "key": route["key"]}
    return None


class Certificates:
    """The `websecure` TLS context: Traefik's default certificate, switched by SNI to one the test
    CA issues for a host an https domain routes."""

    def __init__(self, emu, directory: str, ca_cert: str, ca_key: str) -> None:
        self.emu = emu
        self.directory = directory
        self.ca_cert, self.ca_key = ca_cert, ca_key
        self._lock = threading.Lock()
        self._by_host: dict[str, ssl.SSLContext] = {}
        cert, key = certs.make_self_signed(directory, "traefik-default", "TRAEFIK DEFAULT CERT")
        self.context = self._context(cert, key)
        self.context.sni_callback = self._choose

    @staticmethod
    def _context(cert: str, key: str) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)
        return context

    def _choose(self, connection, server_name: Optional[str], _context) -> None:
        if not server_name:
            return None
        route = find_route(self.emu, server_name)
        if route and route["https"] and route["certificateType"] in ("letsencrypt", "custom"):
            try:
                connection.context = self._for(server_name.lower())
            except Exception:  # the handshake goes on with the default certificate
                log.exception("issuing a certificate for %s failed", server_name)
        return None

    def _for(self, host: str) -> ssl.SSLContext:
        with self._lock:
            if host not in self._by_host:
                cert, key = certs.issue_certificate(self.directory, "host-" + host, self.ca_cert, self.ca_key, host)
                context = self._context(cert, key)
                self._by_host[host] = context
            return self._by_host[host]


class TraefikHandler(Handler):
    server_version = "traefik-emulated"

    def _route(self) -> None:
        secure = isinstance(self.request, ssl.SSLSocket)
        host = (self.headers.get("Host") or "").strip()
        if host.startswith("["):
            host = host[:host.find("]") + 1]
        elif ":" in host:
            host = host.rsplit(":", 1)[0]
        try:
            body = self._read_body()
        except (_BadRequestBody, ValueError):
            self.close_connection = True
            self.send_error(400)
            return
        route = find_route(self.server.emu, host)  # type: ignore[attr-defined]
        if route is None or (secure and not route["https"]):
            self._answer(404, b"404 page not found\n")
        elif not secure and route["https"]:
            location = f"https://{host}{self.path}"
            self._answer(301 if self.command in ("GET", "HEAD") else 308, b"Moved Permanently",
                         [("Location", location)])
        else:
            self._forward(route, host, secure, body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _route

    def _answer(self, status: int, body: bytes, headers: Optional[list] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _target(self, key: Optional[str]) -> Optional[str]:
        """The workspace's address in its namespace, when it runs."""
        runner = self.server.emu.gate.runner  # type: ignore[attr-defined]
        info = getattr(runner, "info", None)
        found = info(key) if key and callable(info) else None
        return found["ip"] if found and found.get("pid") else None

    def _forward(self, route: dict, host: str, secure: bool, body: bytes) -> None:
        ip = self._target(route["key"])
        if ip is None:
            self._answer(502, b"Bad Gateway")
            return
        upstream = http.client.HTTPConnection(ip, int(route["port"]), timeout=UPSTREAM_TIMEOUT)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                    upstream.putheader(name, value)
            for name, value in (("X-Forwarded-For", self.client_address[0]), ("X-Forwarded-Host", host),
                                ("X-Forwarded-Proto", "https" if secure else "http"),
                                ("X-Forwarded-Port", str(self.server.server_address[1])),
                                ("X-Real-Ip", self.client_address[0])):
                upstream.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body or None)
            answer = upstream.getresponse()
            data = answer.read()
        except (socket.timeout, TimeoutError):
            self._answer(504, b"Gateway Timeout")
            return
        except (OSError, http.client.HTTPException) as e:
            log.debug("forwarding %s to %s:%s failed: %r", host, ip, route["port"], e)
            self._answer(502, b"Bad Gateway")
            return
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data) if self.command != "HEAD"
                                                else answer.getheader("Content-Length") or 0))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Traefik:
    """Both entry points, each served by its own thread until close()."""

    def __init__(self, emu, http_address: tuple[str, int], https_address: tuple[str, int],
                 ca_dir: Optional[str] = None) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="dokploy-emulator-traefik-")
        if ca_dir:
            ca_cert, ca_key = os.path.join(ca_dir, "ca.pem"), os.path.join(ca_dir, "ca.key")
        else:
            ca_cert, ca_key = certs.make_ca(self._scratch.name, "traefik-ca", "dokploy-emulator Traefik CA")
        self.ca_cert = ca_cert
        self.certificates = Certificates(emu, self._scratch.name, ca_cert, ca_key)
        self.servers = [EmulatorServer(http_address, None, None, TraefikHandler),
                        EmulatorServer(https_address, None, self.certificates.context, TraefikHandler)]
        for server in self.servers:
            server.emu = emu  # type: ignore[attr-defined]
        self._threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                                          name="traefik", daemon=True) for s in self.servers]
        for thread in self._threads:
            thread.start()

    def describe(self) -> dict:
        def where(server: EmulatorServer) -> dict:
            host, port = server.server_address[:2]
            return {"address": host, "port": port}
        return {"http": where(self.servers[0]), "https": where(self.servers[1]), "ca": self.ca_cert}

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self._scratch.cleanup()
