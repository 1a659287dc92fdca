"""Injected faults: per-procedure rules, counted from the moment they are added, that replace or
delay the answer (status, Retry-After, dropped connection, truncated JSON) or fail the next deploy."""
from __future__ import annotations

import dataclasses
import threading
from typing import Any, Optional

from .model import new_id


class FaultSpecError(ValueError):
    pass


@dataclasses.dataclass
class Fault:
    fault_id: str
    procedure: str            # "application.deploy", "health", or "*" for every /api/ request
    match: str                # "nth" | "always"
    nth: int
    times: Optional[int]
    action: dict
    seen: int = 0             # calls to `procedure` since the fault was added
    fired: int = 0

    def describe(self) -> dict:
        return {"faultId": self.fault_id, "procedure": self.procedure, "match": self.match,
                "nth": self.nth, "times": self.times, "action": self.action,
                "seen": self.seen, "fired": self.fired}


_ACTION_KEYS = {"status", "body", "content_type", "retry_after", "delay_ms", "drop", "malformed",
                "deploy_error"}


def parse_fault(spec: Any) -> Fault:
    if not isinstance(spec, dict):
        raise FaultSpecError("a fault is a JSON object")
    procedure = spec.get("procedure")
    if not isinstance(procedure, str) or not procedure:
        raise FaultSpecError("procedure: required string (e.g. \"application.deploy\", \"health\" or \"*\")")
    # Giving `nth` alone means "the nth call"; otherwise the rule fires on every call.
    match = spec.get("match", "nth" if "nth" in spec else "always")
    if match not in ("nth", "always"):
        raise FaultSpecError("match: \"nth\" or \"always\"")
    nth = spec.get("nth", 1)
    if match == "nth" and (not isinstance(nth, int) or nth < 1):
        raise FaultSpecError("nth: an integer >= 1 (1 = the next call)")
    times = spec.get("times")
    if times is not None and (not isinstance(times, int) or times < 1):
        raise FaultSpecError("times: an integer >= 1")
    action = spec.get("action")
    if not isinstance(action, dict) or not action:
        raise FaultSpecError("action: a non-empty object")
    unknown = set(action) - _ACTION_KEYS
    if unknown:
        raise FaultSpecError(f"action: unknown keys {sorted(unknown)}")
    if "status" in action and (not isinstance(action["status"], int) or not 100 <= action["status"] <= 599):
        raise FaultSpecError("action.status: an HTTP status code")
    return Fault(fault_id=new_id(), procedure=procedure, match=match,
                 nth=nth if match == "nth" else 1, times=times, action=action)


class FaultBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: Any) -> Fault:
        fault = parse_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def list(self) -> list[dict]:
        with self._lock:
            return [f.describe() for f in self._faults]

    def check(self, procedure: Optional[str]) -> Optional[Fault]:
        """Counts this call for every fault watching the procedure and returns the first one that
        fires. `nth` fires on call nth .. nth+times-1 (times defaults to 1); `always` fires on every
        call, or on the first `times` calls."""
        if procedure is None:
            return None
        chosen: Optional[Fault] = None
        with self._lock:
            for fault in self._faults:
                if fault.procedure not in (procedure, "*"):
                    continue
                fault.seen += 1
                if chosen is not None:
                    continue
                if fault.match == "nth":
                    window = fault.times or 1
                    fires = fault.nth <= fault.seen < fault.nth + window
                else:
                    fires = fault.times is None or fault.fired < fault.times
                if fires:
                    fault.fired += 1
                    chosen = fault
        return chosen
