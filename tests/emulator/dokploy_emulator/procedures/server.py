"""server.* procedures: the remote servers given with --servers-file."""
from __future__ import annotations

from .. import views
from ..errors import not_found
from . import Call, query


@query("server.all")
def server_all(emu, inp: dict, call: Call):
    with emu.model.lock:
        return [views.server_row(emu.model, sid) for sid in emu.model.servers]


@query("server.one")
def server_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        row = views.server_row(emu.model, inp["serverId"])
        if row is None:
            raise not_found("Server")
        return row
