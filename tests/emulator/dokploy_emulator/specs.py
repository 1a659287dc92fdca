"""Turning a Dokploy service row into the WorkspaceSpec(s) a runner starts, the way Dokploy builds a
Swarm service (mechanizeDockerContainer) or runs `docker compose up` for a compose service."""
from __future__ import annotations

import os
import re
from typing import Optional

import yaml
from workspace_runner.api import PortBinding, RunnerError, VolumeMount, WorkspaceSpec

from . import dotenv
from .model import Model
from .versions import Features

LINUX_MIN_MEMORY = 6 * 1024 * 1024  # dockerd's linuxMinMemory


class DeployError(Exception):
    """A deploy that fails; the message goes into the deployment's log (deploy_log.py)."""


def js_parse_int(text: Optional[str]) -> Optional[int]:
    """Number.parseInt(text) as Dokploy applies it to memoryLimit/cpuLimit: leading digits count,
    the rest is ignored ("2g" -> 2), no digits -> NaN (here None, which JSON sends as null)."""
    if text is None:
        return None
    match = re.match(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)", str(text))
    if not match:
        return None
    sign, digits = match.groups()
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits)
    return -value if sign == "-" else value


def host_ip_for(model: Model, server_id: Optional[str], server_address: str) -> str:
    """Ports publish on the remote server's address when the service has one."""
    server = model.servers.get(server_id) if server_id else None
    return server["ipAddress"] if server else server_address


def _resources(app: dict) -> tuple[Optional[int], Optional[int]]:
    """calculateResources() + the checks dockerd applies to the resulting task."""
    # `x ? parseInt(x) : undefined`, and Docker reads 0 as "no limit".
    memory = js_parse_int(app.get("memoryLimit")) if app.get("memoryLimit") else None
    reservation = js_parse_int(app.get("memoryReservation")) if app.get("memoryReservation") else None
    nano_cpus = js_parse_int(app.get("cpuLimit")) if app.get("cpuLimit") else None
    if memory is not None and 0 < memory < LINUX_MIN_MEMORY:
        raise DeployError("Minimum memory limit allowed is 6MB")
    if reservation is not None and 0 < reservation < LINUX_MIN_MEMORY:
        raise DeployError("Minimum memory reservation allowed is 6MB")
    if nano_cpus is not None and nano_cpus != 0:
        cpus = os.cpu_count() or 1
        if nano_cpus < 10_000_000 or nano_cpus > cpus * 1_000_000_000:
            raise DeployError(f"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available")
    return (memory or None), (nano_cpus or None)


def _env_texts(model: Model, environment_id: str, f: Features) -> tuple[Optional[str], Optional[str]]:
    env = model.environments.get(environment_id)
    project = model.projects.get(env["projectId"]) if env else None
    project_env = project.get("env") if project else None
    # Environment-level variables exist from v0.25 on.
    environment_env = env.get("env") if (env and f.environments) else None
    return project_env, environment_env


def _prepared_env(model: Model, row: dict, f: Features) -> list[tuple[str, str]]:
    project_env, environment_env = _env_texts(model, row["environmentId"], f)
    try:
        return dotenv.prepare_environment_variables(row.get("env"), project_env, environment_env)
    except dotenv.EnvReferenceError as e:
        raise DeployError(str(e)) from e


def application_spec(model: Model, app: dict, f: Features, server_address: str) -> WorkspaceSpec:
    with model.lock:
        if app.get("sourceType") != "docker":
            # Git/build sources would clone and build; the emulator only runs Docker images.
            raise DeployError(
                f"source type '{app.get('sourceType')}' is not emulated: set an image with "
                "application.saveDockerProvider (sourceType docker)")
        image = app.get("dockerImage")
        if not image:
            raise DeployError("Docker image not found")
        env = _prepared_env(model, app, f)
        command_text = app.get("command")
        if f.command_args:
            # v0.26+: Command = command.split(" "), Args = args; Swarm then uses Command as the
            # entrypoint and Args (possibly none) as its arguments, dropping the image's CMD.
            args = app.get("args") or []
            if command_text:
                entrypoint: Optional[tuple[str, ...]] = tuple(command_text.split(" "))
                command: Optional[tuple[str, ...]] = tuple(args)
            elif args:
                entrypoint, command = None, tuple(args)
            else:
                entrypoint, command = None, None
        else:
            # Up to v0.25: Command ["/bin/sh"], Args ["-c", command]; there is no args column.
            if command_text:
                entrypoint, command = ("/bin/sh",), ("-c", command_text)
            else:
                entrypoint, command = None, None
        host_ip = host_ip_for(model, app.get("serverId"), server_address)
        endpoint = app.get("endpointSpecSwarm") or {}
        if endpoint.get("Ports"):
            # A custom EndpointSpec replaces the port rows entirely.
            ports = tuple(PortBinding(published=int(p.get("PublishedPort") or 0),
                                      target=int(p.get("TargetPort") or 0),
                                      protocol=p.get("Protocol") or "tcp", host_ip=host_ip)
                          for p in endpoint["Ports"])
        else:
            ports = tuple(PortBinding(published=int(p["publishedPort"]), target=int(p["targetPort"]),
                                      protocol=p.get("protocol") or "tcp", host_ip=host_ip)
                          for p in model.ports_of(app["applicationId"]))
        volumes = []
        for m in model.mounts_of("applicationId", app["applicationId"]):
            if m["type"] == "volume":
                volumes.append(VolumeMount(source=m.get("volumeName") or "", target=m["mountPath"], kind="volume"))
            elif m["type"] == "bind":
                volumes.append(VolumeMount(source=m.get("hostPath") or "", target=m["mountPath"], kind="bind"))
            # type "file": Dokploy writes the content under its files/ folder and binds it; the
            # emulator has no such folder, so file mounts are not applied.
        memory, nano_cpus = _resources(app)
        return WorkspaceSpec(key=app["appName"], group=app["appName"], image=image,
                             entrypoint=entrypoint, command=command, env=tuple(env), ports=ports,
                             volumes=tuple(volumes), privileged=False,  # Swarm cannot run privileged
                             memory_limit_bytes=memory, nano_cpus=nano_cpus)


def compose_specs(model: Model, comp: dict, f: Features, server_address: str) -> list[WorkspaceSpec]:
    with model.lock:
        if comp.get("sourceType") != "raw":
            raise DeployError(
                f"source type '{comp.get('sourceType')}' is not emulated: set sourceType 'raw' "
                "and the file in composeFile with compose.update")
        text = comp.get("composeFile") or ""
        # Dokploy writes the resolved variables, one K=V per line, to the project's .env.
        env_file = "\n".join(f"{k}={v}" for k, v in _prepared_env(model, comp, f))
        host_ip = host_ip_for(model, comp.get("serverId"), server_address)
        app_name = comp["appName"]
    if not text.strip():
        raise DeployError("empty compose file")
    try:
        from workspace_runner.compose import specs_from_compose  # provided by the runner's author
    except ImportError as e:
        raise DeployError(f"emulator: compose deploys need workspace_runner.compose.specs_from_compose ({e})") from e
    try:
        return list(specs_from_compose(text, project_name=app_name, host_ip=host_ip, env_file_text=env_file))
    except RunnerError as e:
        raise DeployError(str(e)) from e


def compose_routes(model: Model, comp: dict, f: Features, specs: list[WorkspaceSpec]) -> list[dict]:
    """writeDomainsToCompose at deploy time: every (enabled) domain of the compose service becomes
    Traefik labels on the compose service it names; one naming no service fails the deploy."""
    from workspace_runner.compose import normalize_project_name  # as compose_specs: imported when used

    with model.lock:
        domains = [dict(d) for d in model.domains_of("composeId", comp["composeId"])
                   if d.get("enabled", True) or not f.domain_sso_columns]
        text, app_name = comp.get("composeFile") or "", comp["appName"]
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        doc = None  # compose_specs has refused such a file already
    services = (doc.get("services") if isinstance(doc, dict) else None) or {}
    keys = {s.key for s in specs}
    routes = []
    for domain in domains:
        name = domain.get("serviceName")
        if not name:
            raise DeployError(f'Domain "{domain["host"]}" is missing a service name')
        service = services.get(name) if isinstance(services, dict) else None
        if not isinstance(service, dict):
            raise DeployError(f'Domain "{domain["host"]}" is attached to service "{name}" which does not exist '
                              "in the compose")
        key = str(service.get("container_name") or f"{normalize_project_name(app_name)}-{name}-1")
        if key in keys:
            routes.append({**domain, "key": key})
    return routes
