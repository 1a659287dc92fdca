"""What the application and compose routers do alike. Not a router: the errors that differ between
the two (they mirror each router's own catch) are passed in by the caller."""
from __future__ import annotations

import logging

from ..errors import ApiError, not_found
from ..model import Model
from ..versions import Features


def new_service_values(model: Model, inp: dict, features: Features, app_name_prefix: str,
                       unknown_server: ApiError) -> dict:
    """The checks of application.create and compose.create, in Dokploy's order, and the columns both
    fill from the input. Call with model.lock held."""
    if features.environments:
        env = model.environments.get(inp["environmentId"])
        if env is None:
            raise not_found("Environment")
    else:
        if inp["projectId"] not in model.projects:
            raise not_found("Project")
        env = model.default_environment(inp["projectId"])
    if inp.get("serverId") and inp["serverId"] not in model.servers:
        raise unknown_server
    app_name = model.build_app_name(app_name_prefix, inp.get("appName"))
    if model.app_name_taken(app_name):
        raise ApiError("CONFLICT", "Service with this 'AppName' already exists")
    return {"name": inp["name"], "appName": app_name, "description": inp.get("description"),
            "environmentId": env["environmentId"], "serverId": inp.get("serverId")}


def update_service(model: Model, row: dict, inp: dict, id_column: str, unknown_parent: ApiError) -> None:
    """Writes the input's columns to the row (not its id, and appName stays as created). Call with
    model.lock held."""
    changes = {k: v for k, v in inp.items() if k not in (id_column, "appName")}
    if "projectId" in changes:  # up to v0.24 the parent column was projectId
        env = model.default_environment(changes.pop("projectId"))
        if env is None:
            raise unknown_parent
        changes["environmentId"] = env["environmentId"]
    if "environmentId" in changes and changes["environmentId"] not in model.environments:
        raise unknown_parent
    row.update(changes)


def tear_down_service(emu, app_name: str, service_id: str, remove_volumes: bool, log: logging.Logger) -> None:
    """After the row is deleted: drops its waiting deploys, removes what runs and forgets its runtime."""
    emu.queue.remove_waiting(lambda j: j.service_id == service_id)
    with emu.gate.group(app_name) as runner:
        try:
            runner.remove_group(app_name, remove_volumes=remove_volumes)
        except Exception as e:  # both routers swallow every cleanup failure
            log.warning("remove of %s failed: %s", app_name, e)
    with emu.model.lock:
        emu.model.runtime.pop(app_name, None)
