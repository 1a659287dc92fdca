"""The contract between the Dokploy emulator and whatever runs a deployed service.

The emulator (dokploy_emulator) turns a Dokploy service into WorkspaceSpec values and hands them
to a Runner; a runner makes them real (a Debian root filesystem in its own namespaces, see
workspace_runner.runner) or pretends (NullRunner). Nothing here knows Dokploy or the provider.
"""
from __future__ import annotations

import abc
import dataclasses
from typing import Literal, Optional


class RunnerError(Exception):
    """A workspace could not be started; the message is what `docker` would have printed
    (it ends up in the Dokploy deployment's error), e.g. "Bind for 127.0.0.1:2222 failed: port is
    already allocated"."""


@dataclasses.dataclass(frozen=True)
class PortBinding:
    published: int            # port on the host side
    target: int               # port inside the workspace
    protocol: str = "tcp"
    host_ip: str = "127.0.0.1"  # loopback address of the (emulated) server that publishes it


@dataclasses.dataclass(frozen=True)
class VolumeMount:
    source: str               # named volume (already scoped, e.g. "<project>_<volume>")
    target: str               # absolute path inside the workspace
    kind: Literal["volume", "bind"] = "volume"
    read_only: bool = False


@dataclasses.dataclass(frozen=True)
class WorkspaceSpec:
    key: str                          # unique container name (application appName, or compose "<appName>-<service>-1")
    group: str                        # owning Dokploy service's appName; `remove_group` removes all of it
    image: str
    entrypoint: Optional[tuple[str, ...]] = None   # None: the image's default entrypoint
    command: Optional[tuple[str, ...]] = None      # None: the image's default command
    env: tuple[tuple[str, str], ...] = ()          # ordered NAME=value pairs, exactly as Docker would set them
    ports: tuple[PortBinding, ...] = ()
    volumes: tuple[VolumeMount, ...] = ()
    privileged: bool = False
    working_dir: Optional[str] = None
    user: Optional[str] = None
    memory_limit_bytes: Optional[int] = None
    nano_cpus: Optional[int] = None


WorkspaceState = Literal["running", "exited", "missing"]


class Runner(abc.ABC):
    """Runs workspaces. Every method is safe to call from any thread; calls for one key are
    serialised by the caller (the emulator's deploy queue)."""

    @abc.abstractmethod
    def up(self, spec: WorkspaceSpec) -> None:
        """Create and start, like `docker compose up -d` / a Swarm task update: when a workspace
        with this key exists and its spec is unchanged, start it if stopped (files kept); when the
        spec changed, replace it (fresh filesystem, named volumes kept). Returns once the
        workspace's main process has been started and its ports are bound. Raises RunnerError."""

    @abc.abstractmethod
    def stop(self, key: str) -> None:
        """Stop the workspace's processes, keep its filesystem and volumes. Missing key: no-op."""

    @abc.abstractmethod
    def start(self, key: str) -> None:
        """Start a stopped workspace with its previous spec and files. Raises RunnerError when
        the key is unknown or its ports cannot be bound."""

    @abc.abstractmethod
    def state(self, key: str) -> WorkspaceState:
        """running: main process alive; exited: stopped or its main process ended; missing."""

    @abc.abstractmethod
    def remove_group(self, group: str, remove_volumes: bool) -> None:
        """Remove every workspace of a Dokploy service (processes, filesystem) and, when asked,
        its named volumes. Missing group: no-op."""

    @abc.abstractmethod
    def volumes(self) -> list[str]:
        """The named volumes that exist, sorted (`docker volume ls`): made by `up`, kept by
        `remove_group(..., remove_volumes=False)` (as `docker service rm` keeps them)."""

    @abc.abstractmethod
    def shutdown(self) -> None:
        """Stop and remove everything this runner started (the emulator is exiting)."""


class NullRunner(Runner):
    """Deploys nothing: for API-only tests that never connect to a workspace."""

    def __init__(self) -> None:
        self._specs: dict[str, WorkspaceSpec] = {}
        self._running: set[str] = set()
        self._volumes: dict[str, str] = {}  # name -> the group that made it

    def up(self, spec: WorkspaceSpec) -> None:
        self._specs[spec.key] = spec
        self._running.add(spec.key)
        for volume in spec.volumes:
            if volume.kind == "volume":
                self._volumes.setdefault(volume.source, spec.group)

    def stop(self, key: str) -> None:
        self._running.discard(key)

    def start(self, key: str) -> None:
        if key not in self._specs:
            raise RunnerError(f"No such container: {key}")
        self._running.add(key)

    def state(self, key: str) -> WorkspaceState:
        if key not in self._specs:
            return "missing"
        return "running" if key in self._running else "exited"

    def remove_group(self, group: str, remove_volumes: bool) -> None:
        for key in [k for k, s in self._specs.items() if s.group == group]:
            self._specs.pop(key, None)
            self._running.discard(key)
        if remove_volumes:
            in_use = {v.source for s in self._specs.values() for v in s.volumes if v.kind == "volume"}
            for name in [n for n, g in self._volumes.items() if g == group and n not in in_use]:
                del self._volumes[name]

    def volumes(self) -> list[str]:
        return sorted(self._volumes)

    def shutdown(self) -> None:
        self._specs.clear()
        self._running.clear()
        self._volumes.clear()
