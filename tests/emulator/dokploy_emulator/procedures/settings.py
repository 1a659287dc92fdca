"""settings.* procedures the provider uses: the version (doubles as the token check) and health."""
from __future__ import annotations

from . import Call, query


@query("settings.getDokployVersion")
def get_dokploy_version(emu, inp: dict, call: Call):
    return call.features.version  # a JSON string, e.g. "v0.30.2"


@query("settings.health")
def settings_health(emu, inp: dict, call: Call):
    return {"status": "not_cloud"}  # self-hosted answer; /api/health is the unauthenticated probe
