"""deployment.* procedures: a service's deployments, newest first, and the last lines of one
deployment's log."""
from __future__ import annotations

from .. import views
from ..errors import not_found
from ..versions import DEPLOYMENT_READ_LOGS
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


@query("deployment.readLogs", since=DEPLOYMENT_READ_LOGS)
def deployment_read_logs(emu, inp: dict, call: Call):
    """`tail -n <tail> "<logPath>" 2>/dev/null || echo ""`: stdout as one JSON string."""
    with emu.model.lock:
        deployment = emu.model.deployments.get(inp["deploymentId"])
        if deployment is None:
            raise not_found("Deployment")
        if not deployment["logPath"]:
            return ""
        lines = emu.model.log_tail(deployment["logPath"], int(inp.get("tail", 100)))
    if lines is None:
        return "\n"  # no file: tail fails and `echo ""` prints an empty line
    return "".join(line + "\n" for line in lines)
