"""The scripted sequence: every procedure the provider calls (plugins/dokploy: dokploy_api.cpp,
dokploy_backend.cpp, backend_*.cpp, application_driver.cpp, compose_driver.cpp), with the inputs the
provider sends, plus the failures it must understand: bad input, unknown ids, a bad key and failed
deploys. Each section is a function returning steps; add a section for new procedures (e.g.
deployment.*, domain.*) and list it in SECTIONS.

Pinned paths (compared by value, not only by shape) are the values the provider acts on: status
words, `true` answers, "Deployment queued", error codes and messages, and the columns its
converge step compares with what it wants (image, env, command, ports, mounts, compose file)."""
from __future__ import annotations

from typing import Any, Callable

from .engine import Context, Ref, Step

UNKNOWN_ID = "dppdiffUnknownId00000"   # 21 characters, like Dokploy's nanoid ids

# What every error answer carries that the provider reads (api_error.cpp).
ERROR = ("message", "code")
INVALID_INPUT = ERROR + ("issues[].path", "issues[].message", "issues[].code")

_FINISHED = ("done", "error")


def _deploy_finished(status_column: str) -> Callable[[Any], bool]:
    """The service's status is final and so is every deployment it lists (the provider's
    deploy monitor waits for both)."""
    def finished(row: Any) -> bool:
        if not isinstance(row, dict) or row.get(status_column) not in _FINISHED:
            return False
        deployments = row.get("deployments")
        if deployments is None:
            return True
        return bool(deployments) and all(d.get("status") in _FINISHED for d in deployments)
    return finished


def _only(*columns: str) -> Callable[[Context, Any], Any]:
    """Compare only these columns of the answer (e.g. the status of a failed deploy's service, while
    the failure records in its deployments are another branch's work)."""
    return lambda ctx, row: {c: row.get(c) for c in columns} if isinstance(row, dict) else row


def _our_projects(ctx: Context, projects: Any) -> Any:
    """project.all lists every project of the server; compare the one this run made."""
    if not isinstance(projects, list):
        return projects
    return [p for p in projects if isinstance(p, dict) and p.get("projectId") == ctx.values.get("projectId")]


def compose_file(image: str, port: int) -> str:
    """A compose file of the kind compose_file.cpp writes (quoted scalars, published port)."""
    return ("# dokploy-provider API differential\n"
            "services:\n"
            "  workspace:\n"
            f"    image: \"{image}\"\n"
            "    entrypoint:\n"
            "      - \"sleep\"\n"
            "      - \"infinity\"\n"
            "    restart: \"unless-stopped\"\n"
            "    ports:\n"
            "      - target: 2222\n"
            f"        published: \"{port}\"\n"
            "        protocol: \"tcp\"\n")


def prepare(ctx: Context, app_port: int, compose_port: int) -> None:
    """Names and files the steps refer to; the same for both targets but the run's tag."""
    tag = ctx.tag
    ctx.values.update({
        "projectName": f"dpp-api-differential-{tag}",
        "environmentName": f"envs-{tag}",
        "appName": f"dppdiff-{tag}-app",
        "failedAppName": f"dppdiff-{tag}-failapp",
        "composeRequestedAppName": f"dppdiff-{tag}-compose",
        "failedComposeRequestedAppName": f"dppdiff-{tag}-failcompose",
        "image": ctx.image,
        "missingImage": ctx.missing_image,
        "appPort": app_port,
        "appPortMoved": app_port + 1,
        "volumeName": f"dppdiff-{tag}-data",
        "domainAppName": f"dppdiff-{tag}-domapp",
        "domainComposeAppName": f"dppdiff-{tag}-domcompose",
        "appHost": f"web-{tag}.dppdiff.example.com",
        "composeHost": f"api-{tag}.dppdiff.example.com",
        "composeFile": compose_file(ctx.image, compose_port),
        "failedComposeFile": compose_file(ctx.missing_image, compose_port + 1),
        "env": "DEVPOD_WORKSPACE=diff\nGREETING=\"hello world\"",
    })


def preamble() -> list[Step]:
    return [
        Step("probe without a key", "health", key="none", pin=("ok",)),
        Step("version", "settings.getDokployVersion", pin=("",)),
        Step("wrong key", "settings.getDokployVersion", key="wrong", pin=("message",)),
        Step("no key", "project.all", key="none", pin=("message",)),
        Step("wrong key on a mutation", "project.create", {"name": "never-made"}, key="wrong",
             pin=("message",)),
        Step("servers", "server.all", pin=("",)),
        Step("unknown server", "server.one", {"serverId": UNKNOWN_ID}, pin=ERROR),
    ]


def projects() -> list[Step]:
    return [
        Step("bad input", "project.create", {}, pin=INVALID_INPUT),
        Step("bad input: wrong type", "project.create", {"name": 42}, pin=INVALID_INPUT),
        Step("create", "project.create",
             {"name": Ref("projectName"), "description": "DevPod workspaces (dokploy-provider)"},
             save={"projectId": "project.projectId", "environmentId": "environment.environmentId"},
             pin=("project.name", "environment.name", "environment.isDefault"), creates="project"),
        Step("after create", "project.all", select=_our_projects,
             pin=("[].name", "[].environments[].name", "[].environments[].isDefault")),
        Step("one", "project.one", {"projectId": Ref("projectId")}, pin=("name",)),
        Step("unknown id", "project.one", {"projectId": UNKNOWN_ID}, pin=ERROR),
        Step("bad input", "project.one", {}, pin=INVALID_INPUT),
        Step("create", "environment.create",
             {"name": Ref("environmentName"), "description": "DevPod workspaces (dokploy-provider)",
              "projectId": Ref("projectId")},
             save={"secondEnvironmentId": "environmentId"}, pin=("name", "isDefault")),
        Step("the reserved name", "environment.create",
             {"name": "production", "projectId": Ref("projectId")}, pin=ERROR),
        # The message names the failed insert with its parameters (a new id, a time): not pinned.
        Step("unknown project", "environment.create", {"name": "x", "projectId": UNKNOWN_ID}, pin=("code",)),
        Step("bad input", "environment.create", {"projectId": Ref("projectId")}, pin=INVALID_INPUT),
    ]


_APP_COLUMNS = ("applicationStatus", "sourceType", "dockerImage", "username", "registryUrl", "env",
                "command", "args", "memoryLimit", "cpuLimit", "name",
                "ports[].publishedPort", "ports[].targetPort", "ports[].protocol", "ports[].publishMode",
                "mounts[].type", "mounts[].volumeName", "mounts[].mountPath")


_MOUNT_COLUMNS = ("type", "volumeName", "mountPath", "serviceType")


def applications() -> list[Step]:
    app = {"applicationId": Ref("applicationId")}
    unknown = {"applicationId": UNKNOWN_ID}
    return [
        Step("create", "application.create",
             {"name": "dppdiff-app", "appName": Ref("appName"),
              "description": "DevPod workspace (dokploy-provider)", "environmentId": Ref("secondEnvironmentId")},
             save={"applicationId": "applicationId", "applicationAppName": "appName"},
             pin=("applicationStatus", "sourceType", "name"), creates="application"),
        Step("unknown environment", "application.create",
             {"name": "x", "appName": "dppdiff-x", "environmentId": UNKNOWN_ID}, pin=ERROR),
        Step("bad input", "application.create", {"name": "x"}, pin=INVALID_INPUT),
        Step("bad input: empty name", "application.create",
             {"name": "", "environmentId": Ref("secondEnvironmentId")}, pin=INVALID_INPUT),
        Step("wrong key", "application.create",
             {"name": "x", "environmentId": Ref("secondEnvironmentId")}, key="wrong", pin=("message",)),
        Step("as created", "application.one", app, pin=_APP_COLUMNS),
        Step("unknown id", "application.one", unknown, pin=ERROR),
        Step("bad input", "application.one", {}, pin=INVALID_INPUT),
        Step("image", "application.saveDockerProvider",
             {**app, "dockerImage": Ref("image"), "username": None, "password": None, "registryUrl": None},
             pin=("",)),
        Step("unknown id", "application.saveDockerProvider",
             {**unknown, "dockerImage": "x", "username": None, "password": None, "registryUrl": None},
             pin=ERROR),
        Step("env", "application.saveEnvironment",
             {**app, "env": Ref("env"), "buildArgs": None, "buildSecrets": None, "createEnvFile": False},
             pin=("",)),
        Step("bad input", "application.saveEnvironment", {**app, "env": 7}, pin=INVALID_INPUT),
        Step("command and limits", "application.update",
             {**app, "name": "dppdiff-app", "command": "sleep", "args": ["infinity"],
              "memoryLimit": "268435456", "cpuLimit": "500000000"}, pin=("",)),
        Step("unknown id", "application.update", {**unknown, "name": "x"}, pin=ERROR),
        Step("ssh port", "port.create",
             {**app, "publishedPort": Ref("appPort"), "targetPort": 2222, "protocol": "tcp",
              "publishMode": "host"}, pin=("publishedPort", "targetPort", "protocol", "publishMode")),
        Step("unknown application", "port.create",
             {**unknown, "publishedPort": 1, "targetPort": 2, "protocol": "tcp", "publishMode": "host"},
             pin=ERROR),
        Step("bad input", "port.create", {**app, "publishedPort": "abc", "targetPort": 2222}, pin=INVALID_INPUT),
        Step("bad input: protocol", "port.create",
             {**app, "publishedPort": 1, "targetPort": 2, "protocol": "sctp", "publishMode": "host"},
             pin=INVALID_INPUT),
        Step("volume", "mounts.create",
             {"type": "volume", "volumeName": Ref("volumeName"), "mountPath": "/home/devpod",
              "serviceId": Ref("applicationId"), "serviceType": "application"}, pin=_MOUNT_COLUMNS),
        Step("configured", "application.one", app, pin=_APP_COLUMNS,
             save={"portId": "ports.0.portId", "mountId": "mounts.0.mountId"}),
        Step("move the port", "port.update",
             {"portId": Ref("portId"), "publishedPort": Ref("appPortMoved"), "targetPort": 2222,
              "protocol": "tcp", "publishMode": "host"},
             pin=("publishedPort", "targetPort", "protocol", "publishMode")),
        Step("unknown id", "port.update",
             {"portId": UNKNOWN_ID, "publishedPort": 1, "targetPort": 2, "protocol": "tcp",
              "publishMode": "host"}, pin=ERROR),
        Step("replace the volume", "mounts.remove", {"mountId": Ref("mountId")}, pin=_MOUNT_COLUMNS),
        Step("unknown id", "mounts.remove", {"mountId": UNKNOWN_ID}, pin=ERROR),
        Step("volume again", "mounts.create",
             {"type": "volume", "volumeName": Ref("volumeName"), "mountPath": "/home/devpod",
              "serviceId": Ref("applicationId"), "serviceType": "application"}, pin=_MOUNT_COLUMNS),
        Step("deploy", "application.deploy",
             {**app, "title": "dokploy-provider create", "description": "by dokploy-provider"}, pin=("",)),
        Step("unknown id", "application.deploy", {**unknown, "title": "x"}, pin=ERROR),
        Step("deployed", "application.one", app, until=_deploy_finished("applicationStatus"),
             pin=_APP_COLUMNS + ("deployments[].status", "deployments[].title", "deployments[].description")),
        Step("its tasks", "docker.getServiceContainersByAppName", {"appName": Ref("applicationAppName")}),
        Step("tasks of no service", "docker.getServiceContainersByAppName", {"appName": "dppdiff-none"},
             pin=("",)),
        Step("while in the project", "project.all", select=_our_projects,
             pin=("[].environments[].applications[].applicationStatus",
                  "[].environments[].applications[].name")),
        Step("while in the project", "project.one", {"projectId": Ref("projectId")},
             pin=("environments[].applications[].applicationStatus",)),
        Step("stop", "application.stop", app, pin=("applicationStatus",)),
        Step("stopped", "application.one", app, pin=("applicationStatus",)),
        Step("unknown id", "application.stop", unknown, pin=ERROR),
        Step("start", "application.start", app, pin=("applicationStatus",)),
        Step("started", "application.one", app, pin=("applicationStatus",)),
        Step("unknown id", "application.start", unknown, pin=ERROR),
        Step("delete", "application.delete", app, pin=("applicationStatus", "name")),
        Step("deleted", "application.one", app, pin=ERROR),
        Step("again", "application.delete", app, pin=ERROR),
    ]


def failed_application_deploy() -> list[Step]:
    app = {"applicationId": Ref("failedApplicationId")}
    return [
        Step("create", "application.create",
             {"name": "dppdiff-failapp", "appName": Ref("failedAppName"), "environmentId": Ref("environmentId")},
             save={"failedApplicationId": "applicationId"}, creates="application"),
        Step("an image that does not exist", "application.saveDockerProvider",
             {**app, "dockerImage": Ref("missingImage"), "username": None, "password": None,
              "registryUrl": None}, pin=("",)),
        Step("deploy", "application.deploy", {**app, "title": "dokploy-provider create"}, pin=("",),
             emulator_fault={"procedure": "application.deploy", "match": "nth", "nth": 1, "times": 1,
                             "action": {"deploy_error": "manifest for the image not found"}}),
        Step("failed", "application.one", app, until=_deploy_finished("applicationStatus"),
             select=_only("applicationStatus"), pin=("applicationStatus",),
             save={"failedDeploymentId": "deployments.0.deploymentId"}),
        # The provider puts the log's last lines in its error (deploy_failure.cpp); the text is the
        # server's own, so only its type is compared.
        Step("the failed deploy's log", "deployment.readLogs",
             {"deploymentId": Ref("failedDeploymentId"), "tail": 50}),
        # The provider tells "no such procedure" (an old Dokploy) from this answer by its message.
        Step("unknown id", "deployment.readLogs", {"deploymentId": UNKNOWN_ID, "tail": 5}, pin=ERROR),
        Step("delete", "application.delete", app, select=_only("applicationStatus"), pin=("applicationStatus",)),
    ]


def composes() -> list[Step]:
    comp = {"composeId": Ref("composeId")}
    unknown = {"composeId": UNKNOWN_ID}
    return [
        Step("create", "compose.create",
             {"name": "dppdiff-compose", "environmentId": Ref("environmentId"),
              "description": "DevPod workspace (dokploy-provider)", "composeType": "docker-compose",
              "appName": Ref("composeRequestedAppName"), "composeFile": Ref("composeFile"), "sourceType": "raw"},
             save={"composeId": "composeId", "composeAppName": "appName"},
             pin=("composeStatus", "sourceType", "composeType", "composeFile", "name"), creates="compose"),
        Step("unknown environment", "compose.create",
             {"name": "x", "environmentId": UNKNOWN_ID, "composeType": "docker-compose"}, pin=ERROR),
        Step("bad input", "compose.create", {"name": 5, "environmentId": Ref("environmentId")},
             pin=INVALID_INPUT),
        Step("as created", "compose.one", comp, pin=("composeStatus", "sourceType", "composeFile", "name")),
        Step("while in the project", "project.one", {"projectId": Ref("projectId")},
             pin=("environments[].compose[].composeStatus",)),
        Step("unknown id", "compose.one", unknown, pin=ERROR),
        Step("wrong key", "compose.one", comp, key="wrong", pin=("message",)),
        Step("file, source, name", "compose.update",
             {**comp, "composeFile": Ref("composeFile"), "sourceType": "raw", "name": "dppdiff-compose"},
             pin=("composeStatus", "sourceType", "composeFile", "name")),
        Step("unknown id", "compose.update", {**unknown, "name": "x"}, pin=ERROR),
        Step("deploy", "compose.deploy",
             {**comp, "title": "dokploy-provider create", "description": "by dokploy-provider"},
             pin=("success", "message")),
        Step("unknown id", "compose.deploy", {**unknown, "title": "x"}, pin=ERROR),
        Step("deployed", "compose.one", comp, until=_deploy_finished("composeStatus"),
             pin=("composeStatus", "sourceType", "composeFile", "deployments[].status",
                  "deployments[].title", "deployments[].description")),
        Step("its containers", "docker.getContainersByAppNameMatch",
             {"appName": Ref("composeAppName"), "appType": "docker-compose"}),
        Step("containers of nothing", "docker.getContainersByAppNameMatch",
             {"appName": "dppdiff-none", "appType": "docker-compose"}, pin=("",)),
        Step("stop", "compose.stop", comp, pin=("",)),
        Step("stopped", "compose.one", comp, pin=("composeStatus",)),
        Step("unknown id", "compose.stop", unknown, pin=ERROR),
        Step("start", "compose.start", comp, pin=("",)),
        Step("started", "compose.one", comp, pin=("composeStatus",)),
        Step("unknown id", "compose.start", unknown, pin=ERROR),
        Step("bad input", "compose.delete", {"deleteVolumes": True}, pin=INVALID_INPUT),
        Step("delete", "compose.delete", {**comp, "deleteVolumes": True}, pin=("composeStatus", "name")),
        Step("deleted", "compose.one", comp, pin=ERROR),
        Step("again", "compose.delete", {**comp, "deleteVolumes": True}, pin=ERROR),
        Step("again, no deleteVolumes", "compose.delete", comp, pin=ERROR),
    ]


def failed_compose_deploy() -> list[Step]:
    comp = {"composeId": Ref("failedComposeId")}
    return [
        Step("create", "compose.create",
             {"name": "dppdiff-failcompose", "environmentId": Ref("environmentId"),
              "composeType": "docker-compose", "appName": Ref("failedComposeRequestedAppName"),
              "composeFile": Ref("failedComposeFile"), "sourceType": "raw"},
             save={"failedComposeId": "composeId"}, creates="compose"),
        Step("deploy", "compose.deploy", {**comp, "title": "dokploy-provider create"},
             pin=("success", "message"),
             emulator_fault={"procedure": "compose.deploy", "match": "nth", "nth": 1, "times": 1,
                             "action": {"deploy_error": "manifest for the image not found"}}),
        Step("failed", "compose.one", comp, until=_deploy_finished("composeStatus"),
             select=_only("composeStatus"), pin=("composeStatus",)),
        Step("delete without deleteVolumes", "compose.delete", comp, select=_only("composeStatus"),
             pin=("composeStatus",)),
    ]


_DOMAIN_COLUMNS = ("host", "port", "path", "https", "certificateType", "domainType", "serviceName",
                   "forwardAuthEnabled")


def _domain(service: dict, host: Ref, port: int, compose: bool) -> dict:
    """A domain as shared_addresses.cpp asks for it (plain HTTP: tests have no certificates)."""
    body = {"host": host, "path": "/", "port": port, "https": False, "certificateType": "none",
            "domainType": "compose" if compose else "application", **service}
    if compose:
        body["serviceName"] = "workspace"
    return body


# `docker volume ls --format json` columns every Docker Engine lists; newer engines (the emulator
# imitates Dokploy's own install) add Availability, Group and Status, Debian 12's 20.10 does not.
_VOLUME_COLUMNS = ("Driver", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size")


def _named_volume(ctx: Context, volumes: Any) -> Any:
    """dockerVolume.getVolumes lists every volume of the server; compare the one this run left,
    by the columns that do not depend on the Docker Engine's version."""
    if not isinstance(volumes, list):
        return volumes
    return [{k: v[k] for k in _VOLUME_COLUMNS if k in v} for v in volumes
            if isinstance(v, dict) and v.get("Name") == ctx.values.get("volumeName")]


def volumes() -> list[Step]:
    return [
        # The application's named volume outlives its delete; doctor lists such volumes.
        Step("left by the deleted application", "dockerVolume.getVolumes", select=_named_volume,
             pin=("[].Name",)),
    ]


def domains() -> list[Step]:
    app = {"applicationId": Ref("domainApplicationId")}
    comp = {"composeId": Ref("domainComposeId")}
    return [
        Step("an application to share", "application.create",
             {"name": "dppdiff-domapp", "appName": Ref("domainAppName"), "environmentId": Ref("environmentId")},
             save={"domainApplicationId": "applicationId"}, creates="application"),
        Step("create", "domain.create", _domain(app, Ref("appHost"), 3000, compose=False),
             save={"appDomainId": "domainId"}, pin=_DOMAIN_COLUMNS),
        Step("bad input: no host", "domain.create", {**app, "port": 3000}, pin=INVALID_INPUT),
        Step("bad input: port", "domain.create", {**_domain(app, Ref("appHost"), 3000, False), "port": "web"},
             pin=INVALID_INPUT),
        Step("as listed", "application.one", app, pin=tuple("domains[]." + c for c in _DOMAIN_COLUMNS)),
        Step("move the port", "domain.update",
             {**_domain({}, Ref("appHost"), 3001, compose=False), "domainId": Ref("appDomainId")}),
        Step("moved", "domain.one", {"domainId": Ref("appDomainId")}, pin=_DOMAIN_COLUMNS),
        Step("unknown id", "domain.update",
             {**_domain({}, Ref("appHost"), 3001, compose=False), "domainId": UNKNOWN_ID}, pin=ERROR),
        Step("a generated name", "domain.generateDomain", {"appName": "web"}),
        Step("delete", "domain.delete", {"domainId": Ref("appDomainId")}, pin=("host",)),
        Step("deleted", "domain.one", {"domainId": Ref("appDomainId")}, pin=ERROR),
        Step("again", "domain.delete", {"domainId": Ref("appDomainId")}, pin=ERROR),
        Step("a compose to share", "compose.create",
             {"name": "dppdiff-domcompose", "environmentId": Ref("environmentId"),
              "composeType": "docker-compose", "appName": Ref("domainComposeAppName"),
              "composeFile": Ref("composeFile"), "sourceType": "raw"},
             save={"domainComposeId": "composeId"}, creates="compose"),
        Step("create for compose", "domain.create", _domain(comp, Ref("composeHost"), 3000, compose=True),
             save={"composeDomainId": "domainId"}, pin=_DOMAIN_COLUMNS),
        Step("as listed", "compose.one", comp, pin=tuple("domains[]." + c for c in _DOMAIN_COLUMNS)),
        Step("delete", "domain.delete", {"domainId": Ref("composeDomainId")}, pin=("host",)),
        Step("delete the compose", "compose.delete", {**comp, "deleteVolumes": True}, select=_only("composeStatus"),
             pin=("composeStatus",)),
        Step("delete the application", "application.delete", app, select=_only("applicationStatus"),
             pin=("applicationStatus",)),
    ]


def project_removal() -> list[Step]:
    project = {"projectId": Ref("projectId")}
    return [
        Step("remove", "project.remove", project, pin=("name",)),
        Step("removed", "project.one", project, pin=ERROR),
        Step("unknown id", "project.remove", {"projectId": UNKNOWN_ID}, pin=ERROR),
    ]


SECTIONS: list[Callable[[], list[Step]]] = [
    preamble, projects, applications, volumes, failed_application_deploy, composes, failed_compose_deploy,
    domains, project_removal,
]


def sequence() -> list[Step]:
    return [step for section in SECTIONS for step in section()]
