"""docker.* procedures: what `docker service ps` / `docker ps` would show for a service, answered
from the runner's view of its workspaces."""
from __future__ import annotations

import hashlib

from . import Call, query


def _fake_id(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


@query("docker.getServiceContainersByAppName")
def service_containers(emu, inp: dict, call: Call):
    """`docker service ps <appName>` parsed into tasks. Only Swarm services (applications) have
    tasks; for anything else the command fails and Dokploy answers []. `state` is the task's
    desired state, `currentState` what it is doing."""
    with emu.model.lock:
        runtime = emu.model.runtime.get(inp["appName"])
        if runtime is None or runtime.kind != "application" or not runtime.deployed:
            return []
        keys, stopped = list(runtime.keys), runtime.stopped
    tasks = []
    for index, key in enumerate(keys, start=1):
        state = emu.gate.runner.state(key)
        if state == "missing":
            continue
        # Dokploy strips "Error: " from `Error: {{.Error}}`; with no error the trimmed "Error:" stays.
        task = {"containerId": _fake_id("task:" + key, 25), "name": f"{inp['appName']}.{index}",
                "node": "dokploy", "error": "Error:"}
        if state == "running":
            task.update(state="running", currentState="Running 2 seconds ago")
        elif stopped:
            task.update(state="shutdown", currentState="Shutdown 2 seconds ago")
        else:
            task.update(state="shutdown", currentState="Failed 2 seconds ago",
                        error="task: non-zero exit (1)")
        if not call.features.task_current_state:
            del task["currentState"], task["error"]
        tasks.append(task)
    return tasks


@query("docker.getContainersByAppNameMatch")
def containers_by_app_name_match(emu, inp: dict, call: Call):
    """`docker ps -a` filtered by the compose project label (appType docker-compose) or by the
    name containing appName."""
    app_name = inp["appName"]
    with emu.model.lock:
        candidates = []
        for runtime in emu.model.runtime.values():
            if not runtime.deployed:
                continue
            for key in runtime.keys:
                if inp.get("appType") == "docker-compose":
                    if runtime.group == app_name:
                        candidates.append(key)
                elif app_name in key:
                    candidates.append(key)
    containers = []
    for key in candidates:
        state = emu.gate.runner.state(key)
        if state == "missing":
            continue
        running = state == "running"
        # services/docker.ts: `docker ps -a --format '... {{.State}} | Status: {{.Status}}'`
        containers.append({"containerId": _fake_id("container:" + key, 12), "name": key,
                           "state": "running" if running else "exited",
                           "status": "Up 2 seconds" if running else "Exited (0) 2 seconds ago"})
    return containers
