"""mounts.* procedures: volumes, binds and files of a service (applied at its next deploy)."""
from __future__ import annotations

from .. import views
from ..errors import ApiError, not_found
from ..model import SERVICE_ID_COLUMN
from . import Call, mutation, query


def _service_exists(emu, service_type: str, service_id: str) -> bool:
    if service_type == "application":
        return service_id in emu.model.applications
    if service_type == "compose":
        return service_id in emu.model.compose
    return False  # the emulator has no database services


def _mount(emu, mount_id: str) -> dict:
    mount = emu.model.mounts.get(mount_id)
    if mount is None:
        raise not_found("Mount")
    return mount


@mutation("mounts.create")
def mounts_create(emu, inp: dict, call: Call):
    with emu.model.lock:
        service_type = inp.get("serviceType")
        if service_type and not _service_exists(emu, service_type, inp["serviceId"]):
            # The foreign key rejects the insert; createMount wraps the error.
            raise ApiError("BAD_REQUEST", "Error insert or update on table \"mount\" violates foreign key constraint")
        # Without serviceType the row is stored with the column default and no service id:
        # an orphan that no deploy ever applies. The answer is the inserted row.
        return views.mount_row(emu.model.create_mount(inp))


@mutation("mounts.remove")
def mounts_remove(emu, inp: dict, call: Call):
    with emu.model.lock:
        mount = _mount(emu, inp["mountId"])
        del emu.model.mounts[inp["mountId"]]
        return views.mount_row(mount)


@query("mounts.one")
def mounts_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.mount_row(_mount(emu, inp["mountId"]))


@mutation("mounts.update")
def mounts_update(emu, inp: dict, call: Call):
    with emu.model.lock:
        mount = _mount(emu, inp["mountId"])
        for key, value in inp.items():
            if key != "mountId" and key in mount:
                mount[key] = value
        return views.mount_row(mount)


@query("mounts.listByServiceId")
def mounts_list_by_service(emu, inp: dict, call: Call):
    column = SERVICE_ID_COLUMN.get(inp["serviceType"])
    if column is None:
        raise ApiError("INTERNAL_SERVER_ERROR", f"Unknown service type: {inp['serviceType']}")
    with emu.model.lock:
        return [views.mount_row(m) for m in emu.model.mounts_of(column, inp["serviceId"])]
