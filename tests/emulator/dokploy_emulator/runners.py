"""Choosing the Runner that makes deployed services real, and serialising calls per service so the
runner never sees two concurrent operations on one workspace group (its contract asks that)."""
from __future__ import annotations

import logging
import tempfile
import threading
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

from workspace_runner.api import NullRunner, Runner

log = logging.getLogger("dokploy_emulator.runners")


class RunnerUnavailable(Exception):
    pass


RunnerFactory = Callable[[], Runner]


def make_runner_factory(kind: str, state_dir: Optional[str]) -> RunnerFactory:
    """Checks the runner can be had (raises RunnerUnavailable) and returns a factory for fresh
    instances: /__emulator/reset shuts the runner down, and a shut-down runner refuses work."""
    if kind == "none":
        return NullRunner
    if kind == "workspace":
        try:
            # Imported only when asked for: it may need root, debootstrap, etc.
            from workspace_runner.runner import WorkspaceRunner  # type: ignore
        except Exception as e:  # ImportError, or whatever its own imports raise
            raise RunnerUnavailable(
                f"--runner workspace: cannot import workspace_runner.runner.WorkspaceRunner ({e!r})") from e
        available = getattr(WorkspaceRunner, "available", None)
        reason = available() if callable(available) else None
        if reason:
            raise RunnerUnavailable(f"--runner workspace: workspaces cannot run here: {reason}")
        if not state_dir:
            state_dir = tempfile.mkdtemp(prefix="dokploy-emulator-runner-")
            log.info("runner state directory: %s", state_dir)
        folder = state_dir

        def factory() -> Runner:
            try:
                return WorkspaceRunner(state_dir=folder)
            except Exception as e:
                raise RunnerUnavailable(f"--runner workspace: WorkspaceRunner failed to start: {e}") from e

        return factory
    raise RunnerUnavailable(f"unknown runner {kind!r} (expected none or workspace)")


class RunnerGate:
    """Holds the runner and one lock per group (a Dokploy service's appName)."""

    def __init__(self, factory: RunnerFactory) -> None:
        self._factory = factory
        self.runner = factory()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def group(self, group: str) -> Iterator[Runner]:
        with self._guard:
            lock = self._locks.setdefault(group, threading.Lock())
        with lock:
            yield self.runner

    def shutdown(self) -> None:
        try:
            self.runner.shutdown()
        except Exception:
            log.exception("runner.shutdown() failed")

    def renew(self) -> None:
        """Shut the runner down (everything it started goes) and continue with a fresh one."""
        self.shutdown()
        self.runner = self._factory()
