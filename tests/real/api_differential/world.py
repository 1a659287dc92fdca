"""The real tier's world as tools/real/real leaves it (run/env), and the clean-up of what a run made
there: through the API first, then by name in Docker."""
from __future__ import annotations

import os
import subprocess
import time
from typing import Callable, Optional

from .client import ApiClient
from .engine import Context

RUN_PREFIX = "dpp-api-differential-"   # project names
DOCKER_PREFIX = "dppdiff-"             # appNames and volume names


class RealWorld:
    def __init__(self) -> None:
        self.skip_reason: Optional[str] = None
        self.values: dict[str, str] = {}
        self.key = ""
        state = os.path.join(os.environ.get("DPP_REAL_CACHE") or "/var/cache/dokploy-provider-real", "run")
        env_file = os.path.join(state, "env")
        if not os.path.exists(env_file):
            reason = _first_line(os.path.join(state, "unavailable"))
            self.skip_reason = (f"the real tier cannot run here: {reason}" if reason else
                                f"the real tier is not up: run `tools/dev real up` first (no {env_file})")
            return
        with open(env_file, encoding="utf-8") as f:
            for line in f:
                name, equals, value = line.rstrip("\n").partition("=")
                if equals:
                    self.values[name] = value
        self.key = _first_line(self.values.get("DPP_REAL_API_KEY_FILE", ""))
        if not self.key:
            self.skip_reason = "the real tier's API key file is empty or unreadable: run `tools/dev real up` again"

    @property
    def url(self) -> str:
        return self.values.get("DPP_REAL_DOKPLOY_URL", "http://127.0.0.1:3000")

    @property
    def version(self) -> str:
        return "v" + self.values.get("DPP_REAL_DOKPLOY_VERSION", "").lstrip("v")

    @property
    def image(self) -> str:
        return self.values.get("DPP_REAL_IMAGE", "")

    @property
    def registry(self) -> str:
        return self.values.get("DPP_REAL_REGISTRY", "127.0.0.1:5000")

    def docker(self, *args: str) -> list[str]:
        docker = self.values.get("DPP_REAL_DOCKER") or "docker"
        result = subprocess.run([docker, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return [line for line in result.stdout.splitlines() if line.strip()]


def _first_line(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline().strip()
    except OSError:
        return ""


_DELETE = {"application": ("application.delete", lambda i: {"applicationId": i}),
           "compose": ("compose.delete", lambda i: {"composeId": i, "deleteVolumes": True}),
           "project": ("project.remove", lambda i: {"projectId": i})}


def delete_created(client: ApiClient, ctx: Context, log: Callable[[str], None]) -> None:
    """Services first (their deletes stop what runs), then projects; a missing row is fine."""
    ordered = sorted(reversed(ctx.created), key=lambda created: created[0] == "project")
    for kind, created_id in ordered:
        procedure, payload = _DELETE[kind]
        try:
            answer = client.call(procedure, "POST", payload(created_id))
            if answer.status not in (200, 404):
                log(f"clean-up: {procedure} {created_id} answered {answer.status}: {str(answer.body)[:200]}")
        except OSError as e:
            log(f"clean-up: {procedure} {created_id} failed: {e}")


def sweep_stale_runs(client: ApiClient, log: Callable[[str], None]) -> None:
    """Projects an interrupted earlier run left behind (a run cleans up after itself otherwise)."""
    answer = client.call("project.all", "GET", None)
    if answer.status != 200 or not isinstance(answer.body, list):
        return
    for project in answer.body:
        if not str(project.get("name", "")).startswith(RUN_PREFIX):
            continue
        stale = Context("real", "", "", "")
        for environment in project.get("environments") or [project]:
            for row in environment.get("applications") or []:
                stale.created.append(("application", row["applicationId"]))
            for row in environment.get("compose") or []:
                stale.created.append(("compose", row["composeId"]))
        stale.created.append(("project", project["projectId"]))
        log(f"clean-up: removing {project['name']}, left by an earlier run")
        delete_created(client, stale, log)


def remove_docker_leftovers(world: RealWorld, log: Callable[[str], None]) -> None:
    """Swarm services, containers, networks and volumes named after a run (Docker keeps an
    application's named volumes when Dokploy removes its service)."""
    kinds = (("service", ["service", "ls", "--format", "{{.Name}}"], ["service", "rm"]),
             ("container", ["ps", "-a", "--format", "{{.Names}}"], ["rm", "-f"]),
             ("network", ["network", "ls", "--format", "{{.Name}}"], ["network", "rm"]),
             ("volume", ["volume", "ls", "--format", "{{.Name}}"], ["volume", "rm", "-f"]))
    for what, listing, removal in kinds:
        # A removed service's tasks take a few seconds to go, and their volumes stay busy until then.
        for attempt in range(1, 16):
            try:
                names = [n for n in world.docker(*listing) if DOCKER_PREFIX in n]
                if names:
                    world.docker(*removal, *names)
                break
            except (OSError, RuntimeError, subprocess.TimeoutExpired) as e:
                if attempt == 15:
                    log(f"clean-up: could not remove {what}s named {DOCKER_PREFIX}*: {e}")
                else:
                    time.sleep(1)
