"""The deployment queue: one worker thread that runs deploy jobs in order, like Dokploy's queue
(BullMQ before v0.29.9, an in-memory queue since), moving statuses idle -> running -> done|error."""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Callable, Optional, TYPE_CHECKING

from workspace_runner.api import RunnerError, WorkspaceSpec

from .deploy_log import DeployLog, check_pull
from .model import Runtime, now_iso
from .specs import DeployError, application_spec, compose_routes, compose_specs

if TYPE_CHECKING:
    from .emulator import Emulator

log = logging.getLogger("dokploy_emulator.deploy")


@dataclasses.dataclass
class Job:
    kind: str                 # "application" | "compose"
    service_id: str
    deployment_id: str
    job_type: str             # "deploy" | "redeploy"
    enqueued_at: float        # time.monotonic()
    forced_error: Optional[str] = None   # set by a deploy_error fault

    def describe(self) -> dict:
        return {"kind": self.kind, "serviceId": self.service_id, "deploymentId": self.deployment_id,
                "type": self.job_type, "forcedError": self.forced_error}


def _table(emu: "Emulator", kind: str) -> dict:
    return emu.model.applications if kind == "application" else emu.model.compose


def _status_column(kind: str) -> str:
    return "applicationStatus" if kind == "application" else "composeStatus"


class DeployQueue:
    def __init__(self, emu: "Emulator") -> None:
        self.emu = emu
        self.cond = threading.Condition()
        self.waiting: list[Job] = []
        self.active: Optional[Job] = None
        # Bumped by restart/reset: a job that was running then belongs to a dead process and its
        # outcome must not be written back.
        self.generation = 0
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="deploy-worker", daemon=True)
        self.thread.start()

    # ---- API used by procedures and the control API -------------------------------------------
    def submit(self, kind: str, row: dict, title: str, description: str, job_type: str,
               forced_error: Optional[str] = None) -> dict:
        """What `deploy`/`redeploy` do: a deployment row in `running`, then a queued job. The
        service's own status is left alone until the job starts."""
        with self.emu.model.lock:
            deployment = self.emu.model.create_deployment(kind, row, title, description)
        service_id = row["applicationId"] if kind == "application" else row["composeId"]
        self.enqueue(Job(kind=kind, service_id=service_id, deployment_id=deployment["deploymentId"],
                         job_type=job_type, enqueued_at=time.monotonic(), forced_error=forced_error))
        return deployment

    def enqueue(self, job: Job) -> None:
        with self.cond:
            self.waiting.append(job)
            self.cond.notify_all()

    def remove_waiting(self, predicate: Callable[[Job], bool]) -> list[Job]:
        with self.cond:
            dropped = [j for j in self.waiting if predicate(j)]
            self.waiting = [j for j in self.waiting if not predicate(j)]
            return dropped

    def snapshot(self) -> dict:
        with self.cond:
            return {"waiting": [j.describe() for j in self.waiting],
                    "active": self.active.describe() if self.active else None}

    def restart(self, lose_jobs: bool) -> dict:
        """Emulates the Dokploy process dying and coming back. v0.29.9+ (in-memory queue): queued
        and running jobs are gone, their services go back to idle and their deployments are
        cancelled. Earlier (BullMQ in Redis): waiting jobs survive and the job that was running
        is a stalled job that BullMQ moves back to the queue and runs again."""
        model = self.emu.model
        with self.cond:
            self.generation += 1
            lost = list(self.waiting) + ([self.active] if self.active else [])
            if lose_jobs:
                self.waiting = []
            elif self.active is not None:
                self.active.enqueued_at = time.monotonic()
                self.waiting.insert(0, self.active)
            self.active = None
            self.cond.notify_all()
        if lose_jobs:
            with model.lock:
                for job in lost:
                    row = _table(self.emu, job.kind).get(job.service_id)
                    if row is not None:
                        row[_status_column(job.kind)] = "idle"
                for dep in model.deployments.values():
                    if dep["status"] == "running":
                        dep["status"] = "cancelled"
                        dep["finishedAt"] = now_iso()
        return {"lostJobs": [j.describe() for j in lost] if lose_jobs else [],
                "requeuedJobs": [] if lose_jobs else [j.describe() for j in lost]}

    def reset(self) -> None:
        with self.cond:
            self.generation += 1
            self.waiting = []
            self.active = None
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.generation += 1
            self.cond.notify_all()
        self.thread.join(timeout=5)

    # ---- the worker ----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self.cond:
                while True:
                    if self.stopping:
                        return
                    if not self.waiting:
                        self.cond.wait()
                        continue
                    # A job starts --queue-delay-ms after it was queued at the earliest: until then
                    # the service keeps showing its previous status.
                    ready_at = self.waiting[0].enqueued_at + self.emu.queue_delay_s
                    now = time.monotonic()
                    if now < ready_at:
                        self.cond.wait(ready_at - now)
                        continue
                    job = self.waiting.pop(0)
                    self.active = job
                    generation = self.generation
                    break
            try:
                self._execute(job, generation)
            except Exception:
                log.exception("deploy worker: unexpected failure")
            with self.cond:
                if self.active is job:
                    self.active = None

    def _current(self, generation: int) -> bool:
        with self.cond:
            return generation == self.generation and not self.stopping

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        with self.cond:
            while not self.stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self.cond.wait(left)

    def _execute(self, job: Job, generation: int) -> None:
        emu, model = self.emu, self.emu.model
        table, status_col = _table(emu, job.kind), _status_column(job.kind)
        with model.lock:
            row = table.get(job.service_id)
            if row is None or not self._current(generation):
                return  # deleted meanwhile (Dokploy's findXById throws and the job fails)
            row[status_col] = "running"
            dep = model.deployments.get(job.deployment_id)
            log_path = dep["logPath"] if dep is not None else ""
            if dep is not None:
                dep["startedAt"] = now_iso()
            app_name = row["appName"]
            runtime = model.runtime.get(app_name)
            if runtime is None:
                runtime = model.runtime[app_name] = Runtime(group=app_name, kind=job.kind,
                                                            service_id=job.service_id)
            runtime.server_id = row.get("serverId")
            deploy_log = DeployLog(job.kind, row)
        model.append_log(log_path, deploy_log.opening())
        started = time.monotonic()
        error: Optional[Exception] = None
        specs: list[WorkspaceSpec] = []
        try:
            if job.forced_error:
                raise DeployError(job.forced_error)
            specs = self._specs_for(job.kind, row)
            routes: list[dict] = []  # compose: the domains its labels carry
            if job.kind == "compose":
                routes = compose_routes(model, row, emu.features, specs)
            for spec in specs:
                check_pull(spec)
            if job.kind == "application":
                model.append_log(log_path, deploy_log.pulled())
            self._check_port_allocation(app_name, job.kind, specs)
            with emu.gate.group(app_name) as runner:
                with model.lock:
                    gone = job.service_id not in table
                if not gone:
                    routed = [self.routed(spec) for spec in specs]
                    for spec in routed:
                        runner.up(spec)
                    new_keys = [s.key for s in specs]
                    for orphan in [k for k in runtime.keys if k not in new_keys]:
                        runner.stop(orphan)  # `up --remove-orphans`
                    with model.lock:
                        runtime.keys = new_keys
                        runtime.deployed = True
                        runtime.stopped = False
                        # Swarm allocates a published port whether or not its mesh forwards it.
                        runtime.ports = [(p.host_ip, p.published, p.protocol) for s in specs for p in s.ports]
                        runtime.specs = {s.key: dataclasses.asdict(s) for s in routed}
                        runtime.routes = routes
            if job.kind == "compose":
                model.append_log(log_path, deploy_log.containers(specs, started=True))
            model.append_log(log_path, deploy_log.deployed())
        except (DeployError, RunnerError) as e:
            error = e
        except Exception as e:  # a bug in the runner or here: still a failed deploy, never a hang
            log.exception("deploy of %s failed unexpectedly", app_name)
            error = DeployError(f"emulator: {e!r}")
        if error is not None:
            model.append_log(log_path, deploy_log.failed(error, specs))
        remaining = emu.deploy_duration_s - (time.monotonic() - started)
        if remaining > 0:
            self._sleep(remaining)
        with model.lock:
            if not self._current(generation):
                return
            row = table.get(job.service_id)
            if row is None:
                return
            status = "error" if error else "done"
            row[status_col] = status
            dep = model.deployments.get(job.deployment_id)
            if dep is not None:
                # Dokploy leaves errorMessage null for a failed deploy: the cause is in the log.
                dep["status"] = status
                dep["finishedAt"] = now_iso()
        if error:
            log.info("deploy of %s finished: error: %s", app_name, error)
        else:
            log.info("deploy of %s finished: done in %.1f s", app_name, time.monotonic() - started)

    def _specs_for(self, kind: str, row: dict) -> list[WorkspaceSpec]:
        emu = self.emu
        if kind == "application":
            return [application_spec(emu.model, row, emu.features, emu.server_address)]
        return compose_specs(emu.model, row, emu.features, emu.server_address)

    def routed(self, spec: WorkspaceSpec) -> WorkspaceSpec:
        """The spec as the runner makes it reachable: on a server whose Swarm routing mesh does
        not forward (ingress_routes off), an application's ingress-published ports refuse
        connections while its task runs, so the runner does not publish them."""
        if self.emu.ingress_routes:
            return spec
        unrouted = self.emu.model.ingress_ports(spec.group)
        if not unrouted:
            return spec
        return dataclasses.replace(spec, ports=tuple(p for p in spec.ports if p.published not in unrouted))

    def _check_port_allocation(self, app_name: str, kind: str, specs: list[WorkspaceSpec]) -> None:
        """What dockerd refuses before any process starts: a published port another service
        already holds on that address (Swarm keeps ingress ports even while scaled to 0)."""
        with self.emu.model.lock:
            taken = {}
            for other in self.emu.model.runtime.values():
                if other.group == app_name or not other.deployed:
                    continue
                if other.kind == "compose" and other.stopped:
                    continue  # `compose stop` releases the bindings; a Swarm service at 0 keeps them
                for host_ip, port, proto in other.ports:
                    taken[(host_ip, port, proto)] = other
        for spec in specs:
            for p in spec.ports:
                holder = taken.get((p.host_ip, p.published, p.protocol))
                if holder is None:
                    continue
                if kind == "application" and holder.kind == "application":
                    raise DeployError(f"port '{p.published}' is already in use by service "
                                      f"'{holder.group}' as an ingress port")
                raise DeployError(f"Bind for {p.host_ip}:{p.published} failed: port is already allocated")
