"""The shape of a JSON answer: its keys and JSON types, recursively, with an array summarised as the
union of its elements' shapes. Two answers with the same shape differ only in values.

A shape is a dict from a type name to what is inside that type:
  "null", "boolean", "number", "string" -> None
  "array"  -> the union of the elements' shapes ({} for an empty array)
  "object" -> {key: shape}; a key that only some elements of an array have gets the type "absent"
  "empty" (an empty body) and "text" (a body that is not JSON) -> None
"""
from __future__ import annotations

from typing import Any

Shape = dict[str, Any]

ABSENT: Shape = {"absent": None}


def shape_of(value: Any) -> Shape:
    if value is None:
        return {"null": None}
    if isinstance(value, bool):
        return {"boolean": None}
    if isinstance(value, (int, float)):
        return {"number": None}
    if isinstance(value, str):
        return {"string": None}
    if isinstance(value, list):
        inner: Shape = {}
        for item in value:
            inner = merge(inner, shape_of(item))
        return {"array": inner}
    if isinstance(value, dict):
        return {"object": {key: shape_of(item) for key, item in value.items()}}
    raise TypeError(f"not a JSON value: {value!r}")


def merge(a: Shape, b: Shape) -> Shape:
    """The union of two shapes (how two elements of one array are summarised)."""
    if not a:
        return b
    if not b:
        return a
    out: Shape = {}
    for kind in sorted(set(a) | set(b)):
        if kind not in a or kind not in b:
            out[kind] = a.get(kind, b.get(kind))
        elif kind == "array":
            out[kind] = merge(a[kind], b[kind])
        elif kind == "object":
            keys_a, keys_b = a[kind], b[kind]
            out[kind] = {key: merge(keys_a.get(key, ABSENT), keys_b.get(key, ABSENT))
                         for key in sorted(set(keys_a) | set(keys_b))}
        else:
            out[kind] = None
    return out


def describe(shape: Shape, depth: int = 1) -> str:
    """A short text for a report: `string`, `null | string`, `object{a, b, …}`, `array of object{…}`."""
    if not shape:
        return "nothing"
    parts = []
    for kind in sorted(shape):
        inner = shape[kind]
        if kind == "array":
            parts.append("[]" if not inner else f"array of {describe(inner, depth)}")
        elif kind == "object":
            keys = sorted(inner)
            if depth <= 0 or len(keys) > 8:
                parts.append(f"object with {len(keys)} keys")
            else:
                parts.append("object{" + ", ".join(keys) + "}")
        else:
            parts.append(kind)
    return " | ".join(parts)


def differences(real: Shape, emulator: Shape, path: str = "") -> list[str]:
    """Every place where the two shapes disagree, as `<path>: real says X, emulator says Y`."""
    where = path or "the answer"
    if set(real) != set(emulator):
        # Types differ here; say so once instead of descending into types only one side has.
        return [f"{where}: real says {describe(real)}, emulator says {describe(emulator)}"]
    out: list[str] = []
    if "array" in real:
        inner_real, inner_emulator = real["array"], emulator["array"]
        if bool(inner_real) != bool(inner_emulator):
            out.append(f"{where}: real says {describe(real)}, emulator says {describe(emulator)}")
        elif inner_real:
            out += differences(inner_real, inner_emulator, f"{path}[]")
    if "object" in real:
        keys_real, keys_emulator = real["object"], emulator["object"]
        missing = sorted(set(keys_real) - set(keys_emulator))
        extra = sorted(set(keys_emulator) - set(keys_real))
        if missing:
            out.append(f"{where}: the emulator lacks {', '.join(missing)}")
        if extra:
            out.append(f"{where}: the emulator adds {', '.join(extra)}")
        for key in sorted(set(keys_real) & set(keys_emulator)):
            out += differences(keys_real[key], keys_emulator[key], f"{path}.{key}" if path else key)
    return out
