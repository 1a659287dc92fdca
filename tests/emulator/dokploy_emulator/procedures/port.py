"""port.* procedures: an application's published ports (applied at its next deploy or reload)."""
from __future__ import annotations

from .. import views
from ..errors import ApiError
from . import Call, mutation, query


def _normalise(inp: dict) -> dict:
    # JSON numbers arrive as float or int; ports are integers in the database.
    out = dict(inp)
    for key in ("publishedPort", "targetPort"):
        if isinstance(out.get(key), float) and out[key].is_integer():
            out[key] = int(out[key])
    return out


@mutation("port.create")
def port_create(emu, inp: dict, call: Call):
    # Nothing checks that the published port is free: Docker finds out at deploy time.
    with emu.model.lock:
        if inp["applicationId"] not in emu.model.applications:
            raise ApiError("BAD_REQUEST", "Error input: Inserting port")  # foreign key failure
        return views.port_row(emu.model.create_port(_normalise(inp)), call.features)  # the inserted row


@query("port.one")
def port_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        port = emu.model.ports.get(inp["portId"])
        if port is None:
            raise ApiError("BAD_REQUEST", "Port not found")  # the router wraps NOT_FOUND
        return views.port_row(port, call.features)


@mutation("port.delete")
def port_delete(emu, inp: dict, call: Call):
    with emu.model.lock:
        port = emu.model.ports.pop(inp["portId"], None)
        if port is None:
            raise ApiError("NOT_FOUND", "Port not found")
        return views.port_row(port, call.features)


@mutation("port.update")
def port_update(emu, inp: dict, call: Call):
    with emu.model.lock:
        port = emu.model.ports.get(inp["portId"])
        if port is None:
            raise ApiError("NOT_FOUND", "Port not found")
        for key, value in _normalise(inp).items():
            if key != "portId":
                port[key] = value
        return views.port_row(port, call.features)
