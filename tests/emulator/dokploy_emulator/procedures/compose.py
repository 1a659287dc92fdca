"""compose.* procedures: compose services, which Dokploy runs with `docker compose` on the host."""
from __future__ import annotations

import logging
from typing import Optional

from workspace_runner.api import RunnerError

from .. import views
from ..errors import ApiError, not_found
from ..model import Model, Runtime
from . import EMPTY, Call, mutation, query
from ._services import new_service_values, tear_down_service, update_service

log = logging.getLogger("dokploy_emulator.compose")

# What execAsync rejects with when the compose project's folder does not exist yet (the cwd of
# `docker compose stop/up` is created by the first deploy).
_NEVER_DEPLOYED = "spawn /bin/sh ENOENT"


def _compose(emu, compose_id: str) -> dict:
    comp = emu.model.compose.get(compose_id)
    if comp is None:
        raise not_found("Compose")
    return comp


@mutation("compose.create")
def compose_create(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        # compose.create rethrows the database error as is.
        unknown_server = ApiError("INTERNAL_SERVER_ERROR",
                                  'insert or update on table "compose" violates foreign key constraint '
                                  '"compose_serverId_server_serverId_fk"')
        values = new_service_values(model, inp, call.features, "compose", unknown_server=unknown_server)
        values["composeFile"] = inp.get("composeFile") or ""
        for key in ("composeType", "sourceType"):
            if key in inp:
                values[key] = inp[key]
        comp = model.create_compose(values)
        return views.compose_row(model, comp, call.features)


@query("compose.one")
def compose_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.compose_one(emu.model, _compose(emu, inp["composeId"]), call.features)


@mutation("compose.update")
def compose_update(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        comp = model.compose.get(inp["composeId"])
        if comp is None:
            return EMPTY  # updateCompose() returns the row it updated: undefined for no row
        update_service(model, comp, inp, "composeId", unknown_parent=ApiError(
            "INTERNAL_SERVER_ERROR", 'insert or update on table "compose" violates foreign key constraint'))
        return views.compose_row(model, comp, call.features)


@mutation("compose.deploy")
def compose_deploy(emu, inp: dict, call: Call):
    with emu.model.lock:
        comp = _compose(emu, inp["composeId"])
        emu.queue.submit("compose", comp, inp.get("title") or "Manual deployment",
                         inp.get("description") or "", "deploy", call.deploy_error)
        return {"success": True, "message": "Deployment queued", "composeId": comp["composeId"]}


def _compose_and_runtime(emu, compose_id: str) -> tuple[dict, Optional[Runtime]]:
    with emu.model.lock:
        comp = _compose(emu, compose_id)
        return comp, emu.model.runtime.get(comp["appName"])


def _record_run_state(model: Model, comp: dict, runtime: Runtime, stopped: bool, status: str) -> bool:
    """After a start or stop went through: the runtime and the row's status say so."""
    with model.lock:
        runtime.stopped = stopped
        comp["composeStatus"] = status
    return True


@mutation("compose.start")
def compose_start(emu, inp: dict, call: Call):
    model = emu.model
    comp, runtime = _compose_and_runtime(emu, inp["composeId"])
    try:
        if runtime is None or not runtime.deployed:
            raise ApiError("INTERNAL_SERVER_ERROR", _NEVER_DEPLOYED)
        with emu.gate.group(comp["appName"]) as runner:
            try:
                for key in runtime.keys:
                    runner.start(key)
            except RunnerError as e:
                raise ApiError("INTERNAL_SERVER_ERROR", str(e)) from e
    except ApiError:
        with model.lock:
            comp["composeStatus"] = "idle"  # startCompose's catch
        raise
    return _record_run_state(model, comp, runtime, stopped=False, status="done")


@mutation("compose.stop")
def compose_stop(emu, inp: dict, call: Call):
    model = emu.model
    comp, runtime = _compose_and_runtime(emu, inp["composeId"])
    if runtime is None or not runtime.deployed:
        with model.lock:
            comp["composeStatus"] = "error"  # stopCompose's catch
        raise ApiError("INTERNAL_SERVER_ERROR", _NEVER_DEPLOYED)
    with emu.gate.group(comp["appName"]) as runner:
        for key in runtime.keys:
            runner.stop(key)
    return _record_run_state(model, comp, runtime, stopped=True, status="idle")


@mutation("compose.delete")
def compose_delete(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        comp = _compose(emu, inp["composeId"])
        result = views.compose_found(model, comp, call.features)
        model.delete_compose(comp["composeId"])
    # `docker compose down` (+ the project's volumes when deleteVolumes).
    tear_down_service(emu, comp["appName"], comp["composeId"],
                      remove_volumes=bool(inp["deleteVolumes"]), log=log)
    return result
