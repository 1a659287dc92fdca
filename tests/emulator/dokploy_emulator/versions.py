"""Dokploy version parsing and the table of behaviour changes between versions that the emulator reproduces."""
from __future__ import annotations

import dataclasses
import re

# deployment.readLogs is in v0.30.2 and not in v0.26.0 (apps/dokploy/server/api/routers/
# deployment.ts of each); the release in between that added it is not pinned down, so the emulator
# serves it from v0.30.0. Older versions answer 404 for it, as v0.24.0 does.
DEPLOYMENT_READ_LOGS = (0, 30, 0)

_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(text: str) -> tuple[int, int, int]:
    """'v0.30.2' -> (0, 30, 2); a missing patch number counts as 0. Raises ValueError."""
    match = _VERSION_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a Dokploy version: {text!r} (expected e.g. v0.30.2)")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


@dataclasses.dataclass(frozen=True)
class Features:
    """What a given Dokploy version does; each flag names the release that introduced it
    (docs/compatibility.md, "Differences between Dokploy versions")."""

    version: str
    number: tuple[int, int, int]

    @property
    def port_publish_mode(self) -> bool:  # v0.23.7: port.publishMode added
        return self.number >= (0, 23, 7)

    @property
    def environments(self) -> bool:  # v0.25: environments; environmentId replaces projectId
        return self.number >= (0, 25, 0)

    @property
    def save_env_build_secrets(self) -> bool:  # v0.25.6: saveEnvironment requires buildSecrets
        return self.number >= (0, 25, 6)

    @property
    def save_env_create_env_file(self) -> bool:  # v0.26.1: saveEnvironment requires createEnvFile
        return self.number >= (0, 26, 1)

    @property
    def command_args(self) -> bool:  # v0.26: command split on spaces + args[]
        return self.number >= (0, 26, 0)

    @property
    def in_memory_queue(self) -> bool:  # v0.29.9: a restart loses queued jobs, statuses reset to idle
        return self.number >= (0, 29, 9)

    @property
    def create_source_type(self) -> bool:  # v0.30: sourceType accepted by application/compose.create
        return self.number >= (0, 30, 0)

    # Domains. v0.24.0's and v0.26.0's sources lack the next three, v0.30.2's has them; they were
    # merged in May and June 2026 and the first release with them is v0.29.14 at the latest (the
    # emulator places them there).
    @property
    def domain_sso_columns(self) -> bool:
        """forwardAuthEnabled, middlewares, customEntrypoint and enabled on domains (PR #4555 and
        its neighbours) and the host name check (VALID_HOSTNAME_REGEX)."""
        return self.number >= (0, 29, 14)

    @property
    def generated_domain_suffix(self) -> str:  # PR #4368: traefik.me replaced by sslip.io
        return "sslip.io" if self.number >= (0, 29, 14) else "traefik.me"

    @property
    def generated_name_cut(self) -> bool:  # generateRandomDomain cuts the name at 40 (seen in v0.26.0)
        return self.number >= (0, 26, 0)

    @property
    def task_current_state(self) -> bool:
        """docker.getServiceContainersByAppName lists each task's CurrentState and Error (v0.30.2
        does; v0.24.0 and v0.26.0 list only the desired state; the release in between that added
        them is not known here)."""
        return self.number >= (0, 30, 0)

    @property
    def project_one_summaries(self) -> bool:
        """v0.30: project.one lists each service's summary columns and server name, and the
        project's tags (v0.26.0 returned full service rows and no tags)."""
        return self.number >= (0, 30, 0)

    @property
    def zod4(self) -> bool:
        """v0.30: zod 4 and @dokploy/trpc-openapi 0.0.18 (v0.30.2 has them, v0.26.0 had zod 3.25 and
        0.0.4; the release in between that switched is not known here): zod 4's issue format, and
        boolean/number inputs coerced in request bodies too."""
        return self.number >= (0, 30, 0)


def features_for(version: str) -> Features:
    number = parse_version(version)
    if number < (0, 19, 0):
        # Before v0.19 the API used Bearer tokens; the emulator only speaks x-api-key.
        raise ValueError(f"Dokploy {version} predates x-api-key authentication (v0.19); not emulated")
    return Features(version=version if version.startswith("v") else "v" + version, number=number)
