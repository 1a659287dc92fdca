"""environment.* procedures (v0.25 and later: earlier versions answer 404 for them)."""
from __future__ import annotations

from .. import views
from ..errors import ApiError, not_found
from ..model import new_id, now_iso
from . import Call, mutation, query

SINCE = (0, 25, 0)


def _environment(emu, environment_id: str) -> dict:
    env = emu.model.environments.get(environment_id)
    if env is None:
        raise not_found("Environment")
    return env


@mutation("environment.create", since=SINCE)
def environment_create(emu, inp: dict, call: Call):
    if inp["name"] == "production":
        raise ApiError("BAD_REQUEST", "You cannot create a environment with the name 'production'")
    with emu.model.lock:
        if inp["projectId"] not in emu.model.projects:
            raise _foreign_key_failure(inp)
        env = emu.model.create_environment(inp["projectId"], inp["name"], inp.get("description"))
        return views.environment_row(emu.model, env, call.features)


def _foreign_key_failure(inp: dict) -> ApiError:
    """Nothing looks the project up first: the insert fails on the foreign key and the router
    wraps drizzle's error, which names the query and its parameters."""
    params = [new_id(), inp["name"]] + ([inp["description"]] if "description" in inp else []) + \
        [now_iso(), inp["projectId"]]
    numbered = iter(f"${n}" for n in range(1, len(params) + 1))
    values = [next(numbered), next(numbered), next(numbered) if "description" in inp else "default",
              next(numbered), "default", next(numbered), "default"]
    columns = '"environmentId", "name", "description", "createdAt", "env", "projectId", "isDefault"'
    return ApiError("BAD_REQUEST", f'Error creating the environment: Failed query: insert into "environment" '
                                   f'({columns}) values ({", ".join(values)}) returning {columns}\n'
                                   f'params: {",".join(params)}')


@query("environment.one", since=SINCE)
def environment_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.environment_full(emu.model, _environment(emu, inp["environmentId"]), call.features)


@query("environment.byProjectId", since=SINCE)
def environment_by_project(emu, inp: dict, call: Call):
    with emu.model.lock:
        envs = [e for e in emu.model.environments.values() if e["projectId"] == inp["projectId"]]
        return [views.environment_full(emu.model, e, call.features) for e in envs]


@mutation("environment.remove", since=SINCE)
def environment_remove(emu, inp: dict, call: Call):
    with emu.model.lock:
        env = _environment(emu, inp["environmentId"])
        if env["isDefault"]:
            raise ApiError("BAD_REQUEST", "You cannot delete the default environment")
        removed = emu.model.delete_environment(inp["environmentId"])
        return views.environment_row(emu.model, removed, call.features)


@mutation("environment.update", since=SINCE)
def environment_update(emu, inp: dict, call: Call):
    with emu.model.lock:
        try:
            env = _environment(emu, inp["environmentId"])
        except ApiError as e:
            # The router wraps everything it catches.
            raise ApiError("BAD_REQUEST", f"Error updating the environment: {e.message}") from e
        if env["isDefault"] and "name" in inp:
            raise ApiError("BAD_REQUEST",
                           "Error updating the environment: You cannot rename the default environment")
        for key in ("name", "description", "env"):
            if key in inp:
                env[key] = inp[key]
        return views.environment_row(emu.model, env, call.features)
