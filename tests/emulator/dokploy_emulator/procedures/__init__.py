"""The registry of emulated tRPC procedures: name, HTTP method, the versions that have it, and
the function that implements it (one module per Dokploy router)."""
from __future__ import annotations

import dataclasses
import importlib
from typing import Any, Callable, Optional, TYPE_CHECKING

from ..versions import Features

if TYPE_CHECKING:
    from ..emulator import Emulator


class _Empty:
    """Returned by procedures that return `undefined`: HTTP 200 with an empty body."""

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY = _Empty()


@dataclasses.dataclass
class Call:
    """Per-request context a procedure may need besides its input."""
    features: Features
    deploy_error: Optional[str] = None   # from a deploy_error fault on this call


Handler = Callable[["Emulator", dict, Call], Any]


@dataclasses.dataclass(frozen=True)
class Procedure:
    name: str
    method: str                        # "GET" (query) | "POST" (mutation)
    handler: Handler
    since: Optional[tuple[int, int, int]] = None

    def available(self, features: Features) -> bool:
        return self.since is None or features.number >= self.since


REGISTRY: dict[str, Procedure] = {}

_ROUTERS = ("project", "environment", "application", "port", "mounts", "compose", "server",
            "settings", "user", "deployment", "docker", "docker_volume",
            "domain")


def query(name: str, since: Optional[tuple[int, int, int]] = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        REGISTRY[name] = Procedure(name, "GET", fn, since)
        return fn
    return register


def mutation(name: str, since: Optional[tuple[int, int, int]] = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        REGISTRY[name] = Procedure(name, "POST", fn, since)
        return fn
    return register


def load_all() -> dict[str, Procedure]:
    for router in _ROUTERS:
        importlib.import_module(f"{__name__}.{router}")
    return REGISTRY
