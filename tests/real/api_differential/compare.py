"""Compares the records of one sequence run against real Dokploy with those of the same sequence run
against the emulator: status codes, answer shapes and the pinned values must agree."""
from __future__ import annotations

import json
from typing import Any

from .engine import Record
from .shapes import differences


def _text(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def compare(real: list[Record], emulator: list[Record]) -> list[str]:
    """Every difference as `step N procedure (label): real says X, emulator says Y`."""
    out: list[str] = []
    for r, e in zip(real, emulator):
        where = f"step {r.index} {r.procedure} ({r.label})"
        if r.status != e.status:
            out.append(f"{where}: real says HTTP {r.status}, emulator says HTTP {e.status}"
                       f" [real: {r.excerpt[:120]!r}; emulator: {e.excerpt[:120]!r}]")
            continue  # different answers altogether: their shapes say nothing more
        for difference in differences(r.shape, e.shape):
            out.append(f"{where}: {difference}")
        for path, value in r.pinned.items():
            other = e.pinned.get(path)
            if value != other:
                out.append(f"{where}: {path or 'the answer'}: real says {_text(value)}, "
                           f"emulator says {_text(other)}")
    if len(real) != len(emulator):
        out.append(f"the runs have {len(real)} (real) and {len(emulator)} (emulator) steps")
    return out
