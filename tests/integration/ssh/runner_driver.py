"""Runs one workspace through the workspace runner's Python API and restarts it on request: the
bootstrap idempotence test needs a real restart (same filesystem, PID 1 started again), which the
runner's one-shot `run` command (stop = remove) cannot give.

    python3 runner_driver.py SPEC.json STATE_DIR      (PYTHONPATH=tests/emulator)

Prints {"ready": true, "log": ...} once the workspace runs, then reads commands from stdin:
"restart" (stop, start, print the ready line again) and "quit"; stdin's end also quits. Every
exit removes the workspace.
"""
import json
import signal
import sys

from workspace_runner.api import RunnerError
from workspace_runner.cli import spec_from_json
from workspace_runner.runner import WorkspaceRunner


def main() -> int:
    # The test stops its driver with SIGTERM too: leave through `finally`, which removes the
    # workspace (Python's default action would end the process with the workspace still running).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = spec_from_json(json.load(f))
    reason = WorkspaceRunner.available()
    if reason:
        print(json.dumps({"ready": False, "error": reason}), flush=True)
        return 1
    runner = WorkspaceRunner(sys.argv[2])
    try:
        runner.up(spec)
        print(json.dumps({"ready": True, "log": runner.log_path(spec.key)}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "restart":
                runner.stop(spec.key)
                runner.start(spec.key)
                print(json.dumps({"ready": True, "log": runner.log_path(spec.key)}), flush=True)
            elif command == "quit":
                break
        return 0
    except RunnerError as e:
        print(json.dumps({"ready": False, "error": str(e)}), flush=True)
        return 1
    finally:
        runner.shutdown()


if __name__ == "__main__":
    sys.exit(main())
