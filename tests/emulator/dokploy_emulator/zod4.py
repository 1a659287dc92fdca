"""What Dokploy v0.30's input handling adds to the JSON Schema check: zod 4's issue format (messages
from zod's `en` locale) and @dokploy/trpc-openapi 0.0.18's coercion of boolean and number inputs,
which it applies to request bodies as well as query strings (utils/zod coerceSchema)."""
from __future__ import annotations

import math
from typing import Any, Optional

# Inputs written as `createSchema.pick({...}).required()`: zod 4 wraps every key in nonoptional,
# which hides them from the coercion below. A missing key whose inner type took undefined (a
# nullable or defaulted column of drizzle's insert schema) is "expected nonoptional"; the others
# report their own type. Read from packages/server/src/db/schema/{application,port,mount}.ts, v0.30.2.
REQUIRED_INPUTS: dict[str, frozenset[str]] = {
    "application.saveEnvironment": frozenset({"env", "buildArgs", "buildSecrets", "createEnvFile"}),
    "application.saveDockerProvider": frozenset({"dockerImage", "username", "password", "registryUrl"}),
    "application.reload": frozenset({"appName"}),
    "port.create": frozenset(),
    "port.update": frozenset(),
    "mounts.remove": frozenset({"mountId"}),
}

# Patterns whose zod schema carries its own message (packages/server/src/db/schema/utils.ts).
_PATTERN_MESSAGES = {
    "^[a-zA-Z0-9._-]+$": "App name can only contain letters, numbers, dots, underscores and hyphens",
}


class _NaN:
    """Number(x) that is not a number. Not a JSON Schema number, so validation reports it."""

    def __repr__(self) -> str:
        return "NaN"


NAN = _NaN()


def json_type(value: Any) -> str:
    """zod's name for a JSON value's type (3 and 4 agree on these)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def received_type(value: Any) -> str:
    """zod 4's util.parsedType, as its `en` locale prints it."""
    if value is NAN or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    return json_type(value)


def _js_number(value: Any) -> Any:
    """JavaScript's Number(value) for JSON values."""
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return 0 if not value else _js_number(value[0]) if len(value) == 1 else NAN
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        try:
            number = int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else float(text)
        except ValueError:
            return NAN
        return int(number) if isinstance(number, float) and number.is_integer() else number
    return NAN


def _js_boolean(value: Any) -> bool:
    """JavaScript's Boolean(value) for JSON values."""
    if value is None or value is NAN:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def _plain_type(schema: dict) -> tuple[Optional[str], bool]:
    """The type under at most a nullable wrapper, and whether null is allowed."""
    branches = schema.get("anyOf")
    if branches:
        kinds = [b.get("type") for b in branches if isinstance(b, dict)]
        others = [k for k in kinds if k != "null"]
        return (others[0] if len(others) == 1 else None), "null" in kinds
    return schema.get("type"), False


def coerce(schema: dict, value: Any, procedure: str) -> Any:
    """The body after coercion: booleans and numbers (not under nonoptional) become Boolean(x) and
    Number(x); a missing required one is coerced from undefined (false, NaN). Nested objects too."""
    if procedure in REQUIRED_INPUTS or not isinstance(value, dict):
        return value
    return _coerce_object(schema, value)


def _coerce_object(schema: dict, value: dict) -> dict:
    out = dict(value)
    required = set(schema.get("required", []))
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        kind, nullable = _plain_type(prop)
        present = key in out
        if not present and (key not in required or "default" in prop):
            continue  # optional (undefined passes) or defaulted: nothing to coerce
        current = out.get(key)
        if present and current is None and nullable:
            continue
        if kind == "boolean":
            out[key] = _js_boolean(current)
        elif kind in ("number", "integer"):
            out[key] = _js_number(current) if present else NAN
        elif kind == "object" and isinstance(current, dict):
            out[key] = _coerce_object(prop, current)
    return out


def expected_type(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "unknown"
    kind, _ = _plain_type(schema)
    return "number" if kind == "integer" else (kind or "unknown")


def invalid_type(expected: str, received: str, path: list) -> dict:
    issue = {"expected": expected, "code": "invalid_type"}
    if expected == "number" and received in ("NaN", "Infinity"):
        issue["received"] = received  # zod 4's number check names a non-finite input (seen in v0.30.2)
    return {**issue, "path": path, "message": f"Invalid input: expected {expected}, received {received}"}


def invalid_value(options: list, path: list) -> dict:
    if len(options) == 1:
        message = f"Invalid input: expected {_js_string(options[0])}"
    else:
        message = "Invalid option: expected one of " + "|".join(_js_string(o) for o in options)
    return {"code": "invalid_value", "values": options, "path": path, "message": message}


def _js_string(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


_BOUNDS = {
    # JSON Schema keyword -> (code, bound key, origin, message with the bound at {})
    "minLength": ("too_small", "minimum", "string", "Too small: expected string to have >={} characters"),
    "maxLength": ("too_big", "maximum", "string", "Too big: expected string to have <={} characters"),
    "minimum": ("too_small", "minimum", "number", "Too small: expected number to be >={}"),
    "maximum": ("too_big", "maximum", "number", "Too big: expected number to be <={}"),
}


def bound(keyword: str, limit: Any, path: list) -> Optional[dict]:
    if keyword not in _BOUNDS:
        return None
    code, key, origin, message = _BOUNDS[keyword]
    return {"origin": origin, "code": code, key: limit, "inclusive": True, "path": path,
            "message": message.format(limit)}


def pattern(regex: str, path: list) -> dict:
    return {"origin": "string", "code": "invalid_format", "format": "regex", "pattern": f"/{regex}/",
            "path": path, "message": _PATTERN_MESSAGES.get(regex, f"Invalid string: must match pattern /{regex}/")}


def missing(procedure: str, key: str, schema: Any, path: list) -> dict:
    if key in REQUIRED_INPUTS.get(procedure, ()):
        return invalid_type("nonoptional", "undefined", path)
    if isinstance(schema, dict) and "enum" in schema:
        return invalid_value(schema["enum"], path)
    return invalid_type(expected_type(schema), "undefined", path)
