"""The workspace runner's command line (python3 -m workspace_runner ...):

  rootfs  --variant full|bare        build (once) and print the path of a cached Debian rootfs
  cleanup --state-dir D              remove what a killed runner using D left behind
  run     --spec FILE.json --state-dir D
          start one workspace from a JSON WorkspaceSpec, print {"ready": true, ...} on stdout once
          it runs, stay in the foreground; SIGTERM/SIGINT (or the parent going away) stops and
          removes it; when its command ends by itself, exits with that command's status.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from . import rootfs
from .api import PortBinding, RunnerError, VolumeMount, WorkspaceSpec


def spec_from_json(data: dict) -> WorkspaceSpec:
    """A WorkspaceSpec from its JSON form: the dataclass fields by name; `ports` and `volumes` as
    lists of objects with PortBinding / VolumeMount fields; `env` as a list of [name, value] pairs,
    a list of "NAME=value" strings, or an object; argv fields as lists (or null)."""
    if not isinstance(data, dict):
        raise RunnerError("spec must be a JSON object")
    known = set(WorkspaceSpec.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise RunnerError(f"unknown spec fields: {', '.join(sorted(unknown))}")
    d = dict(data)
    d.setdefault("group", d.get("key", ""))
    env = d.get("env") or ()
    if isinstance(env, dict):
        env = list(env.items())
    d["env"] = tuple((e.partition("=")[0], e.partition("=")[2]) if isinstance(e, str) else (str(e[0]), str(e[1]))
                     for e in env)
    for name in ("entrypoint", "command"):
        if d.get(name) is not None:
            d[name] = tuple(str(x) for x in d[name])
    d["ports"] = tuple(PortBinding(**p) for p in d.get("ports") or ())
    d["volumes"] = tuple(VolumeMount(**v) for v in d.get("volumes") or ())
    try:
        return WorkspaceSpec(**d)
    except TypeError as e:
        raise RunnerError(f"invalid spec: {e}") from None


def _cmd_run(args) -> int:
    from .runner import WorkspaceRunner

    with open(args.spec, encoding="utf-8") as f:
        spec = spec_from_json(json.load(f))
    reason = WorkspaceRunner.available()
    if reason:
        print(json.dumps({"ready": False, "error": reason}), flush=True)
        print(f"error: {reason}", file=sys.stderr)
        return 1
    runner = WorkspaceRunner(args.state_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = os.getppid()
    try:
        try:
            runner.up(spec)
        except RunnerError as e:
            print(json.dumps({"ready": False, "error": str(e)}), flush=True)
            print(f"error: {e}", file=sys.stderr)
            return 1
        info = runner.info(spec.key) or {}
        print(json.dumps({"ready": True, "key": spec.key, "pid": info.get("pid"), "ip": info.get("ip"),
                          "log": runner.log_path(spec.key)}), flush=True)
        while not stop.wait(0.2):
            if os.getppid() != parent:  # whoever started us is gone: do not outlive it
                break
            if runner.state(spec.key) != "running":
                code = (runner.info(spec.key) or {}).get("exit_code")
                print(json.dumps({"exited": code}), flush=True)
                return code if isinstance(code, int) and code >= 0 else 1
        return 0
    finally:
        runner.shutdown()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m workspace_runner",
                                     description="Runs Dokploy workspaces for the tests without Docker.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("rootfs", help="build (once) and print the path of a cached Debian rootfs")
    p.add_argument("--variant", choices=sorted(rootfs.VARIANTS), default="full")
    p = sub.add_parser("cleanup", help="remove what a killed runner using STATE_DIR left behind")
    p.add_argument("--state-dir", required=True)
    p = sub.add_parser("run", help="run one workspace in the foreground")
    p.add_argument("--spec", required=True, help="JSON file with a WorkspaceSpec")
    p.add_argument("--state-dir", required=True)
    args = parser.parse_args(argv)
    try:
        if args.cmd == "rootfs":
            print(rootfs.ensure_rootfs(args.variant))
            return 0
        if args.cmd == "cleanup":
            from .runner import cleanup
            for line in cleanup(args.state_dir):
                print(line)
            return 0
        if args.cmd == "run":
            return _cmd_run(args)
    except RunnerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 2
