"""deployment.* procedures: a service's deployments, newest first."""
from __future__ import annotations

from .. import views
from ..errors import not_found
from . import Call, query


@query("deployment.all")
def deployment_all(emu, inp: dict, call: Call):
    with emu.model.lock:
        if inp["applicationId"] not in emu.model.applications:
            raise not_found("Application")
        rows = emu.model.deployments_of("applicationId", inp["applicationId"])
        return [views.deployment_row(d) for d in reversed(rows)]  # orderBy desc(createdAt)


@query("deployment.allByCompose")
def deployment_all_by_compose(emu, inp: dict, call: Call):
    with emu.model.lock:
        if inp["composeId"] not in emu.model.compose:
            raise not_found("Compose")
        rows = emu.model.deployments_of("composeId", inp["composeId"])
        return [views.deployment_row(d) for d in reversed(rows)]
