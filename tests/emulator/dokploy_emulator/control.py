"""The test-only control API under /__emulator/ (no auth, JSON in and out).

  GET    /__emulator/requests          request log: [{seq, method, path, procedure, query, body,
                                        status, schema_error, fault, api_key_present}]
  DELETE /__emulator/requests          clear it
  GET    /__emulator/faults            active faults with their counters
  POST   /__emulator/faults            {procedure, match, nth?, times?, action} -> {faultId}
  DELETE /__emulator/faults            clear all faults
  POST   /__emulator/seed              {services: N, project?: "other-project", kind?: "mixed"|
                                        "application"|"compose"} -> ids of what was created
  POST   /__emulator/restart           Dokploy restarts mid-deploy (see DeployQueue.restart)
  GET    /__emulator/version           {"version"}
  POST   /__emulator/version           {"version": "v0.25.3"}
  POST   /__emulator/tokens            {"token": "..."} adds a valid API key
  POST   /__emulator/servers           [{serverId, name, ipAddress, serverStatus}] replaces servers
  POST   /__emulator/app-name-suffix   {"suffix": "abc123"|null} fixes the random appName suffix
  POST   /__emulator/ingress           {"routes": false}: Swarm's routing mesh stops forwarding, so
                                        an application's ingress-published ports refuse connections
                                        while its task runs (from its next deploy); true: it forwards
  POST   /__emulator/web-server-ip     {"ip": "203.0.113.7"|""}: Settings > Web Server > Server IP,
                                        which generated domains carry ("" = not set; default 203.0.113.10)
  GET    /__emulator/state             every row, the runtime registry and the queue
  GET    /__emulator/workspaces        {key: {state, group, kind, serviceId, stopped, serverId,
                                        spec (the last WorkspaceSpec given to runner.up)}}
  GET    /__emulator/volumes           the named volumes that exist, sorted (`docker volume ls`):
                                        an application's outlive its delete, as in Docker
  POST   /__emulator/reset             runner.shutdown(), then an empty model, queue, fault list
                                        and request log, and a routing mesh that forwards (tokens,
                                        version and servers stay)
"""
from __future__ import annotations

import copy
import json
from typing import Any

from .faults import FaultSpecError
from .http_types import Request, Response, json_response


class ControlApi:
    def __init__(self, emu) -> None:
        self.emu = emu

    def handle(self, req: Request) -> Response:
        route = (req.method, req.path.rstrip("/"))
        try:
            body: Any = json.loads(req.body) if req.body.strip() else None
        except (ValueError, UnicodeDecodeError):
            return self._bad("body is not JSON")
        handler = {
            ("GET", "/__emulator/requests"): lambda: self.emu.requests.entries(),
            ("DELETE", "/__emulator/requests"): self._clear_requests,
            ("GET", "/__emulator/faults"): lambda: self.emu.faults.list(),
            ("POST", "/__emulator/faults"): lambda: self._add_fault(body),
            ("DELETE", "/__emulator/faults"): self._clear_faults,
            ("POST", "/__emulator/seed"): lambda: self._seed(body or {}),
            ("POST", "/__emulator/restart"): self._restart,
            ("GET", "/__emulator/version"): lambda: {"version": self.emu.features.version},
            ("POST", "/__emulator/version"): lambda: self._version(body),
            ("POST", "/__emulator/tokens"): lambda: self._token(body),
            ("POST", "/__emulator/servers"): lambda: self._servers(body),
            ("POST", "/__emulator/app-name-suffix"): lambda: self._suffix(body),
            ("POST", "/__emulator/ingress"): lambda: self._ingress(body),
            ("POST", "/__emulator/web-server-ip"): lambda: self._web_server_ip(body),
            ("GET", "/__emulator/state"): self._state,
            ("GET", "/__emulator/workspaces"): self._workspaces,
            ("GET", "/__emulator/volumes"): lambda: self.emu.gate.runner.volumes(),
            ("POST", "/__emulator/reset"): self._reset,
        }.get(route)
        if handler is None:
            return json_response(404, {"error": f"no control endpoint {req.method} {req.path}"})
        try:
            return json_response(200, handler())
        except _BadRequest as e:
            return self._bad(str(e))

    @staticmethod
    def _bad(message: str) -> Response:
        return json_response(400, {"error": message})

    def _clear_requests(self) -> dict:
        self.emu.requests.clear()
        return {"ok": True}

    def _clear_faults(self) -> dict:
        self.emu.faults.clear()
        return {"ok": True}

    def _add_fault(self, body: Any) -> dict:
        try:
            fault = self.emu.faults.add(body)
        except FaultSpecError as e:
            raise _BadRequest(f"fault: {e}") from e
        return {"faultId": fault.fault_id}

    def _seed(self, body: dict) -> dict:
        """Other people's services sharing the token: rows only, nothing deployed."""
        count = body.get("services", 0)
        kind = body.get("kind", "mixed")
        if not isinstance(count, int) or count < 0 or kind not in ("mixed", "application", "compose"):
            raise _BadRequest("seed: {services: N >= 0, project?: name, kind?: mixed|application|compose}")
        name = body.get("project") or "other-project"
        model = self.emu.model
        with model.lock:
            project = next((p for p in model.projects.values() if p["name"] == name), None)
            if project is None:
                project, env = model.create_project(name, "seeded by the emulator", None)
            else:
                env = model.default_environment(project["projectId"])
            created = {"projectId": project["projectId"], "environmentId": env["environmentId"],
                       "applications": [], "compose": []}
            for i in range(count):
                as_compose = kind == "compose" or (kind == "mixed" and i % 2 == 1)
                base = f"seed-{len(model.applications) + len(model.compose) + 1}"
                if as_compose:
                    row = model.create_compose({"name": base, "appName": model.build_app_name("compose", base),
                                                "environmentId": env["environmentId"],
                                                "sourceType": "raw"})
                    created["compose"].append(row["composeId"])
                else:
                    row = model.create_application({"name": base, "appName": model.build_app_name("app", base),
                                                    "environmentId": env["environmentId"]})
                    created["applications"].append(row["applicationId"])
        return created

    def _restart(self) -> dict:
        return self.emu.queue.restart(lose_jobs=self.emu.features.in_memory_queue)

    def _version(self, body: Any) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("version"), str):
            raise _BadRequest('version: {"version": "v0.25.3"}')
        try:
            features = self.emu.set_version(body["version"])
        except ValueError as e:
            raise _BadRequest(str(e)) from e
        return {"version": features.version}

    def _token(self, body: Any) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("token"), str) or not body["token"]:
            raise _BadRequest('tokens: {"token": "..."}')
        self.emu.add_token(body["token"])
        return {"ok": True}

    def _servers(self, body: Any) -> dict:
        if not isinstance(body, list) or not all(isinstance(s, dict) and s.get("ipAddress") for s in body):
            raise _BadRequest("servers: [{serverId, name, ipAddress, serverStatus}]")
        self.emu.model.set_servers(body)
        return {"servers": list(self.emu.model.servers)}

    def _suffix(self, body: Any) -> dict:
        suffix = body.get("suffix") if isinstance(body, dict) else None
        if suffix is not None and not isinstance(suffix, str):
            raise _BadRequest('app-name-suffix: {"suffix": "abc123"} or {"suffix": null}')
        self.emu.model.forced_suffix = suffix or None
        return {"suffix": self.emu.model.forced_suffix}

    def _ingress(self, body: Any) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("routes"), bool):
            raise _BadRequest('ingress: {"routes": true|false}')
        self.emu.set_ingress_routes(body["routes"])
        return {"routes": self.emu.ingress_routes}

    def _web_server_ip(self, body: Any) -> dict:
        ip = body.get("ip") if isinstance(body, dict) else None
        if not isinstance(ip, str):
            raise _BadRequest('web-server-ip: {"ip": "203.0.113.7"} or {"ip": ""}')
        self.emu.model.web_server_ip = ip
        return {"ip": ip}

    def _state(self) -> dict:
        state = self.emu.model.dump()
        state["version"] = self.emu.features.version
        state["queue"] = self.emu.queue.snapshot()
        state["ingressRoutes"] = self.emu.ingress_routes
        return state

    def _workspaces(self) -> dict:
        with self.emu.model.lock:
            runtimes = [(r, list(r.keys), copy.deepcopy(r.specs)) for r in self.emu.model.runtime.values()]
        out = {}
        for runtime, keys, specs in runtimes:
            for key in keys:
                out[key] = {"state": self.emu.gate.runner.state(key), "group": runtime.group,
                            "kind": runtime.kind, "serviceId": runtime.service_id,
                            "stopped": runtime.stopped, "serverId": runtime.server_id,
                            "spec": specs.get(key)}
        return out

    def _reset(self) -> dict:
        self.emu.reset()
        self.emu.faults.clear()
        self.emu.requests.clear()
        return {"ok": True}


class _BadRequest(Exception):
    pass
