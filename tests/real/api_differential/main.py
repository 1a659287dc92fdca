"""The differential test: the scripted sequence against real Dokploy (the real tier's world) and
against the emulator, then every difference in status, shape or pinned value.

  run.py [--record-dir DIR] [--real-records FILE]

--record-dir writes real.json and emulator.json (the records, never the key). --real-records
compares with a real run recorded earlier instead of calling real Dokploy (for working on the
emulator). Prints `SKIPPED: <reason>` and exits 0 when the real tier is not up."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import secrets
import socket
import string
import sys
from typing import Callable

from .client import ApiClient
from .compare import compare
from .engine import Context, Record, Target, run_sequence
from .scenario import prepare, sequence
from .world import RealWorld, delete_created, remove_docker_leftovers, sweep_stale_runs

EMULATOR_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))
MISSING_IMAGE = "does-not-exist:1"
POLL_LIMIT_S = 300.0   # a bound for one deploy; the comparison uses whatever state was reached


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _free_port_pair() -> int:
    """A port p with p and p+1 free on this machine (the real side publishes both)."""
    for _ in range(200):
        port = random.randrange(42000, 43998, 2)
        try:
            for candidate in (port, port + 1):
                with socket.socket() as s:
                    s.bind(("0.0.0.0", candidate))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair in 42000-43999")


def _run(target: Target, ctx: Context) -> list[Record]:
    return run_sequence(sequence(), target, ctx, _log)


def _run_real(world: RealWorld, tag: str, ports: tuple[int, int]) -> list[Record]:
    client = ApiClient(world.url, world.key)
    ctx = Context("real", tag, world.image, f"{world.registry}/{MISSING_IMAGE}")
    prepare(ctx, *ports)
    sweep_stale_runs(client, _log)
    try:
        # Development mode (how the real tier runs Dokploy) adds the stack trace to error answers.
        target = Target("real", client, poll_interval_s=1.0, poll_limit_s=POLL_LIMIT_S,
                        error_artefacts=("data.stack",))
        return _run(target, ctx)
    finally:
        delete_created(client, ctx, _log)
        remove_docker_leftovers(world, _log)


def _run_emulator(version: str, image: str, registry: str, tag: str, ports: tuple[int, int]) -> list[Record]:
    sys.path.insert(0, EMULATOR_DIR)
    from dokploy_emulator.testing import EmulatorProcess  # noqa: E402 - found through EMULATOR_DIR

    token = secrets.token_hex(16)
    with EmulatorProcess(version=version, token=token) as emulator:
        client = ApiClient(f"http://127.0.0.1:{emulator.port}", token)
        ctx = Context("emulator", tag, image, f"{registry}/{MISSING_IMAGE}")
        prepare(ctx, *ports)
        target = Target("emulator", client, poll_interval_s=0.05, poll_limit_s=POLL_LIMIT_S,
                        add_fault=lambda fault: emulator.control("POST", "faults", fault))
        return _run(target, ctx)


def _write(folder: str, name: str, run: dict, records: list[Record]) -> None:
    """The records with what the run was made with (tag, ports, version): enough to compare the
    emulator with it again later (--real-records)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({**run, "records": [dataclasses.asdict(r) for r in records]}, f, indent=1, ensure_ascii=False)
    os.replace(path + ".tmp", path)


def _read(path: str) -> tuple[dict, list[Record]]:
    with open(path, encoding="utf-8") as f:
        saved = json.load(f)
    return saved, [Record(**row) for row in saved["records"]]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record-dir")
    parser.add_argument("--real-records")
    args = parser.parse_args(argv)

    world = RealWorld()
    tag = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6))
    ports = (_free_port_pair(), _free_port_pair())
    if args.real_records:
        saved, real = _read(args.real_records)
        version, tag, ports = saved["version"], saved["tag"], tuple(saved["ports"])
    else:
        if world.skip_reason:
            print(f"SKIPPED: {world.skip_reason}", flush=True)
            return 0
        version = world.version
        if tuple(int(p) for p in version.lstrip("v").split(".")[:2]) < (0, 30):
            print(f"SKIPPED: the API differential's sequence is written for Dokploy v0.30 (what the "
                  f"provider sends there); the real tier runs {version}", flush=True)
            return 0
        real = None
    run = {"version": version, "tag": tag, "ports": list(ports)}
    if real is None:
        try:
            health = ApiClient(world.url, world.key, timeout=30).call("health", "GET", None)
        except OSError as e:
            print(f"SKIPPED: Dokploy at {world.url} does not answer ({e}): run `tools/dev real up`", flush=True)
            return 0
        if health.status != 200:
            print(f"SKIPPED: Dokploy at {world.url} answers /api/health with {health.status}: "
                  "run `tools/dev real up`", flush=True)
            return 0
        real = _run_real(world, tag, ports)
        if args.record_dir:
            _write(args.record_dir, "real.json", run, real)
    image = world.image or "127.0.0.1:5000/dpp-workspace:bookworm"
    emulated = _run_emulator(version, image, world.registry, tag, ports)
    if args.record_dir:
        _write(args.record_dir, "emulator.json", run, emulated)
    found = compare(real, emulated)
    for line in found:
        print(line)
    verdict = "agree" if not found else f"differ in {len(found)} places"
    print(f"API differential: {len(real)} steps against real Dokploy {version} and the emulator: {verdict}")
    return 1 if found else 0


def entry(run: Callable[[list[str]], int] = main) -> None:
    sys.exit(run(sys.argv[1:]))
