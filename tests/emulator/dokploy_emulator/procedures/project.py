"""project.* procedures: projects, which hold environments (v0.25+) or services directly (before)."""
from __future__ import annotations

from .. import views
from ..errors import not_found
from . import Call, mutation, query


def _project(emu, project_id: str) -> dict:
    project = emu.model.projects.get(project_id)
    if project is None:
        raise not_found("Project")
    return project


@query("project.all")
def project_all(emu, inp: dict, call: Call):
    return views.project_all(emu.model, call.features)


@mutation("project.create")
def project_create(emu, inp: dict, call: Call):
    project, environment = emu.model.create_project(inp["name"], inp.get("description"), inp.get("env"))
    if call.features.environments:
        return {"project": views.project_row(emu.model, project, call.features),
                "environment": views.environment_row(emu.model, environment, call.features)}
    return views.project_row(emu.model, project, call.features)  # up to v0.24: the bare project


@query("project.one")
def project_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.project_one(emu.model, _project(emu, inp["projectId"]), call.features)


@mutation("project.remove")
def project_remove(emu, inp: dict, call: Call):
    # Rows only: whatever the project's services run keeps running (no runner call).
    with emu.model.lock:
        _project(emu, inp["projectId"])
        project = emu.model.delete_project(inp["projectId"])
        return views.project_row(emu.model, project, call.features)


@mutation("project.update")
def project_update(emu, inp: dict, call: Call):
    with emu.model.lock:
        project = _project(emu, inp["projectId"])
        for key in ("name", "description", "env", "createdAt"):
            if key in inp:
                project[key] = inp[key]
        return views.project_row(emu.model, project, call.features)


@query("project.search")
def project_search(emu, inp: dict, call: Call):
    def like(value, needle) -> bool:
        return needle.strip().lower() in (value or "").lower()

    with emu.model.lock:
        rows = list(reversed(list(emu.model.projects.values())))
        if (inp.get("q") or "").strip():
            rows = [p for p in rows if like(p["name"], inp["q"]) or like(p["description"], inp["q"])]
        if (inp.get("name") or "").strip():
            rows = [p for p in rows if like(p["name"], inp["name"])]
        if (inp.get("description") or "").strip():
            rows = [p for p in rows if like(p["description"], inp["description"])]
        limit, offset = int(inp.get("limit", 20)), int(inp.get("offset", 0))
        items = [views.project_row(emu.model, p, call.features) for p in rows[offset:offset + limit]]
        return {"items": items, "total": len(rows)}

