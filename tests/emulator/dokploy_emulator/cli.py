"""Command line and process life cycle: parse options, read the token and servers, start the
server, announce readiness (ready file + one stdout line), and shut down cleanly on SIGTERM/SIGINT.

  dokploy-emulator --listen 127.0.0.1:0 --version v0.30.2 [--tls-cert F --tls-key F]
                   [--ready-file F] [--runner none|workspace] [--runner-state-dir D]
                   [--queue-delay-ms 150] [--deploy-duration-ms 100]
                   [--server-address 127.0.0.1] [--servers-file F] [--token-file F]
                   [--traefik-http HOST:PORT --traefik-https HOST:PORT [--traefik-ca DIR]]
                   [--log-level INFO]
  dokploy-emulator make-certs DIR [--host 127.0.0.1]

The API token comes from $DOKPLOY_EMULATOR_TOKEN or --token-file, never from argv.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
import threading

log = logging.getLogger("dokploy_emulator")


def _parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"--listen wants HOST:PORT, got {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dokploy-emulator",
                                description="Dokploy HTTP API emulator for the provider's tests.")
    p.add_argument("--listen", type=_parse_listen, default=("127.0.0.1", 0), metavar="HOST:PORT")
    p.add_argument("--version", default="v0.30.2", help="Dokploy version to emulate")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--ready-file")
    p.add_argument("--runner", choices=("none", "workspace"), default="none")
    p.add_argument("--runner-state-dir")
    p.add_argument("--queue-delay-ms", type=int, default=150)
    p.add_argument("--deploy-duration-ms", type=int, default=100)
    p.add_argument("--server-address", default="127.0.0.1",
                   help="address that publishes ports of services without serverId")
    p.add_argument("--servers-file", help='JSON [{"serverId","name","ipAddress","serverStatus"}]')
    p.add_argument("--token-file", help="file holding the API token (else $DOKPLOY_EMULATOR_TOKEN)")
    p.add_argument("--subset", help="dokploy-openapi-subset.json (default: tests/emulator/reference)")
    p.add_argument("--traefik-http", type=_parse_listen, metavar="HOST:PORT",
                   help="serve the emulated Traefik's web entry point (domains) here")
    p.add_argument("--traefik-https", type=_parse_listen, metavar="HOST:PORT",
                   help="and its websecure entry point here")
    p.add_argument("--traefik-ca", metavar="DIR",
                   help="ca.pem and ca.key (make-certs) that sign websecure's certificates; default: a new CA")
    p.add_argument("--log-level", default="INFO")
    return p


def _write_ready_file(path: str, info: dict) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".ready-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    os.replace(tmp, path)  # readers never see a half-written file


def main(argv: list[str]) -> int:
    if argv[:1] == ["make-certs"]:
        from .certs import main as certs_main
        return certs_main(argv[1:])
    args = _parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level.upper(), logging.INFO),
                        format="dokploy-emulator %(levelname)s %(name)s: %(message)s")
    if bool(args.tls_cert) != bool(args.tls_key):
        print("dokploy-emulator: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    if bool(args.traefik_http) != bool(args.traefik_https):
        print("dokploy-emulator: --traefik-http and --traefik-https go together", file=sys.stderr)
        return 2

    tokens = []
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                tokens.append(f.read().strip())
        except OSError as e:
            print(f"dokploy-emulator: cannot read --token-file: {e}", file=sys.stderr)
            return 2
    if os.environ.get("DOKPLOY_EMULATOR_TOKEN"):
        tokens.append(os.environ["DOKPLOY_EMULATOR_TOKEN"])
    if not tokens:
        log.warning("no API token ($DOKPLOY_EMULATOR_TOKEN or --token-file): every /api/ call "
                    "answers 401 until POST /__emulator/tokens adds one")

    servers = []
    if args.servers_file:
        try:
            with open(args.servers_file, encoding="utf-8") as f:
                servers = json.load(f)
            if not isinstance(servers, list) or not all(isinstance(s, dict) and s.get("ipAddress") for s in servers):
                raise ValueError("expected a JSON list of objects with ipAddress")
        except (OSError, ValueError) as e:
            print(f"dokploy-emulator: bad --servers-file: {e}", file=sys.stderr)
            return 2

    from .emulator import Emulator
    from .routing import Router
    from .runners import RunnerUnavailable, make_runner_factory
    from .schemas import DEFAULT_SUBSET
    from .server import EmulatorServer, make_ssl_context
    from .traefik import Traefik
    from .versions import features_for

    try:
        features_for(args.version)
    except ValueError as e:
        print(f"dokploy-emulator: --version: {e}", file=sys.stderr)
        return 2
    try:
        factory = make_runner_factory(args.runner, args.runner_state_dir)
        emu = Emulator(version=args.version, tokens=tokens, runner_factory=factory,
                       server_address=args.server_address, queue_delay_ms=args.queue_delay_ms,
                       deploy_duration_ms=args.deploy_duration_ms, servers=servers,
                       subset_path=args.subset or DEFAULT_SUBSET)
    except RunnerUnavailable as e:
        print(f"dokploy-emulator: {e}", file=sys.stderr)
        return 2
    ssl_context = None
    traefik = None
    try:
        if args.tls_cert:
            ssl_context = make_ssl_context(args.tls_cert, args.tls_key)
        server = EmulatorServer(args.listen, Router(emu), ssl_context)
        if args.traefik_http:
            traefik = Traefik(emu, args.traefik_http, args.traefik_https, args.traefik_ca)
    except (OSError, ValueError, RuntimeError) as e:
        print(f"dokploy-emulator: cannot listen: {e}", file=sys.stderr)
        emu.close()
        return 2

    host, port = server.server_address[:2]
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    info = {"url": f"{'https' if ssl_context else 'http'}://{shown_host}:{port}", "port": port,
            "pid": os.getpid()}
    if traefik:
        info["traefik"] = traefik.describe()

    def stop(signum, frame) -> None:
        log.info("signal %d: shutting down", signum)
        # server.shutdown() waits for serve_forever(), which runs in this very thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.ready_file:
        _write_ready_file(args.ready_file, info)
    print(json.dumps(info), flush=True)
    log.info("emulating Dokploy %s at %s (runner: %s)", emu.features.version, info["url"], args.runner)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if traefik:
            traefik.close()
        emu.close()  # stops the deploy worker, then runner.shutdown()
        log.info("stopped")
    return 0
