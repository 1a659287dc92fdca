"""dockerVolume.* procedures: `docker volume ls` on the server, answered from the runner's named
volumes (one Docker stands for every server here). Dokploy v0.30.2 has this router
(apps/dokploy/server/api/routers/docker-volume.ts) and v0.26.0 has none; the openapi.json of
v0.29.14 is the oldest known to list it, so the emulator offers it from there."""
from __future__ import annotations

from .. import views
from ..errors import not_found
from . import Call, query


@query("dockerVolume.getVolumes", since=(0, 29, 14))
def get_volumes(emu, inp: dict, call: Call):
    """getVolumes(serverId?): `docker volume ls --format '{{json .}}'`, one object per line."""
    if inp.get("serverId"):
        with emu.model.lock:
            if views.server_row(emu.model, inp["serverId"]) is None:
                raise not_found("Server")
    return [{"Availability": "N/A", "Driver": "local", "Group": "N/A", "Labels": "", "Links": "N/A",
             "Mountpoint": f"/var/lib/docker/volumes/{name}/_data", "Name": name, "Scope": "local",
             "Size": "N/A", "Status": "N/A"} for name in emu.gate.runner.volumes()]
