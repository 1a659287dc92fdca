"""Input validation per Dokploy version: the request schemas of dokploy-openapi-subset.json, adapted
to the version being emulated, checked with jsonschema and reported the way zod/tRPC reports them."""
from __future__ import annotations

import copy
import json
import os
import re
import threading
from typing import Any, Callable, Optional

import jsonschema

from . import zod4
from .versions import Features

# A copy of the reference subset (read from Dokploy's own source), kept with the emulator so that a
# clone is self-contained.
DEFAULT_SUBSET = os.path.normpath(os.path.join(
    os.path.dirname(__file__), "..", "reference", "dokploy-openapi-subset.json"))

# sourceType enums accepted by application.create / compose.create from v0.30.0 (the subset's
# x-source "known_drift_vs_head" note: added after openapi.json was last generated).
_APP_SOURCE_TYPES = ["github", "docker", "git", "gitlab", "bitbucket", "gitea", "drop"]
_COMPOSE_SOURCE_TYPES = ["git", "github", "gitlab", "bitbucket", "gitea", "raw"]


# packages/server/src/utils/hostname-validation.ts: RFC 1123 labels, no underscores.
VALID_HOSTNAME = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*"
                            r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")
INVALID_HOSTNAME_MESSAGE = ("Invalid domain name. Use only letters, numbers, hyphens and dots (e.g. example.com). "
                            "Underscores are not allowed.")


def _domain_host_refinements(value: dict, features: Features) -> list[dict]:
    """The zod refines on `host` that the document cannot show (db/validations/domain.ts)."""
    host = value.get("host")
    if not isinstance(host, str) or not host:
        return []
    issues = []
    if features.generated_name_cut and host != host.strip():  # v0.26: the trim refine
        issues.append({"code": "custom", "message": "Domain name cannot have leading or trailing spaces",
                       "path": ["host"]})
    elif features.domain_sso_columns and not VALID_HOSTNAME.match(host.strip()):
        issues.append({"code": "custom", "message": INVALID_HOSTNAME_MESSAGE, "path": ["host"]})
    return issues


# Checks run after the schema passed, per procedure: (input, features) -> zod-like issues.
REFINEMENTS: dict[str, Callable[[dict, Features], list[dict]]] = {
    "domain.create": _domain_host_refinements,
    "domain.update": _domain_host_refinements,
}

_DOMAIN_SSO_INPUTS = ("customEntrypoint", "middlewares", "forwardAuthEnabled", "enabled")


class ValidationFailed(Exception):
    def __init__(self, issues: list[dict], zod_error: dict, summary: str) -> None:
        super().__init__(summary)
        self.issues = issues
        self.zod_error = zod_error
        self.summary = summary


def _strip_closed_objects(node: Any) -> Any:
    """zod objects strip unknown keys instead of failing, while the generated document says
    `additionalProperties: false` for them. Remove those so unknown keys are never errors; keep
    `additionalProperties: {schema}` (records), which constrains values."""
    if isinstance(node, dict):
        return {k: _strip_closed_objects(v) for k, v in node.items()
                if not (k == "additionalProperties" and v is False)}
    if isinstance(node, list):
        return [_strip_closed_objects(v) for v in node]
    return node


def _drop_property(schema: dict, name: str) -> None:
    schema.get("properties", {}).pop(name, None)
    if "required" in schema:
        schema["required"] = [r for r in schema["required"] if r != name]


def _rename_property(schema: dict, old: str, new: str) -> None:
    props = schema.get("properties", {})
    if old in props:
        props[new] = props.pop(old)
    if "required" in schema:
        schema["required"] = [new if r == old else r for r in schema["required"]]


def _adapt(procedure: str, schema: dict, features: Features) -> dict:
    """Turn the v0.30-era schema into the one the emulated version enforces. Every change below
    is one row of the version table in dokploy-api.md."""
    if not features.environments:
        # Before v0.25 services hung off the project: `projectId` where v0.25+ has `environmentId`
        # (required on create), and there was no environment filter to search by.
        if procedure in ("application.create", "compose.create"):
            _rename_property(schema, "environmentId", "projectId")
            schema["properties"]["projectId"] = {"type": "string", "minLength": 1}
            if "projectId" not in schema.get("required", []):
                schema.setdefault("required", []).append("projectId")
        elif procedure in ("application.update", "compose.update"):
            _rename_property(schema, "environmentId", "projectId")
        elif procedure == "application.search":
            _drop_property(schema, "environmentId")
    if not features.port_publish_mode and procedure in ("port.create", "port.update"):
        # publishMode arrived in v0.23.7; earlier servers dropped the key silently.
        _drop_property(schema, "publishMode")
    if procedure == "application.saveEnvironment":
        if not features.save_env_build_secrets:
            _drop_property(schema, "buildSecrets")  # required only from v0.25.6
        if not features.save_env_create_env_file:
            _drop_property(schema, "createEnvFile")  # required only from v0.26.1
    if not features.command_args and procedure == "application.update":
        _drop_property(schema, "args")  # the args column arrived with the v0.26 command split
    if not features.domain_sso_columns and procedure in ("domain.create", "domain.update"):
        for name in _DOMAIN_SSO_INPUTS:  # columns that arrived with v0.29.14 at the latest
            _drop_property(schema, name)
    if features.create_source_type:
        if procedure == "application.create":
            schema["properties"]["sourceType"] = {"type": "string", "enum": _APP_SOURCE_TYPES}
        elif procedure == "compose.create":
            schema["properties"]["sourceType"] = {"type": "string", "enum": _COMPOSE_SOURCE_TYPES}
    return schema


def _zod_type(value: Any) -> str:
    return zod4.json_type(value)


def _expected_type(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "unknown"
    if "enum" in schema:
        return " | ".join(f"'{v}'" for v in schema["enum"])
    t = schema.get("type")
    if isinstance(t, str):
        return "number" if t == "integer" else t
    for branch in schema.get("anyOf", []):
        inner = _expected_type(branch)
        if inner not in ("null", "unknown"):
            return inner
    return "unknown"


# Zod's too_small/too_big issue for each JSON Schema bound: (code, the key that carries the bound,
# type, message with the bound at {}).
_BOUND_ISSUES = {
    "minLength": ("too_small", "minimum", "string", "String must contain at least {} character(s)"),
    "maxLength": ("too_big", "maximum", "string", "String must contain at most {} character(s)"),
    "minimum": ("too_small", "minimum", "number", "Number must be greater than or equal to {}"),
    "maximum": ("too_big", "maximum", "number", "Number must be less than or equal to {}"),
}


def _zod4_issues_for(error: jsonschema.ValidationError, procedure: str) -> list[dict]:
    path = list(error.absolute_path)
    v, vv, inst = error.validator, error.validator_value, error.instance
    if v == "required":
        props = error.schema.get("properties", {})
        return [zod4.missing(procedure, key, props.get(key), path + [key])
                for key in vv if isinstance(inst, dict) and key not in inst]
    if v in ("type", "anyOf"):
        branch = (error.schema.get("anyOf") or [{}])[0]
        if "enum" in branch and inst is not None:
            return [zod4.invalid_value(branch["enum"], path)]
        return [zod4.invalid_type(zod4.expected_type(error.schema), zod4.received_type(inst), path)]
    if v == "enum":
        return [zod4.invalid_value(vv, path)]
    if v == "pattern":
        return [zod4.pattern(vv, path)]
    issue = zod4.bound(v, vv, path)
    return [issue] if issue else [{"code": "custom", "path": path, "message": error.message}]


def _issues_for(error: jsonschema.ValidationError) -> list[dict]:
    path = list(error.absolute_path)
    v, vv, inst = error.validator, error.validator_value, error.instance
    if v == "required":
        props = error.schema.get("properties", {})
        return [{"code": "invalid_type", "expected": _expected_type(props.get(key)),
                 "received": "undefined", "path": path + [key], "message": "Required"}
                for key in vv if isinstance(inst, dict) and key not in inst]
    if v in ("type", "anyOf"):
        expected = _expected_type(error.schema)
        if "enum" in (error.schema.get("anyOf") or [{}])[0] and inst is not None:
            return [_enum_issue(error.schema["anyOf"][0]["enum"], inst, path)]
        received = _zod_type(inst)
        return [{"code": "invalid_type", "expected": expected, "received": received, "path": path,
                 "message": f"Expected {expected}, received {received}"}]
    if v == "enum":
        return [_enum_issue(vv, inst, path)]
    if v in _BOUND_ISSUES:
        code, bound, kind, message = _BOUND_ISSUES[v]
        return [{"code": code, bound: vv, "type": kind, "inclusive": True, "exact": False, "path": path,
                 "message": message.format(vv)}]
    if v == "pattern":
        return [{"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": path}]
    return [{"code": "custom", "message": error.message, "path": path}]


def _enum_issue(options: list, received: Any, path: list) -> dict:
    shown = " | ".join(f"'{o}'" for o in options)
    return {"received": received, "code": "invalid_enum_value", "options": options, "path": path,
            "message": f"Invalid enum value. Expected {shown}, received '{received}'"}


def _with_defaults(schema: dict, value: Any) -> Any:
    """zod's .default(): a missing key takes its default before any check (port.create's
    publishMode and protocol), so it is never reported missing."""
    if not isinstance(value, dict):
        return value
    defaults = {k: copy.deepcopy(p["default"]) for k, p in (schema.get("properties") or {}).items()
                if isinstance(p, dict) and "default" in p and k not in value}
    return {**value, **defaults} if defaults else value


def _key_order(schema: dict, path: list) -> tuple[int, str]:
    """zod checks an object's keys in the order its shape lists them, which the document's
    `properties` keep."""
    keys = list((schema.get("properties") or {}).keys())
    first = str(path[0]) if path else ""
    return (keys.index(first) if first in keys else len(keys), json.dumps(path))


def _flatten(issues: list[dict]) -> dict:
    """zod's error.flatten(), which Dokploy's errorFormatter puts in data.zodError."""
    form: list[str] = []
    fields: dict[str, list[str]] = {}
    for issue in issues:
        if issue["path"]:
            fields.setdefault(str(issue["path"][0]), []).append(issue["message"])
        else:
            form.append(issue["message"])
    return {"formErrors": form, "fieldErrors": fields}


class SchemaBook:
    """Validators per (procedure, version), built lazily from the subset document."""

    def __init__(self, subset_path: str = DEFAULT_SUBSET) -> None:
        with open(subset_path, encoding="utf-8") as f:
            self.document = json.load(f)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[int, int, int]], Optional[tuple[dict, Any]]] = {}

    def base_schema(self, procedure: str) -> Optional[dict]:
        """The request schema as published: a POST body schema, or an object schema assembled
        from a GET operation's query parameters. None when the procedure takes no input."""
        item = self.document["paths"].get("/" + procedure)
        if not item:
            return None
        if "post" in item:
            body = item["post"].get("requestBody")
            if not body:
                return None
            return copy.deepcopy(body["content"]["application/json"]["schema"])
        params = item.get("get", {}).get("parameters") or []
        if not params:
            return None
        schema: dict = {"type": "object", "properties": {}, "required": []}
        for p in params:
            if p.get("in") != "query":
                continue
            schema["properties"][p["name"]] = copy.deepcopy(p.get("schema", {}))
            if p.get("required"):
                schema["required"].append(p["name"])
        return schema

    def _compiled(self, procedure: str, features: Features) -> Optional[tuple[dict, Any]]:
        key = (procedure, features.number)
        with self._lock:
            if key not in self._cache:
                schema = self.base_schema(procedure)
                if schema is None:
                    self._cache[key] = None
                else:
                    schema = _adapt(procedure, _strip_closed_objects(schema), features)
                    resolver = jsonschema.RefResolver(base_uri="", referrer=self.document)
                    self._cache[key] = (schema, jsonschema.Draft7Validator(schema, resolver=resolver))
            return self._cache[key]

    def schema_for(self, procedure: str, features: Features) -> Optional[dict]:
        compiled = self._compiled(procedure, features)
        return copy.deepcopy(compiled[0]) if compiled else None

    def coerce_query(self, procedure: str, features: Features, query: dict[str, list[str]]) -> dict:
        """Query strings are text; turn them into the types the schema asks for, the way the
        OpenAPI adapter coerces them before zod sees them. An empty value is no value at all
        (`serverId=` reaches zod as undefined: 400 on a real v0.30.2)."""
        compiled = self._compiled(procedure, features)
        props = compiled[0].get("properties", {}) if compiled else {}
        out: dict[str, Any] = {}
        for name, values in query.items():
            raw: Any = values[-1] if values else ""
            if raw == "":
                continue
            want = _expected_type(props.get(name))
            if want == "number":
                try:
                    num = float(raw)
                    raw = int(num) if num.is_integer() else num
                except ValueError:
                    pass
            elif want == "boolean" and raw in ("true", "false"):
                raw = raw == "true"
            out[name] = raw
        return out

    def validate(self, procedure: str, features: Features, value: Any) -> Any:
        """Returns the input with unknown top-level keys dropped (zod's strip), defaults filled in
        and (v0.30+) booleans and numbers coerced, or raises ValidationFailed with zod's issues."""
        compiled = self._compiled(procedure, features)
        if compiled is None:
            return value if isinstance(value, dict) else {}
        schema, validator = compiled
        if value is None:
            issues = [zod4.invalid_type("object", "undefined", []) if features.zod4 else
                      {"code": "invalid_type", "expected": "object", "received": "undefined",
                       "path": [], "message": "Required"}]
        else:
            value = _with_defaults(schema, value)
            if features.zod4:
                value = zod4.coerce(schema, value, procedure)
            issues = []
            seen: set[str] = set()
            for error in sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]):
                # jsonschema reports `required` once per missing key, each listing all of them.
                found = _zod4_issues_for(error, procedure) if features.zod4 else _issues_for(error)
                for issue in found:
                    marker = json.dumps([issue["code"], issue["path"]])
                    if marker not in seen:
                        seen.add(marker)
                        issues.append(issue)
            issues.sort(key=lambda issue: _key_order(schema, issue["path"]))
            if not issues and isinstance(value, dict) and procedure in REFINEMENTS:
                issues = REFINEMENTS[procedure](value, features)
        if issues:
            summary = "; ".join(
                f"{'.'.join(str(p) for p in i['path']) or '<input>'}: {i['message']}" for i in issues)
            raise ValidationFailed(issues, _flatten(issues), summary)
        props = schema.get("properties", {})
        return {k: v for k, v in value.items() if k in props}
