"""compose.* procedures: compose services, which Dokploy runs with `docker compose` on the host."""
from __future__ import annotations

import logging

from workspace_runner.api import RunnerError

from .. import views
from ..errors import ApiError, not_found
from . import Call, mutation, query

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
        if call.features.environments:
            env = model.environments.get(inp["environmentId"])
            if env is None:
                raise not_found("Environment")
        else:
            if inp["projectId"] not in model.projects:
                raise not_found("Project")
            env = model.default_environment(inp["projectId"])
        if inp.get("serverId") and inp["serverId"] not in model.servers:
            # compose.create rethrows the database error as is.
            raise ApiError("INTERNAL_SERVER_ERROR",
                           'insert or update on table "compose" violates foreign key constraint '
                           '"compose_serverId_server_serverId_fk"')
        app_name = model.build_app_name("compose", inp.get("appName"))
        if model.app_name_taken(app_name):
            raise ApiError("CONFLICT", "Service with this 'AppName' already exists")
        values = {"name": inp["name"], "appName": app_name, "description": inp.get("description"),
                  "environmentId": env["environmentId"], "serverId": inp.get("serverId"),
                  "composeFile": inp.get("composeFile") or ""}
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
        comp = _compose(emu, inp["composeId"])
        changes = {k: v for k, v in inp.items() if k not in ("composeId", "appName")}
        if "projectId" in changes:  # up to v0.24
            env = model.default_environment(changes.pop("projectId"))
            if env is None:
                raise ApiError("INTERNAL_SERVER_ERROR", 'insert or update on table "compose" violates foreign key constraint')
            changes["environmentId"] = env["environmentId"]
        if "environmentId" in changes and changes["environmentId"] not in model.environments:
            raise ApiError("INTERNAL_SERVER_ERROR", 'insert or update on table "compose" violates foreign key constraint')
        comp.update(changes)
        return views.compose_row(model, comp, call.features)


@mutation("compose.deploy")
def compose_deploy(emu, inp: dict, call: Call):
    with emu.model.lock:
        comp = _compose(emu, inp["composeId"])
        emu.queue.submit("compose", comp, inp.get("title") or "Manual deployment",
                         inp.get("description") or "", "deploy", call.deploy_error)
        return {"success": True, "message": "Deployment queued", "composeId": comp["composeId"]}


@mutation("compose.start")
def compose_start(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        comp = _compose(emu, inp["composeId"])
        runtime = model.runtime.get(comp["appName"])
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
    with model.lock:
        runtime.stopped = False
        comp["composeStatus"] = "done"
    return True


@mutation("compose.stop")
def compose_stop(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        comp = _compose(emu, inp["composeId"])
        runtime = model.runtime.get(comp["appName"])
    if runtime is None or not runtime.deployed:
        with model.lock:
            comp["composeStatus"] = "error"  # stopCompose's catch
        raise ApiError("INTERNAL_SERVER_ERROR", _NEVER_DEPLOYED)
    with emu.gate.group(comp["appName"]) as runner:
        for key in runtime.keys:
            runner.stop(key)
    with model.lock:
        runtime.stopped = True
        comp["composeStatus"] = "idle"
    return True


@mutation("compose.delete")
def compose_delete(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        comp = _compose(emu, inp["composeId"])
        result = views.compose_one(model, comp, call.features)
        model.delete_compose(comp["composeId"])
    emu.queue.remove_waiting(lambda j: j.service_id == comp["composeId"])
    # `docker compose down` (+ the project's volumes when deleteVolumes).
    with emu.gate.group(comp["appName"]) as runner:
        try:
            runner.remove_group(comp["appName"], remove_volumes=bool(inp["deleteVolumes"]))
        except Exception as e:  # cleanup failures are swallowed by the router
            log.warning("remove of %s failed: %s", comp["appName"], e)
    with model.lock:
        model.runtime.pop(comp["appName"], None)
    return result
