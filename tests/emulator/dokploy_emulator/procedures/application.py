"""application.* procedures: Dokploy applications, which Dokploy runs as Docker Swarm services."""
from __future__ import annotations

import dataclasses
import logging
from typing import Optional

from workspace_runner.api import RunnerError

from .. import views
from ..errors import ApiError, not_found
from ..model import Runtime
from ..specs import DeployError, application_spec
from . import EMPTY, Call, mutation, query
from ._services import new_service_values, tear_down_service, update_service

log = logging.getLogger("dokploy_emulator.application")


def _app(emu, application_id: str) -> dict:
    app = emu.model.applications.get(application_id)
    if app is None:
        raise not_found("Application")
    return app


def _no_such_service(app_name: str, replicas: int) -> ApiError:
    # execAsync rejects with child_process' message; tRPC turns the plain Error into a 500.
    return ApiError("INTERNAL_SERVER_ERROR",
                    f"Command failed: docker service scale {app_name}={replicas} \n"
                    f"Error: No such service: {app_name}\n")


@mutation("application.create")
def application_create(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        # The foreign key fails inside createApplication; the router wraps it.
        values = new_service_values(model, inp, call.features, "app",
                                    unknown_server=ApiError("BAD_REQUEST", "Error creating the application"))
        if "sourceType" in inp:
            values["sourceType"] = inp["sourceType"]
        app = model.create_application(values)
        return views.application_row(model, app, call.features)


@query("application.one")
def application_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.application_one(emu.model, _app(emu, inp["applicationId"]), call.features)


@mutation("application.update")
def application_update(emu, inp: dict, call: Call):
    model = emu.model
    failed = ApiError("BAD_REQUEST", "Error updating application")
    with model.lock:
        app = model.applications.get(inp["applicationId"])
        if app is None:
            raise failed  # updateApplication() returned no row
        update_service(model, app, inp, "applicationId", unknown_parent=failed)
        return True


@mutation("application.delete")
def application_delete(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        app = _app(emu, inp["applicationId"])
        result = views.application_found(model, app, call.features)
        model.delete_application(app["applicationId"])
    # `docker service rm`: Swarm keeps named volumes, so remove_volumes=False.
    tear_down_service(emu, app["appName"], app["applicationId"], remove_volumes=False, log=log)
    return result


def _queue_deploy(emu, inp: dict, call: Call, job_type: str, default_title: str):
    with emu.model.lock:
        app = _app(emu, inp["applicationId"])
        emu.queue.submit("application", app, inp.get("title") or default_title,
                         inp.get("description") or "", job_type, call.deploy_error)
    return EMPTY  # the mutation returns undefined: 200 with an empty body


@mutation("application.deploy")
def application_deploy(emu, inp: dict, call: Call):
    return _queue_deploy(emu, inp, call, "deploy", "Manual deployment")


@mutation("application.redeploy")
def application_redeploy(emu, inp: dict, call: Call):
    return _queue_deploy(emu, inp, call, "redeploy", "Rebuild deployment")


def _app_before_start_or_stop(emu, inp: dict, call: Call) -> tuple[dict, dict, Optional[Runtime]]:
    """The application, its row as read before the status change (what start and stop return) and
    what runs of it."""
    model = emu.model
    with model.lock:
        app = _app(emu, inp["applicationId"])
        before = views.application_found(model, app, call.features)
        return app, before, model.runtime.get(app["appName"])


@mutation("application.start")
def application_start(emu, inp: dict, call: Call):
    model = emu.model
    app, before, runtime = _app_before_start_or_stop(emu, inp, call)
    if runtime is None or not runtime.deployed:
        raise _no_such_service(app["appName"], 1)
    with emu.gate.group(app["appName"]) as runner:
        try:
            for key in runtime.keys:
                runner.start(key)
        except RunnerError as e:
            raise ApiError("INTERNAL_SERVER_ERROR", str(e)) from e
    with model.lock:
        runtime.stopped = False
        if app["applicationId"] in model.applications:
            app["applicationStatus"] = "done"
    return before  # the row as read before the status change


@mutation("application.stop")
def application_stop(emu, inp: dict, call: Call):
    model = emu.model
    app, before, runtime = _app_before_start_or_stop(emu, inp, call)
    if runtime is not None and runtime.deployed:
        with emu.gate.group(app["appName"]) as runner:
            for key in runtime.keys:
                try:
                    runner.stop(key)
                except Exception as e:  # stopService() returns the error instead of throwing
                    log.warning("stop of %s failed: %s", key, e)
    with model.lock:
        if runtime is not None and runtime.deployed:
            runtime.stopped = True
        if app["applicationId"] in model.applications:
            app["applicationStatus"] = "idle"
    return before


@mutation("application.reload")
def application_reload(emu, inp: dict, call: Call):
    """Re-applies the service spec at once (no queue, no pull): idle, then done or error."""
    model = emu.model
    with model.lock:
        app = _app(emu, inp["applicationId"])
        app["applicationStatus"] = "idle"
    try:
        spec = application_spec(model, app, call.features, emu.server_address)
        emu.queue._check_port_allocation(app["appName"], "application", [spec])
        with emu.gate.group(app["appName"]) as runner:
            runner.up(emu.queue.routed(spec))
    except (DeployError, RunnerError) as e:
        with model.lock:
            app["applicationStatus"] = "error"
        raise ApiError("INTERNAL_SERVER_ERROR", "Error reloading application") from e
    with model.lock:
        runtime = model.runtime.get(app["appName"])
        if runtime is None:
            runtime = model.runtime[app["appName"]] = Runtime(
                group=app["appName"], kind="application", service_id=app["applicationId"])
        runtime.keys, runtime.deployed, runtime.stopped = [spec.key], True, False
        runtime.ports = [(p.host_ip, p.published, p.protocol) for p in spec.ports]
        runtime.specs = {spec.key: dataclasses.asdict(emu.queue.routed(spec))}
        app["applicationStatus"] = "done"
    return True


@mutation("application.saveDockerProvider")
def application_save_docker_provider(emu, inp: dict, call: Call):
    with emu.model.lock:
        app = _app(emu, inp["applicationId"])
        app.update({"dockerImage": inp["dockerImage"], "username": inp["username"],
                    "password": inp["password"], "registryUrl": inp["registryUrl"],
                    "sourceType": "docker", "applicationStatus": "idle"})
        return True


@mutation("application.saveEnvironment")
def application_save_environment(emu, inp: dict, call: Call):
    with emu.model.lock:
        app = _app(emu, inp["applicationId"])
        # Keys the version does not know were dropped by validation and are not written.
        for key in ("env", "buildArgs", "buildSecrets", "createEnvFile"):
            if key in inp:
                app[key] = inp[key]
        return True


@mutation("application.markRunning")
def application_mark_running(emu, inp: dict, call: Call):
    with emu.model.lock:
        _app(emu, inp["applicationId"])["applicationStatus"] = "running"
    return EMPTY


@mutation("application.cancelDeployment")
def application_cancel_deployment(emu, inp: dict, call: Call):
    with emu.model.lock:
        _app(emu, inp["applicationId"])
    raise ApiError("BAD_REQUEST", "Deployment cancellation only available in cloud version")


@mutation("application.killBuild")
def application_kill_build(emu, inp: dict, call: Call):
    with emu.model.lock:
        _app(emu, inp["applicationId"])
    return EMPTY


@query("application.search")
def application_search(emu, inp: dict, call: Call):
    def like(value, needle) -> bool:
        return needle.strip().lower() in (value or "").lower()

    model = emu.model
    with model.lock:
        rows = list(reversed(list(model.applications.values())))  # newest first
        if inp.get("projectId"):
            rows = [a for a in rows
                    if (model.environments.get(a["environmentId"]) or {}).get("projectId") == inp["projectId"]]
        if inp.get("environmentId"):
            rows = [a for a in rows if a["environmentId"] == inp["environmentId"]]
        q = (inp.get("q") or "").strip()
        if q:
            rows = [a for a in rows if any(like(a.get(c), q) for c in
                                           ("name", "appName", "description", "repository", "owner", "dockerImage"))]
        for column in ("name", "appName", "description", "repository", "owner", "dockerImage"):
            if (inp.get(column) or "").strip():
                rows = [a for a in rows if like(a.get(column), inp[column])]
        limit, offset = int(inp.get("limit", 20)), int(inp.get("offset", 0))
        items = []
        for a in rows[offset:offset + limit]:
            item = {"applicationId": a["applicationId"], "name": a["name"], "appName": a["appName"],
                    "description": a["description"], "environmentId": a["environmentId"],
                    "applicationStatus": a["applicationStatus"], "sourceType": a["sourceType"],
                    "createdAt": a["createdAt"]}
            items.append(item)
        return {"items": items, "total": len(rows)}
