"""What Dokploy's deploy jobs write to a deployment's log file, in v0.30.2's words
(services/application.ts and services/compose.ts deploy*, utils/providers/docker.ts
buildRemoteDocker, utils/providers/raw.ts, utils/builders/compose.ts getBuildComposeCommand), and
the image pulls the emulated Docker cannot do.

Dokploy never puts a failed deploy's cause into the deployment row (`errorMessage` is filled only
when the row itself could not be made): the cause is in this log, which `deployment.readLogs`
reads back from v0.30 and the web interface shows in every version."""
from __future__ import annotations

import textwrap
from typing import Optional

from workspace_runner.api import RunnerError, WorkspaceSpec

from .specs import DeployError

# Dokploy's own closing line of every failed deploy (`echo "\nError occurred ❌, …"` through sh).
FAILED_TRAILER = ["", "Error occurred ❌, check the logs for details."]
_BOX_WIDTH = 80


class ImagePullError(DeployError):
    """`docker pull` failed; the message is the daemon's."""


def registry_host(image: str) -> Optional[str]:
    """The registry part of an image reference, as Docker reads it: the first path component
    when it has a '.' or ':' or is `localhost`; None for Docker Hub images."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first
    return None


def pull_failure(image: str) -> Optional[str]:
    """What the daemon answers to `docker pull image` when the emulated Docker cannot pull it:
    registries under `.invalid` (RFC 2606: never resolves) are not found, like a mistyped registry
    host on a real server. None when the pull succeeds."""
    host = registry_host(image)
    if host is None or not host.split(":")[0].endswith(".invalid"):
        return None
    name = host.split(":")[0]
    return (f'Get "https://{host}/v2/": dial tcp: lookup {name} on 127.0.0.53:53: '
            "no such host")


def check_pull(spec: WorkspaceSpec) -> None:
    message = pull_failure(spec.image)
    if message is not None:
        raise ImagePullError(message)


def _box(lines: list[str]) -> list[str]:
    """boxen(…, {width: 80, borderStyle: "double", padding: {left: 1, right: 1, bottom: 1}}) as
    v0.30.2 prints it: a blank line above and below, long lines wrapped."""
    inner = _BOX_WIDTH - 2
    wrapped = [part for line in lines for part in textwrap.wrap(line, inner - 2)]
    blank = "║" + " " * inner + "║"
    body = [f"║ {line}".ljust(inner + 1) + "║" for line in wrapped]
    return ["╔" + "═" * inner + "╗", blank, *body, blank, "╚" + "═" * inner + "╝"]


def _service_of(spec: WorkspaceSpec, app_name: str) -> str:
    """`<appName>-<service>-1` -> service."""
    key = spec.key
    if key.startswith(app_name + "-") and key.endswith("-1"):
        return key[len(app_name) + 1:-2]
    return key


class DeployLog:
    """The lines one deploy job appends to its log file, for one service row."""

    def __init__(self, kind: str, row: dict) -> None:
        self.kind = kind
        self.app_name = row["appName"]
        self.image = row.get("dockerImage") or ""
        self.mounts = 0
        self.compose_type = row.get("composeType") or "docker-compose"

    def opening(self) -> list[str]:
        if self.kind == "application":
            return [f"Pulling {self.image}"]
        command = f"compose -p {self.app_name} -f docker-compose.yml up -d --build --remove-orphans"
        return ["File 'docker-compose.yml' created: ✅",
                *_box([f"App Name: {self.app_name}", "Build Compose 🐳", f"Detected: {self.mounts} mounts 📂",
                       f"Command: docker {command}", "Source Type: docker raw ✅",
                       f"Compose Type: {self.compose_type} ✅"])]

    def pulled(self) -> list[str]:
        return [f"Status: Image is up to date for {self.image}", self.image, "✅ Pulling image completed."]

    def containers(self, specs: list[WorkspaceSpec], started: bool) -> list[str]:
        """`docker compose up -d` progress for the containers it got to."""
        lines = []
        for spec in specs:
            lines += [f" Container {spec.key}  Creating", f" Container {spec.key}  Created",
                      f" Container {spec.key}  Starting"]
            if started:
                lines.append(f" Container {spec.key}  Started")
        return lines

    def deployed(self) -> list[str]:
        return [] if self.kind == "application" else ["Docker Compose Deployed: ✅"]

    def failed(self, error: Exception, specs: list[WorkspaceSpec]) -> list[str]:
        """What a failed job leaves: the failing command's output, Dokploy's own lines after it,
        and the closing line."""
        message = str(error) or error.__class__.__name__
        if self.kind == "application":
            if isinstance(error, ImagePullError):
                lines = [f"Error response from daemon: {message}", "❌ Pulling image failed"]
            else:
                # Not a failed command (ExecError) but a thrown error (the Swarm service could not
                # be made): Dokploy writes its message as it is.
                lines = message.split("\n")
        else:
            # `exit 1` after this line ends the script: the outer "Script execution failed" never shows.
            compose_failed = ["Error: ❌ Docker command failed"]
            if isinstance(error, ImagePullError):
                service = _service_of(specs[0], self.app_name) if specs else "workspace"
                lines = [f" {service} Pulling", f" {service} Error {message}",
                         f"Error response from daemon: {message}", *compose_failed]
            elif isinstance(error, RunnerError):
                lines = [*self.containers(specs, started=False), f"Error response from daemon: {message}",
                         *compose_failed]
            else:
                lines = [*message.split("\n"), *compose_failed]
        return [*lines, *FAILED_TRAILER]
