"""Helpers for Python tests that run the emulator as a subprocess and talk to it over http.client."""
from __future__ import annotations

import http.client
import json
import os
import select
import ssl
import subprocess
import tempfile
import time
import urllib.parse
from typing import Any, Optional

EMULATOR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "dokploy-emulator"))
PYTHON = "/usr/bin/python3"


class EmulatorProcess:
    """Starts `dokploy-emulator --listen 127.0.0.1:0 ...`, waits for its ready line, stops it by pid."""

    def __init__(self, *args: str, version: str = "v0.30.2", token: Optional[str] = "test-token",
                 queue_delay_ms: int = 150, deploy_duration_ms: int = 100,
                 ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.args = list(args)
        self.version = version
        self.token = token
        self.queue_delay_ms = queue_delay_ms
        self.deploy_duration_ms = deploy_duration_ms
        self.ssl_context = ssl_context
        self.proc: Optional[subprocess.Popen] = None
        self.info: dict = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="emu-test-")
        self.stderr_path = os.path.join(self._tmp.name, "stderr.log")
        self.ready_file = os.path.join(self._tmp.name, "ready.json")

    def start(self, timeout: float = 10.0) -> "EmulatorProcess":
        env = dict(os.environ)
        env.pop("DOKPLOY_EMULATOR_TOKEN", None)
        if self.token is not None:
            env["DOKPLOY_EMULATOR_TOKEN"] = self.token
        cmd = [PYTHON, EMULATOR, "--listen", "127.0.0.1:0", "--version", self.version,
               "--ready-file", self.ready_file, "--queue-delay-ms", str(self.queue_delay_ms),
               "--deploy-duration-ms", str(self.deploy_duration_ms), *self.args]
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise RuntimeError(f"emulator did not start: {self.stderr()}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(f"emulator exited: {self.stderr()}")
                line += chunk
        self.info = json.loads(line.decode())
        return self

    def stderr(self) -> str:
        try:
            with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> Optional[int]:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self._stderr.close()
        code = self.proc.returncode
        self.proc = None
        self._tmp.cleanup()
        return code

    def __enter__(self) -> "EmulatorProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- talking to it ---------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self.info["port"]

    def connection(self, timeout: float = 10.0) -> http.client.HTTPConnection:
        if self.ssl_context is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=self.ssl_context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def raw(self, method: str, path: str, body: Optional[bytes] = None,
            headers: Optional[dict] = None, conn: Optional[http.client.HTTPConnection] = None,
            timeout: float = 10.0) -> tuple[int, dict, bytes]:
        own = conn is None
        conn = conn or self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            if own:
                conn.close()

    def call(self, procedure: str, inp: Optional[dict] = None, *, method: Optional[str] = None,
             token: Any = "default", conn=None) -> tuple[int, Any]:
        """A Dokploy API call the way a client makes it: GET with query parameters for
        queries (names without a dot after the router are guessed by `method`), POST JSON otherwise."""
        token = self.token if token == "default" else token
        headers = {"x-api-key": token} if token else {}
        inp = inp or {}
        method = method or ("GET" if _is_query(procedure) else "POST")
        if method == "GET":
            qs = urllib.parse.urlencode(inp)
            status, _, data = self.raw("GET", f"/api/{procedure}" + (f"?{qs}" if qs else ""),
                                       headers=headers, conn=conn)
        else:
            headers["Content-Type"] = "application/json"
            status, _, data = self.raw("POST", f"/api/{procedure}", json.dumps(inp).encode(),
                                       headers=headers, conn=conn)
        if not data:
            return status, None
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data.decode("utf-8", "replace")  # e.g. an injected HTML/text error

    def ok(self, procedure: str, inp: Optional[dict] = None, **kw) -> Any:
        status, value = self.call(procedure, inp, **kw)
        if status != 200:
            raise AssertionError(f"{procedure} -> {status}: {value}")
        return value

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        status, _, raw = self.raw(method, f"/__emulator/{path}", data,
                                  {"Content-Type": "application/json"} if data else {})
        if status != 200:
            raise AssertionError(f"control {method} {path} -> {status}: {raw!r}")
        return json.loads(raw)

    def wait_for(self, predicate, timeout: float = 5.0, interval: float = 0.02) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError("condition not reached in time")
            time.sleep(interval)

    # ---- common fixtures -------------------------------------------------------------------
    def new_application(self, name: str = "ws", image: str = "debian:12", **create) -> dict:
        """project.create + application.create + saveDockerProvider; returns the app row."""
        created = self.ok("project.create", {"name": f"p-{name}"})
        if "environment" in created:
            parent = {"environmentId": created["environment"]["environmentId"]}
        else:
            parent = {"projectId": created["projectId"]}
        app = self.ok("application.create", {"name": name, **parent, **create})
        self.ok("application.saveDockerProvider", {"applicationId": app["applicationId"],
                                                   "dockerImage": image, "username": None,
                                                   "password": None, "registryUrl": None})
        return app


_QUERIES = {"all", "one", "search", "byProjectId", "listByServiceId", "getDokployVersion",
            "health", "get", "session", "getServiceContainersByAppName",
            "getContainersByAppNameMatch", "allByCompose", "getVolumes", "readLogs",
            "byApplicationId", "byComposeId", "canGenerateTraefikMeDomains"}


def _is_query(procedure: str) -> bool:
    return procedure.rsplit(".", 1)[-1] in _QUERIES
