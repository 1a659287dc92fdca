"""The emulator's in-memory database: Dokploy's rows (projects, environments, applications, compose
services, ports, mounts, domains, deployments, servers) with their column defaults, ids and appNames."""
from __future__ import annotations

import copy
import dataclasses
import datetime
import random
import secrets
import string
import threading
from typing import Any, Optional

_NANOID_ALPHABET = string.ascii_letters + string.digits + "_-"
_PASSWORD_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits
_CUSTOM_NANOID_ALPHABET = "abcdefghijklmnopqrstuvwxyz123456789"

# A few of faker's `hacker` words, which Dokploy's generateAppName() strings together when no
# appName is given ("app-<verb>-<adjective>-<noun>-<6 chars>").
_HACKER_VERBS = ["back-up", "bypass", "hack", "override", "compress", "copy", "navigate", "index",
                 "connect", "generate", "quantify", "calculate", "synthesize", "input", "transmit",
                 "program", "reboot", "parse"]
_HACKER_ADJECTIVES = ["auxiliary", "primary", "back-end", "digital", "open-source", "virtual",
                      "cross-platform", "redundant", "online", "haptic", "multi-byte", "bluetooth",
                      "wireless", "neural", "optical", "solid-state", "mobile"]
_HACKER_NOUNS = ["driver", "protocol", "bandwidth", "panel", "microchip", "program", "port", "card",
                 "array", "bus", "monitor", "matrix", "firewall", "feed", "capacitor", "application",
                 "system", "sensor", "alarm", "pixel", "hard-drive", "transmitter", "interface",
                 "circuit"]

APPLICATION_DEFAULTS: dict[str, Any] = {
    # Column defaults of Dokploy's `application` table (packages/server/src/db/schema/application.ts).
    "name": None, "appName": None, "description": None, "env": None, "previewEnv": None,
    "watchPaths": None, "previewBuildArgs": None, "previewBuildSecrets": None, "previewLabels": None,
    "previewWildcard": None, "previewPort": 3000, "previewHttps": False, "previewPath": "/",
    "previewCertificateType": "none", "previewCustomCertResolver": None, "previewLimit": 3,
    "isPreviewDeploymentsActive": False, "previewRequireCollaboratorPermissions": True,
    "rollbackActive": False, "buildArgs": None, "buildSecrets": None, "memoryReservation": None,
    "memoryLimit": None, "cpuReservation": None, "cpuLimit": None, "title": None, "enabled": None,
    "subtitle": None, "command": None, "args": None, "icon": None, "refreshToken": None,
    "sourceType": "github", "cleanCache": False, "repository": None, "owner": None, "branch": None,
    "buildPath": "/", "triggerType": "push", "autoDeploy": True, "gitlabProjectId": None,
    "gitlabRepository": None, "gitlabOwner": None, "gitlabBranch": None, "gitlabBuildPath": "/",
    "gitlabPathNamespace": None, "giteaRepository": None, "giteaOwner": None, "giteaBranch": None,
    "giteaBuildPath": "/", "bitbucketRepository": None, "bitbucketRepositorySlug": None,
    "bitbucketOwner": None, "bitbucketBranch": None, "bitbucketBuildPath": "/", "username": None,
    "password": None, "dockerImage": None, "registryUrl": None, "customGitUrl": None,
    "customGitBranch": None, "customGitBuildPath": None, "customGitSSHKeyId": None,
    "enableSubmodules": False, "dockerfile": "Dockerfile", "dockerContextPath": None,
    "dockerBuildStage": None, "dropBuildPath": None, "healthCheckSwarm": None,
    "restartPolicySwarm": None, "placementSwarm": None, "updateConfigSwarm": None,
    "rollbackConfigSwarm": None, "modeSwarm": None, "labelsSwarm": None, "networkSwarm": None,
    "stopGracePeriodSwarm": None, "endpointSpecSwarm": None, "ulimitsSwarm": None, "replicas": 1,
    "applicationStatus": "idle", "buildType": "nixpacks", "railpackVersion": "0.15.4",
    "herokuVersion": "24", "publishDirectory": None, "isStaticSpa": None, "createEnvFile": True,
    "createdAt": None, "registryId": None, "rollbackRegistryId": None, "environmentId": None,
    "githubId": None, "gitlabId": None, "giteaId": None, "bitbucketId": None, "serverId": None,
    "buildServerId": None, "buildRegistryId": None, "networkIds": [],
    "detachDokployNetwork": False,
}

COMPOSE_DEFAULTS: dict[str, Any] = {
    # Column defaults of Dokploy's `compose` table (packages/server/src/db/schema/compose.ts).
    "name": None, "appName": None, "description": None, "env": None, "composeFile": "",
    "refreshToken": None, "sourceType": "github", "composeType": "docker-compose",
    "repository": None, "owner": None, "branch": None, "autoDeploy": True,
    "gitlabProjectId": None, "gitlabRepository": None, "gitlabOwner": None, "gitlabBranch": None,
    "gitlabPathNamespace": None, "bitbucketRepository": None, "bitbucketRepositorySlug": None,
    "bitbucketOwner": None, "bitbucketBranch": None, "giteaRepository": None, "giteaOwner": None,
    "giteaBranch": None, "customGitUrl": None, "customGitBranch": None, "customGitSSHKeyId": None,
    "command": "", "createEnvFile": True, "enableSubmodules": False,
    "composePath": "./docker-compose.yml", "suffix": "", "randomize": False,
    "isolatedDeployment": False, "isolatedDeploymentsVolume": False, "triggerType": "push",
    "composeStatus": "idle", "icon": None, "environmentId": None, "createdAt": None,
    "watchPaths": None, "githubId": None, "gitlabId": None, "bitbucketId": None, "giteaId": None,
    "serverId": None, "serviceNetworks": [],
}

MOUNT_DEFAULTS: dict[str, Any] = {
    "type": None, "hostPath": None, "volumeName": None, "filePath": None, "content": None,
    # The column is NOT NULL DEFAULT 'application': a mount created without serviceType reads back
    # as "application" but has no applicationId, i.e. it belongs to nothing (orphaned).
    "serviceType": "application", "mountPath": None, "applicationId": None, "postgresId": None,
    "mariadbId": None, "mongoId": None, "mysqlId": None, "redisId": None, "composeId": None,
    "libsqlId": None,
}

DOMAIN_DEFAULTS: dict[str, Any] = {
    # Column defaults of Dokploy's `domain` table (packages/server/src/db/schema/domain.ts), in its
    # column order; views.domain_row drops the columns an older version does not have.
    "host": None, "https": False, "port": 3000, "customEntrypoint": None, "path": "/",
    "serviceName": None, "domainType": "application", "uniqueConfigKey": None, "createdAt": None,
    "composeId": None, "customCertResolver": None, "applicationId": None,
    "previewDeploymentId": None, "certificateType": "none", "internalPath": "/", "stripPath": False,
    "middlewares": [], "forwardAuthEnabled": False, "enabled": True,
}

SERVICE_ID_COLUMN = {"application": "applicationId", "postgres": "postgresId",
                     "mariadb": "mariadbId", "mongo": "mongoId", "mysql": "mysqlId",
                     "redis": "redisId", "compose": "composeId", "libsql": "libsqlId"}


def new_id() -> str:
    """nanoid(): 21 characters of A-Za-z0-9_-, like every Dokploy primary key."""
    return "".join(secrets.choice(_NANOID_ALPHABET) for _ in range(21))


def now_iso() -> str:
    """new Date().toISOString()."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def generate_password(quantity: int) -> str:
    """Dokploy's generatePassword(): mixed-case alphanumerics, then lower-cased."""
    return "".join(random.choice(_PASSWORD_ALPHABET) for _ in range(quantity)).lower()


def clean_app_name(app_name: str) -> str:
    return app_name.strip().replace(" ", "-").lower()


@dataclasses.dataclass
class Runtime:
    """What the emulated Docker knows about one Dokploy service (keyed by appName). It outlives the
    service's rows on project.remove, because removing rows leaves containers running."""

    group: str
    kind: str                       # "application" | "compose"
    service_id: str
    keys: list[str] = dataclasses.field(default_factory=list)
    deployed: bool = False          # a deploy reached the runner (a Swarm service / compose project exists)
    stopped: bool = False           # scaled to 0 / `compose stop` by the API
    server_id: Optional[str] = None
    # (host_ip, published port, protocol) the emulated Docker has allocated to this service.
    ports: list[tuple[str, int, str]] = dataclasses.field(default_factory=list)
    # The last WorkspaceSpec handed to runner.up() per key, as plain data (for /__emulator/workspaces).
    specs: dict[str, dict] = dataclasses.field(default_factory=dict)
    # Compose only: the domains its last deploy wrote as Traefik labels, each with the key of the
    # container that carries them (what the emulated Traefik routes; see traefik.py).
    routes: list[dict] = dataclasses.field(default_factory=list)


class Model:
    """All rows, guarded by one re-entrant lock (procedures and the deploy worker share it)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.organization_id = new_id()
        self.user_id = new_id()
        self.member_id = new_id()
        self.created_at = now_iso()
        self.forced_suffix: Optional[str] = None
        # Settings > Web Server > Server IP: what generated domains carry ("" = not set). A
        # production install sets the server's public address; this one is of TEST-NET-3.
        self.web_server_ip = "203.0.113.10"
        self.servers: dict[str, dict] = {}
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.projects: dict[str, dict] = {}
            self.environments: dict[str, dict] = {}
            self.applications: dict[str, dict] = {}
            self.compose: dict[str, dict] = {}
            self.ports: dict[str, dict] = {}
            self.mounts: dict[str, dict] = {}
            self.deployments: dict[str, dict] = {}
            # The deployment log files, by logPath: the lines Dokploy's deploy job wrote there.
            self.logs: dict[str, list[str]] = {}
            self.domains: dict[str, dict] = {}
            self.domain_serial = 0        # the `serial` behind uniqueConfigKey
            self.runtime: dict[str, Runtime] = {}

    # ---- servers ---------------------------------------------------------------------------
    def set_servers(self, servers: list[dict]) -> None:
        with self.lock:
            self.servers = {}
            for s in servers:
                server_id = s.get("serverId") or new_id()
                self.servers[server_id] = {
                    "serverId": server_id, "name": s.get("name", server_id),
                    "description": s.get("description"), "ipAddress": s["ipAddress"],
                    "port": s.get("port", 22), "username": s.get("username", "root"),
                    "appName": s.get("appName", "server-" + generate_password(6)),
                    "enableDockerCleanup": False, "createdAt": now_iso(),
                    "organizationId": self.organization_id,
                    "serverStatus": s.get("serverStatus", "active"),
                    "command": "", "sshKeyId": s.get("sshKeyId"),
                    "metricsConfig": {"server": {"type": "Remote", "refreshRate": 60, "port": 4500,
                                                 "token": "", "urlCallback": "",
                                                 "retentionDays": 2, "cronJob": "",
                                                 "thresholds": {"cpu": 0, "memory": 0}},
                                      "containers": {"refreshRate": 60,
                                                     "services": {"include": [], "exclude": []}}},
                }

    # ---- appName -------------------------------------------------------------------------------
    def build_app_name(self, kind: str, base: Optional[str]) -> str:
        """buildAppName(type, baseAppName): `<cleaned base>-<6 chars>`, or faker words when no base."""
        suffix = self.forced_suffix or generate_password(6)
        if base:
            return f"{clean_app_name(base)}-{suffix}"
        words = "-".join((random.choice(_HACKER_VERBS), random.choice(_HACKER_ADJECTIVES),
                          random.choice(_HACKER_NOUNS)))
        nano = self.forced_suffix or "".join(random.choice(_CUSTOM_NANOID_ALPHABET) for _ in range(6))
        return f"{kind}-{words}-{nano}"

    def app_name_taken(self, app_name: str) -> bool:
        """validUniqueServerAppName: appNames are unique across every service table."""
        with self.lock:
            return any(r["appName"] == app_name for r in self.applications.values()) or \
                any(r["appName"] == app_name for r in self.compose.values())

    # ---- creation ------------------------------------------------------------------------------
    def create_project(self, name: str, description: Optional[str], env: Optional[str]) -> tuple[dict, dict]:
        with self.lock:
            project = {"projectId": new_id(), "name": name, "description": description,
                       "createdAt": now_iso(), "organizationId": self.organization_id,
                       "env": env if env is not None else ""}
            self.projects[project["projectId"]] = project
            # createProject() also inserts the default environment (v0.25+; kept internally for
            # older versions too, so services always have an environment to hang off).
            environment = self.create_environment(project["projectId"], "production",
                                                  "Production environment", is_default=True)
            return project, environment

    def create_environment(self, project_id: str, name: str, description: Optional[str],
                           is_default: bool = False) -> dict:
        with self.lock:
            environment = {"environmentId": new_id(), "name": name, "description": description,
                           "createdAt": now_iso(), "env": "", "projectId": project_id,
                           "isDefault": is_default}
            self.environments[environment["environmentId"]] = environment
            return environment

    def default_environment(self, project_id: str) -> Optional[dict]:
        with self.lock:
            envs = [e for e in self.environments.values() if e["projectId"] == project_id]
            for e in envs:
                if e["isDefault"]:
                    return e
            return envs[0] if envs else None

    def create_application(self, values: dict) -> dict:
        with self.lock:
            row = {"applicationId": new_id()}
            row.update(copy.deepcopy(APPLICATION_DEFAULTS))
            row.update(values)
            row["createdAt"] = now_iso()
            row["refreshToken"] = new_id()
            self.applications[row["applicationId"]] = row
            return row

    def create_compose(self, values: dict) -> dict:
        with self.lock:
            row = {"composeId": new_id()}
            row.update(copy.deepcopy(COMPOSE_DEFAULTS))
            row.update(values)
            row["createdAt"] = now_iso()
            row["refreshToken"] = new_id()
            self.compose[row["composeId"]] = row
            return row

    def create_port(self, values: dict) -> dict:
        with self.lock:
            row = {"portId": new_id(), "publishedPort": values["publishedPort"],
                   "publishMode": values.get("publishMode", "ingress"),
                   "targetPort": values["targetPort"], "protocol": values.get("protocol", "tcp"),
                   "applicationId": values["applicationId"]}
            self.ports[row["portId"]] = row
            return row

    def create_mount(self, values: dict) -> dict:
        with self.lock:
            row = {"mountId": new_id()}
            row.update(MOUNT_DEFAULTS)
            service_id = values.get("serviceId")
            row.update({k: v for k, v in values.items() if k in MOUNT_DEFAULTS})
            column = SERVICE_ID_COLUMN.get(values.get("serviceType") or "")
            if column:
                row[column] = service_id
            self.mounts[row["mountId"]] = row
            return row

    def create_domain(self, values: dict) -> dict:
        with self.lock:
            self.domain_serial += 1
            row = {"domainId": new_id()}
            row.update(DOMAIN_DEFAULTS)
            # drizzle: a key left out takes the column default, an explicit null is stored as null.
            row.update({k: v for k, v in values.items() if k in DOMAIN_DEFAULTS})
            row["host"] = (values.get("host") or "").strip()
            row["uniqueConfigKey"] = self.domain_serial
            row["createdAt"] = now_iso()
            self.domains[row["domainId"]] = row
            return row

    def create_deployment(self, kind: str, service: dict, title: str, description: str,
                          status: str = "running") -> dict:
        with self.lock:
            app_name = service["appName"]
            created = now_iso()
            # format(new Date(), "yyyy-MM-dd:HH:mm:ss") under LOGS_PATH (/etc/dokploy/logs).
            stamp = created[:10] + ":" + created[11:19]
            log_path = f"/etc/dokploy/logs/{app_name}/{app_name}-{stamp}.log"
            # createDeployment*() starts the file before the job runs.
            self.logs[log_path] = ["Initializing deployment"]
            row = {"deploymentId": new_id(), "title": title, "description": description,
                   "status": status, "logPath": log_path,
                   "pid": None,
                   "applicationId": service["applicationId"] if kind == "application" else None,
                   "composeId": service["composeId"] if kind == "compose" else None,
                   "serverId": service.get("serverId"), "isPreviewDeployment": False,
                   "previewDeploymentId": None, "createdAt": created, "startedAt": None,
                   "finishedAt": None, "errorMessage": None, "scheduleId": None,
                   "backupId": None, "rollbackId": None, "volumeBackupId": None,
                   "buildServerId": None}
            self.deployments[row["deploymentId"]] = row
            return row

    def append_log(self, log_path: str, lines: list[str]) -> None:
        """What the deploy job's `>> logPath` redirections add to the file."""
        with self.lock:
            if log_path:
                self.logs.setdefault(log_path, []).extend(lines)

    def log_tail(self, log_path: str, count: int) -> Optional[list[str]]:
        """`tail -n count logPath`; None when there is no such file."""
        with self.lock:
            lines = self.logs.get(log_path)
            return None if lines is None else list(lines[-count:])

    # ---- lookups -------------------------------------------------------------------------------
    def project_of_environment(self, environment_id: str) -> Optional[dict]:
        with self.lock:
            env = self.environments.get(environment_id)
            return self.projects.get(env["projectId"]) if env else None

    def ports_of(self, application_id: str) -> list[dict]:
        with self.lock:
            return [p for p in self.ports.values() if p["applicationId"] == application_id]

    def ingress_ports(self, app_name: str) -> set[int]:
        """Published ports of the application `app_name` that go through Swarm's routing mesh."""
        with self.lock:
            apps = [a for a in self.applications.values() if a["appName"] == app_name]
            return {p["publishedPort"] for a in apps for p in self.ports_of(a["applicationId"])
                    if p.get("publishMode", "ingress") == "ingress"}

    def mounts_of(self, column: str, service_id: str) -> list[dict]:
        with self.lock:
            return [m for m in self.mounts.values() if m.get(column) == service_id]

    def domains_of(self, column: str, service_id: str) -> list[dict]:
        with self.lock:
            return [d for d in self.domains.values() if d.get(column) == service_id]

    def deployments_of(self, column: str, service_id: str) -> list[dict]:
        """Insertion order, i.e. oldest first."""
        with self.lock:
            return [d for d in self.deployments.values() if d.get(column) == service_id]

    def service_by_app_name(self, app_name: str) -> tuple[Optional[str], Optional[dict]]:
        with self.lock:
            for row in self.applications.values():
                if row["appName"] == app_name:
                    return "application", row
            for row in self.compose.values():
                if row["appName"] == app_name:
                    return "compose", row
            return None, None

    # ---- deletion ------------------------------------------------------------------------------
    def delete_application(self, application_id: str) -> Optional[dict]:
        """Rows only, with the ON DELETE CASCADE children (ports, mounts, domains, deployments)."""
        with self.lock:
            row = self.applications.pop(application_id, None)
            if row is None:
                return None
            self._forget_logs("applicationId", application_id)
            for table, column in ((self.ports, "applicationId"), (self.mounts, "applicationId"),
                                  (self.domains, "applicationId"), (self.deployments, "applicationId")):
                for key in [k for k, v in table.items() if v.get(column) == application_id]:
                    del table[key]
            return row

    def delete_compose(self, compose_id: str) -> Optional[dict]:
        with self.lock:
            row = self.compose.pop(compose_id, None)
            if row is None:
                return None
            self._forget_logs("composeId", compose_id)
            for table in (self.mounts, self.domains, self.deployments):
                for key in [k for k, v in table.items() if v.get("composeId") == compose_id]:
                    del table[key]
            return row

    def _forget_logs(self, column: str, service_id: str) -> None:
        """removeDeployments*: the service's log files go with its deployment rows."""
        for deployment in self.deployments_of(column, service_id):
            self.logs.pop(deployment["logPath"], None)

    def delete_environment(self, environment_id: str) -> Optional[dict]:
        with self.lock:
            env = self.environments.pop(environment_id, None)
            if env is None:
                return None
            for app_id in [k for k, v in self.applications.items() if v["environmentId"] == environment_id]:
                self.delete_application(app_id)
            for compose_id in [k for k, v in self.compose.items() if v["environmentId"] == environment_id]:
                self.delete_compose(compose_id)
            return env

    def delete_project(self, project_id: str) -> Optional[dict]:
        with self.lock:
            project = self.projects.pop(project_id, None)
            if project is None:
                return None
            for env_id in [k for k, v in self.environments.items() if v["projectId"] == project_id]:
                self.delete_environment(env_id)
            return project

    def dump(self) -> dict:
        with self.lock:
            return copy.deepcopy({
                "projects": list(self.projects.values()),
                "environments": list(self.environments.values()),
                "applications": list(self.applications.values()),
                "compose": list(self.compose.values()),
                "ports": list(self.ports.values()),
                "mounts": list(self.mounts.values()),
                "deployments": list(self.deployments.values()),
                "logs": self.logs,
                "domains": list(self.domains.values()),
                "servers": list(self.servers.values()),
                "runtime": [dataclasses.asdict(r) for r in self.runtime.values()],
            })
