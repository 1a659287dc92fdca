"""Request dispatch for /api/: injected faults, Next.js body parsing, x-api-key auth, tRPC routing,
content-type and schema checks, then the procedure; every /api/ request lands in the request log."""
from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus
from typing import Any, Optional

from .control import ControlApi
from .emulator import Emulator
from .errors import CODE_FOR_STATUS, ApiError, error_body
from .faults import Fault
from .http_types import Request, Response, json_bytes, json_response
from .procedures import EMPTY, Call, load_all
from .schemas import ValidationFailed

log = logging.getLogger("dokploy_emulator.routing")

# Next.js `res.status(401).json({ message: "Unauthorized" })` in pages/api/[...trpc].ts: the same
# bytes whatever the cause (missing, wrong, expired key).
UNAUTHORIZED = Response(401, b'{"message":"Unauthorized"}', "application/json; charset=utf-8")
NEXT_JSON = "application/json; charset=utf-8"
TRUNCATED_JSON = b'{"applicationId":"Xq3bK9'


class _Trace:
    """What the request log records about one call, filled in as dispatch proceeds."""

    def __init__(self, req: Request, procedure: Optional[str]) -> None:
        self.req = req
        self.procedure = procedure
        self.body: Any = None
        self.schema_error: Optional[str] = None
        self.fault: Optional[str] = None


class Router:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.procedures = load_all()
        self.control = ControlApi(emu)

    def handle(self, req: Request) -> Response:
        if req.path.startswith("/__emulator/"):
            return self.control.handle(req)
        if not req.path.startswith("/api/"):
            return Response(404, b"<!DOCTYPE html><html><body><h1>404</h1>This page could not be found.</body></html>",
                            "text/html; charset=utf-8")
        procedure = req.path[len("/api/"):].rstrip("/") or None
        trace = _Trace(req, procedure)
        try:
            trace.body = json.loads(req.body) if req.body else None
        except (ValueError, UnicodeDecodeError):
            trace.body = None
        response: Optional[Response] = None
        try:
            response = self._api(req, procedure, trace)
            return response
        except Exception as e:  # a bug here must still answer, like Next's 500 page would
            log.exception("unhandled error for %s %s", req.method, req.path)
            response = json_response(500, error_body("INTERNAL_SERVER_ERROR", str(e), procedure))
            return response
        finally:
            status = None if response is None or response.drop else response.status
            self.emu.requests.add(req.method, req.path, procedure,
                                  {k: v[-1] if len(v) == 1 else v for k, v in req.query.items()},
                                  trace.body, status, trace.schema_error, trace.fault,
                                  "x-api-key" in req.headers)
            log.debug("%s %s -> %s", req.method, req.path, status)

    # ---- /api/ -----------------------------------------------------------------------------------
    def _api(self, req: Request, procedure: Optional[str], trace: _Trace) -> Response:
        emu = self.emu
        deploy_error: Optional[str] = None
        fault = emu.faults.check(procedure)
        if fault is not None:
            trace.fault = fault.fault_id
            injected = self._apply_fault(fault, procedure)
            if injected is not None:
                return injected
            deploy_error = fault.action.get("deploy_error")

        if procedure == "health":  # pages/api/health.ts: no auth
            return json_response(200, {"ok": True}, NEXT_JSON)

        # Next.js parses a JSON body before the handler runs, so broken JSON fails even unauthenticated.
        content_type = req.headers.get("content-type", "")
        parsed: Any = None
        if req.method == "POST" and content_type.split(";")[0].strip().lower() == "application/json":
            if req.body.strip():
                try:
                    parsed = json.loads(req.body)
                except (ValueError, UnicodeDecodeError):
                    return Response(400, b"Invalid JSON", "text/plain; charset=utf-8")
            else:
                parsed = {}

        if not emu.token_valid(req.headers.get("x-api-key")):
            return Response(UNAUTHORIZED.status, UNAUTHORIZED.body, UNAUTHORIZED.content_type)

        features = emu.features
        proc = self.procedures.get(procedure or "")
        if proc is None or not proc.available(features) or proc.method != req.method:
            return json_response(404, error_body("NOT_FOUND", "Not found", None))

        if proc.method == "POST":
            if not content_type.lower().startswith("application/json"):
                return json_response(415, error_body("UNSUPPORTED_MEDIA_TYPE",
                                                     f'Unsupported content-type "{content_type}"', procedure))
            raw_input = parsed
        else:
            raw_input = emu.schemas.coerce_query(procedure, features, req.query)

        try:
            inp = emu.schemas.validate(procedure, features, raw_input)
        except ValidationFailed as e:
            trace.schema_error = e.summary
            return json_response(400, error_body("BAD_REQUEST", "Input validation failed", procedure,
                                                 issues=e.issues, zod_error=e.zod_error))

        try:
            result = proc.handler(emu, inp, Call(features=features, deploy_error=deploy_error))
        except ApiError as e:
            return json_response(e.status, error_body(e.code, e.message, procedure, e.issues, e.zod_error))
        if result is EMPTY:
            return Response(200, b"", "application/json")
        return Response(200, json_bytes(result), "application/json")

    def _apply_fault(self, fault: Fault, procedure: Optional[str]) -> Optional[Response]:
        """Faults act before auth and validation; `deploy_error` alone lets the call through."""
        action = fault.action
        if action.get("delay_ms"):
            time.sleep(action["delay_ms"] / 1000.0)  # then a normal answer: a slow server
        if action.get("drop"):
            return Response(0, drop=True)
        if action.get("malformed"):
            return Response(200, TRUNCATED_JSON, "application/json")
        if "status" not in action and "retry_after" not in action and "body" not in action:
            return None
        status = action.get("status", 429 if "retry_after" in action else 200)
        headers = []
        if action.get("retry_after") is not None:
            headers.append(("Retry-After", str(action["retry_after"])))
        body = action.get("body")
        if body is None:
            if status == 401:
                return Response(401, UNAUTHORIZED.body, UNAUTHORIZED.content_type, headers)
            code = CODE_FOR_STATUS.get(status)
            if code:
                body = error_body(code, f"Injected fault: {HTTPStatus(status).phrase}", procedure)
            else:
                try:
                    body = HTTPStatus(status).phrase
                except ValueError:
                    body = "Injected fault"
        if isinstance(body, (dict, list, bool, int, float)):
            return Response(status, json_bytes(body), action.get("content_type", "application/json"), headers)
        return Response(status, str(body).encode("utf-8"),
                        action.get("content_type", "text/plain; charset=utf-8"), headers)
