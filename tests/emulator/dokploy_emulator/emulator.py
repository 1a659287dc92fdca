"""The emulator's shared state in one object: model, runner, deploy queue, schemas, faults, tokens,
request log and the version being emulated."""
from __future__ import annotations

import hmac
import threading
from typing import Iterable

from .deploy_queue import DeployQueue
from .faults import FaultBook
from .model import Model
from .request_log import RequestLog
from .runners import RunnerFactory, RunnerGate
from .schemas import DEFAULT_SUBSET, SchemaBook
from .versions import Features, features_for


class Emulator:
    def __init__(self, *, version: str, tokens: Iterable[str], runner_factory: RunnerFactory,
                 server_address: str = "127.0.0.1", queue_delay_ms: int = 150,
                 deploy_duration_ms: int = 100, servers: list[dict] | None = None,
                 subset_path: str = DEFAULT_SUBSET) -> None:
        self._lock = threading.Lock()
        self._features = features_for(version)
        # Whether Swarm's routing mesh forwards ingress-published ports (it does not on machines
        # without it, e.g. where the project's real-Dokploy tests run).
        self._ingress_routes = True
        self._tokens = [t for t in tokens if t]
        self.server_address = server_address
        self.queue_delay_s = queue_delay_ms / 1000.0
        self.deploy_duration_s = deploy_duration_ms / 1000.0
        self.model = Model()
        self.model.set_servers(servers or [])
        self.gate = RunnerGate(runner_factory)
        self.schemas = SchemaBook(subset_path)
        self.faults = FaultBook()
        self.requests = RequestLog()
        self.queue = DeployQueue(self)

    @property
    def features(self) -> Features:
        with self._lock:
            return self._features

    def set_version(self, version: str) -> Features:
        features = features_for(version)  # raises ValueError on nonsense
        with self._lock:
            self._features = features
        return features

    @property
    def ingress_routes(self) -> bool:
        with self._lock:
            return self._ingress_routes

    def set_ingress_routes(self, routes: bool) -> None:
        """Takes effect at each service's next deploy or reload, as a network change would."""
        with self._lock:
            self._ingress_routes = routes

    def token_valid(self, token: str | None) -> bool:
        if not token:
            return False
        with self._lock:
            tokens = list(self._tokens)
        # Constant-time compare: a test server, but no reason to teach bad habits.
        return any(hmac.compare_digest(token.encode(), t.encode()) for t in tokens)

    def add_token(self, token: str) -> None:
        with self._lock:
            if token not in self._tokens:
                self._tokens.append(token)

    def reset(self) -> None:
        """Empty model, a routing mesh that forwards; everything the runner started is torn down
        first."""
        self.set_ingress_routes(True)
        self.queue.reset()
        self.gate.renew()
        self.model.clear()

    def close(self) -> None:
        self.queue.stop()
        self.gate.shutdown()
