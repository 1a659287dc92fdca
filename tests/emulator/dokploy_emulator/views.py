"""How rows read back through the API for a given version: column sets, and the relations that
Dokploy's `findXById` queries join in (drizzle `with:`). Always returns copies."""
from __future__ import annotations

import copy
from typing import Optional

from .model import Model
from .versions import Features

_OTHER_SERVICE_LISTS = ("mariadb", "mongo", "mysql", "postgres", "redis", "libsql")


def _copy(row: dict) -> dict:
    return copy.deepcopy(row)


def project_row(model: Model, project: dict, f: Features) -> dict:
    return _copy(project)


def environment_row(model: Model, env: dict, f: Features) -> dict:
    return _copy(env)


def _swap_environment_for_project(model: Model, row: dict, f: Features) -> dict:
    """Before v0.25 services carried projectId; environments did not exist."""
    if not f.environments:
        env_id = row.pop("environmentId", None)
        env = model.environments.get(env_id) if env_id else None
        row["projectId"] = env["projectId"] if env else None
    return row


def application_row(model: Model, app: dict, f: Features) -> dict:
    row = _swap_environment_for_project(model, _copy(app), f)
    if not f.command_args:
        row.pop("args", None)  # the column arrived with v0.26
    return row


def compose_row(model: Model, comp: dict, f: Features) -> dict:
    return _swap_environment_for_project(model, _copy(comp), f)


def port_row(port: dict, f: Features) -> dict:
    row = _copy(port)
    if not f.port_publish_mode:
        row.pop("publishMode", None)  # v0.23.7
    return row


def mount_row(mount: dict) -> dict:
    return _copy(mount)


_DOMAIN_SSO_COLUMNS = ("customEntrypoint", "middlewares", "forwardAuthEnabled", "enabled")


def domain_row(domain: dict, f: Features) -> dict:
    row = _copy(domain)
    if not f.domain_sso_columns:
        for column in _DOMAIN_SSO_COLUMNS:
            row.pop(column, None)
    return row


def domain_with_service(model: Model, domain: dict, f: Features, relation: str) -> dict:
    """findDomainById / findDomainsBy*Id: the row plus `application` or `compose` with three
    columns (null when the domain belongs to the other kind)."""
    row = domain_row(domain, f)
    column = relation + "Id"
    table = model.applications if relation == "application" else model.compose
    service = table.get(domain.get(column) or "")
    row[relation] = ({column: service[column], "appName": service["appName"], "name": service["name"]}
                     if service else None)
    return row


def deployment_row(deployment: dict) -> dict:
    return _copy(deployment)


def server_row(model: Model, server_id: Optional[str]) -> Optional[dict]:
    server = model.servers.get(server_id) if server_id else None
    return _copy(server) if server else None


def _placement(model: Model, row: dict, f: Features) -> dict:
    """`environment: { with: { project: true } }` from v0.25, `project: true` before."""
    env = model.environments.get(row["environmentId"])
    project = model.projects.get(env["projectId"]) if env else None
    if f.environments:
        environment = _copy(env) if env else None
        if environment is not None:
            environment["project"] = _copy(project) if project else None
        return {"environment": environment}
    return {"project": _copy(project) if project else None}


def application_one(model: Model, app: dict, f: Features) -> dict:
    """application.one: findApplicationById + the two flags the procedure adds."""
    row = application_found(model, app, f)
    row["hasGitProviderAccess"] = True
    row["unauthorizedProvider"] = None
    return row


def application_found(model: Model, app: dict, f: Features) -> dict:
    """findApplicationById: the row with its relations (what stop, start and delete return)."""
    with model.lock:
        row = application_row(model, app, f)
        row.update(_placement(model, app, f))
        row["domains"] = [domain_row(d, f) for d in model.domains_of("applicationId", app["applicationId"])]
        row["deployments"] = [deployment_row(d) for d in model.deployments_of("applicationId", app["applicationId"])]
        row["mounts"] = [mount_row(m) for m in model.mounts_of("applicationId", app["applicationId"])]
        row["redirects"] = []
        row["security"] = []
        row["ports"] = [port_row(p, f) for p in model.ports_of(app["applicationId"])]
        row["gitlab"] = None
        row["github"] = None
        row["bitbucket"] = None
        row["gitea"] = None
        row["server"] = server_row(model, app.get("serverId"))
        row["previewDeployments"] = []
        row["registry"] = None
        row["buildRegistry"] = None
        row["rollbackRegistry"] = None
        return row


def compose_one(model: Model, comp: dict, f: Features) -> dict:
    """compose.one: findComposeById + the two flags the procedure adds."""
    row = compose_found(model, comp, f)
    row["hasGitProviderAccess"] = True
    row["unauthorizedProvider"] = None
    return row


def compose_found(model: Model, comp: dict, f: Features) -> dict:
    """findComposeById: the row with its relations (what compose.delete returns)."""
    with model.lock:
        row = compose_row(model, comp, f)
        row.update(_placement(model, comp, f))
        row["deployments"] = [deployment_row(d) for d in model.deployments_of("composeId", comp["composeId"])]
        row["mounts"] = [mount_row(m) for m in model.mounts_of("composeId", comp["composeId"])]
        row["domains"] = [domain_row(d, f) for d in model.domains_of("composeId", comp["composeId"])]
        row["github"] = None
        row["gitlab"] = None
        row["bitbucket"] = None
        row["gitea"] = None
        row["server"] = server_row(model, comp.get("serverId"))
        row["backups"] = []
        return row


def _services_of(model: Model, environment_id: str) -> tuple[list[dict], list[dict]]:
    apps = [a for a in model.applications.values() if a["environmentId"] == environment_id]
    comps = [c for c in model.compose.values() if c["environmentId"] == environment_id]
    return apps, comps


def _put_services_on_project(model: Model, row: dict, envs: list[dict], f: Features) -> None:
    """Before v0.25: the full rows of every service of the project's environments, straight on the
    project row, and every other service list but libsql, empty."""
    apps, comps = [], []
    for env in envs:
        a, c = _services_of(model, env["environmentId"])
        apps += a
        comps += c
    row["applications"] = [application_row(model, a, f) for a in apps]
    for kind in _OTHER_SERVICE_LISTS[:-1]:
        row[kind] = []
    row["compose"] = [compose_row(model, c, f) for c in comps]


def project_all(model: Model, f: Features) -> list[dict]:
    """project.all for the owner, newest project first. v0.25+: environments with the
    (id, name, status) of each service and no appName; before: services straight on the project."""
    with model.lock:
        out = []
        for project in reversed(list(model.projects.values())):
            row = project_row(model, project, f)
            envs = [e for e in model.environments.values() if e["projectId"] == project["projectId"]]
            if f.environments:
                row["environments"] = []
                for env in envs:
                    apps, comps = _services_of(model, env["environmentId"])
                    entry = {"name": env["name"], "environmentId": env["environmentId"],
                             "isDefault": env["isDefault"],
                             "applications": [{"applicationId": a["applicationId"], "name": a["name"],
                                               "applicationStatus": a["applicationStatus"]} for a in apps]}
                    for kind in _OTHER_SERVICE_LISTS:
                        entry[kind] = []
                    entry["compose"] = [{"composeId": c["composeId"], "name": c["name"],
                                         "composeStatus": c["composeStatus"]} for c in comps]
                    row["environments"].append(entry)
            else:
                _put_services_on_project(model, row, envs, f)
            row["projectTags"] = []
            out.append(row)
        return out


def environment_full(model: Model, env: dict, f: Features, with_project: bool = True) -> dict:
    """findEnvironmentById: the environment with full service rows (and its project)."""
    with model.lock:
        row = environment_row(model, env, f)
        apps, comps = _services_of(model, env["environmentId"])
        row["applications"] = [application_row(model, a, f) for a in apps]
        for kind in _OTHER_SERVICE_LISTS:
            row[kind] = []
        row["compose"] = [compose_row(model, c, f) for c in comps]
        if with_project:
            project = model.projects.get(env["projectId"])
            row["project"] = _copy(project) if project else None
        return row


def project_one(model: Model, project: dict, f: Features) -> dict:
    """findProjectById: v0.25+ the project with environments and their services; before, the
    services hung straight off the project."""
    with model.lock:
        row = project_row(model, project, f)
        envs = [e for e in model.environments.values() if e["projectId"] == project["projectId"]]
        if f.project_one_summaries:
            row["environments"] = [_environment_summary(model, e) for e in envs]
            row["projectTags"] = []
        elif f.environments:
            row["environments"] = [environment_full(model, e, f, with_project=False) for e in envs]
        else:
            _put_services_on_project(model, row, envs, f)
        return row


# services/project.ts serviceColumns: what v0.30's findProjectById reads of every service.
_SUMMARY_COLUMNS = ("name", "description", "appName", "createdAt", "serverId")


def _service_summary(model: Model, row: dict, columns: tuple[str, ...]) -> dict:
    summary = {c: row.get(c) for c in _SUMMARY_COLUMNS + columns}
    server = model.servers.get(row.get("serverId") or "")
    summary["server"] = {"name": server["name"]} if server else None
    return summary


def _environment_summary(model: Model, env: dict) -> dict:
    row = _copy(env)
    apps, comps = _services_of(model, env["environmentId"])
    row["applications"] = [_service_summary(model, a, ("applicationStatus", "applicationId", "icon"))
                           for a in apps]
    row["compose"] = [_service_summary(model, c, ("composeId", "composeStatus")) for c in comps]
    for kind in _OTHER_SERVICE_LISTS:
        row[kind] = []
    return row
