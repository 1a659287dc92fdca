"""Runs workspaces for real, without Docker: a cached Debian rootfs (rootfs.py) under a per-workspace
overlayfs, in its own network, PID, mount, UTS and IPC namespaces, its published ports forwarded
from the host by socat.

One workspace, as Docker would have it:
- filesystem: overlayfs, lower = the cached rootfs of the image's variant (read-only, shared), upper
  and work under `state_dir/ws/<key>/`: files survive stop/start; a changed spec on up() recreates
  the container (fresh upper); remove_group deletes it. Named volumes are folders
  `state_dir/volumes/<name>` bind-mounted at their targets (an empty one is first filled with what
  the image has there, like Docker), removed only by remove_group(..., remove_volumes=True) or
  shutdown. /proc, a read-only /sys, a tmpfs /dev with the usual nodes, devpts and /dev/shm, and
  generated /etc/hosts, /etc/hostname, /etc/resolv.conf are mounted as Docker does; /run and /tmp
  are the image's (kept across restarts, as in Docker). The overlay and every mount exist only in
  the workspace's private mount namespace, so the host never sees them and they vanish with it.
- network: a named netns `dpp-<hash>` with loopback and a veth pair to the host, a /30 from
  10.213.0.0/16 (host .1, workspace .2), no NAT and no default route: the workspace reaches only
  the host end of its veth. There the runner forwards the Debian mirror's port (the rootfs'
  sources.list names the mirror, /etc/hosts maps its name to the host end), so `apt-get` works in
  `bare` workspaces and nothing else leaves.
- process: entrypoint + command (only command: command alone, since these images have no
  entrypoint; neither: /bin/sh) is PID 1 of its PID namespace, in a chroot of the overlay, as
  `user`, in `working_dir` (created when missing). Environment: exactly spec.env, plus PATH and
  HOSTNAME (= key, also the hostname) when absent and HOME from the user's passwd entry when absent
  (runc does that), in Docker's order; nothing of the host's environment. stdin is /dev/null,
  stdout and stderr go to `state_dir/logs/<key>.log` (the "docker logs").
- `privileged`: the workspace already runs as real root with every capability, so it needs
  nothing more here; an unprivileged one is not restricted either. Memory and CPU limits are
  accepted and not enforced.
- ports: each PortBinding is checked by binding it before anything starts, then a
  `socat TCP-LISTEN:<published>,bind=<host_ip>,fork,reuseaddr TCP:<workspace ip>:<target>` in its
  own process group; a port taken by anything else raises
  RunnerError("Bind for 127.0.0.1:2222 failed: port is already allocated") and leaves nothing.
- stop: SIGTERM to PID 1, SIGKILL after 10 s (Docker's default); forwarders and network go; files
  stay. A workspace whose command ends by itself releases its ports and network the same way.

Images map to rootfs variants: an `image_map` entry wins (a variant name or the path of a rootfs
folder); otherwise an image whose name contains "bare" gets `bare`, any other `full`.

Everything started is recorded in `state_dir/state.json` (netns, veth, processes carry
DPP_WORKSPACE_RUNNER=<state_dir> in their environment), so `python3 -m workspace_runner cleanup
--state-dir D` (cleanup() here) removes what a runner killed with SIGKILL left behind.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import fcntl
import hashlib
import ipaddress
import atexit
import json
import marshal
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import weakref
from typing import Optional

from . import rootfs
from .api import PortBinding, Runner, RunnerError, WorkspaceSpec, WorkspaceState

MARKER_ENV = "DPP_WORKSPACE_RUNNER"
NET_BASE = ipaddress.IPv4Address("10.213.0.0")
NET_SLOTS = 1 << 14  # /30s in 10.213.0.0/16
NET_LOCK = "/run/dpp-workspace-runner.net.lock"
STOP_TIMEOUT = 10.0
START_TIMEOUT = 30.0
_TOOLS_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_NAME_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
_INIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_init.py")


def workspace_names(state_dir: str, key: str) -> tuple[str, str, str]:
    """(netns, host-side veth, workspace-side veth before its rename to eth0) of a workspace."""
    short = hashlib.sha1(f"{os.path.realpath(state_dir)}\0{key}".encode()).hexdigest()[:8]
    return f"dpp-{short}", f"dpph{short}", f"dppc{short}"


def variant_for_image(image: str, image_map: Optional[dict[str, str]] = None) -> str:
    """The rootfs variant (or rootfs path) an image name runs on; see the module doc."""
    if image_map and image in image_map:
        return image_map[image]
    return "bare" if "bare" in image else "full"


def _tool_env() -> dict[str, str]:
    return {"PATH": _TOOLS_PATH, "LC_ALL": "C"}


def _run(argv: list[str], what: str, check: bool = True, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=_tool_env(), stdin=None if stdin is not None else subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise RunnerError(f"{what}: {' '.join(argv)}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


def _start_time(pid: int) -> Optional[int]:
    """Field 22 of /proc/<pid>/stat: tells a process from a later one with the same PID."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        return int(data[data.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _listening_inodes(protocol: str, family: int) -> dict[tuple[str, int], set[str]]:
    """(address, port) -> socket inodes bound there, from /proc/net/{tcp,udp}[6] (host netns)."""
    name = protocol + ("6" if family == socket.AF_INET6 else "")
    result: dict[tuple[str, int], set[str]] = {}
    try:
        with open(f"/proc/net/{name}") as f:
            next(f)
            for line in f:
                fields = line.split()
                local, st, inode = fields[1], fields[3], fields[9]
                if protocol == "tcp" and st != "0A":
                    continue
                hexaddr, hexport = local.split(":")
                raw = bytes.fromhex(hexaddr)
                if family == socket.AF_INET6:
                    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    addr = str(ipaddress.IPv6Address(raw))
                else:
                    addr = str(ipaddress.IPv4Address(raw[::-1]))
                result.setdefault((addr, int(hexport, 16)), set()).add(inode)
    except OSError:
        pass
    return result


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
    return inodes


def _family(ip: str) -> int:
    return socket.AF_INET6 if ":" in ip else socket.AF_INET


@dataclasses.dataclass
class _Forwarder:
    proc: subprocess.Popen
    start_time: Optional[int]
    what: str
    check: tuple[str, int, str]  # (address, port, protocol) it listens on


@dataclasses.dataclass
class _Workspace:
    spec: WorkspaceSpec
    dir: str
    lock: threading.RLock = dataclasses.field(default_factory=threading.RLock)
    proc: Optional[subprocess.Popen] = None   # the `unshare` process, parent of the workspace's PID 1
    pid1: Optional[int] = None                # the workspace's PID 1 as the host sees it
    exit_code: Optional[int] = None
    netns: Optional[str] = None
    veth: Optional[str] = None
    host_ip: Optional[str] = None
    ns_ip: Optional[str] = None
    forwarders: list[_Forwarder] = dataclasses.field(default_factory=list)


class WorkspaceRunner(Runner):
    """See the module doc. `state_dir` belongs to this runner (one runner per folder)."""

    def __init__(self, state_dir: str, image_map: Optional[dict[str, str]] = None) -> None:
        self.state_dir = os.path.realpath(state_dir)
        self.image_map = dict(image_map or {})
        self._lock = threading.RLock()
        self._ws: dict[str, _Workspace] = {}
        self._group_volumes: dict[str, set[str]] = {}
        self._closed = False
        self._adopt_state_dir()
        for sub in ("ws", "volumes", "logs"):
            os.makedirs(os.path.join(self.state_dir, sub), exist_ok=True)
        # An interpreter that exits without shutdown() must not leave workspaces running.
        ref = weakref.ref(self)
        atexit.register(lambda: (r := ref()) is not None and not r._closed and r.shutdown())
        mirror = urllib.parse.urlsplit(rootfs.host_mirror())
        self._mirror_host = mirror.hostname
        self._mirror_port = mirror.port or (443 if mirror.scheme == "https" else 80)

    def _adopt_state_dir(self) -> None:
        """Refuses a state_dir that a live runner uses; cleans up after a dead one."""
        try:
            with open(os.path.join(self.state_dir, "state.json")) as f:
                state = json.load(f)
        except (OSError, ValueError):
            state = None
        if state:
            pid, start = state.get("runner_pid"), state.get("runner_start")
            # This process's own earlier runner (e.g. shut down and replaced) is not "in use".
            if pid and pid != os.getpid() and start and _start_time(pid) == start:
                raise RunnerError(f"{self.state_dir} is in use by the workspace runner in process {pid}")
        if state is not None or os.path.isdir(os.path.join(self.state_dir, "ws")):
            cleanup(self.state_dir)

    # --- availability ---------------------------------------------------------------------

    @staticmethod
    def available() -> Optional[str]:
        """None when workspaces can run here, else why not."""
        if sys.platform != "linux":
            return "needs Linux"
        if os.geteuid() != 0:
            return "needs root"
        missing = [t for t in ("debootstrap", "unshare", "nsenter", "ip", "socat", "chroot", "cp")
                   if not shutil.which(t, path=_TOOLS_PATH)]
        if missing:
            return f"{', '.join(missing)} missing (apt-get install -y debootstrap util-linux iproute2 socat)"
        try:
            with open("/proc/filesystems") as f:
                fs = f.read()
        except OSError:
            fs = ""
        if "overlay" not in fs:
            subprocess.run(["modprobe", "overlay"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=_tool_env(), check=False)
            with contextlib.suppress(OSError), open("/proc/filesystems") as f:
                fs = f.read()
            if "overlay" not in fs:
                return "overlayfs unavailable in this kernel"
        probe = subprocess.run(["unshare", "--net", "--pid", "--fork", "--mount", "--uts", "true"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_tool_env())
        if probe.returncode != 0:
            return f"cannot create namespaces: {probe.stderr.strip()}"
        return None

    # --- Runner ---------------------------------------------------------------------------

    def up(self, spec: WorkspaceSpec) -> None:
        self._check_spec(spec)
        with self._lock:
            if self._closed:
                raise RunnerError("runner is shut down")
            ws = self._ws.get(spec.key)
            if ws is None:
                ws = _Workspace(spec=spec, dir=os.path.join(self.state_dir, "ws", spec.key))
                self._ws[spec.key] = ws
                fresh = True
            else:
                fresh = False
            self._group_volumes.setdefault(spec.group, set()).update(
                v.source for v in spec.volumes if v.kind == "volume")
        with ws.lock:
            if not fresh:
                if ws.spec == spec:
                    if self._running(ws):
                        return
                    self._start(ws)
                    return
                self._stop(ws)  # recreate: new container, fresh filesystem and logs, same volumes
                self._remove_fs(ws)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.log_path(spec.key))
                ws.spec = spec
            # When this fails the workspace stays known as "exited", as `docker compose up`
            # leaves a created container behind; remove_group removes it.
            self._start(ws)

    def stop(self, key: str) -> None:
        ws = self._get(key)
        if ws is None:
            return
        with ws.lock:
            self._stop(ws)

    def start(self, key: str) -> None:
        ws = self._get(key)
        if ws is None:
            raise RunnerError(f"No such container: {key}")
        with ws.lock:
            if not self._running(ws):
                self._start(ws)

    def state(self, key: str) -> WorkspaceState:
        ws = self._get(key)
        if ws is None:
            return "missing"
        return "running" if self._running(ws) else "exited"

    def remove_group(self, group: str, remove_volumes: bool) -> None:
        with self._lock:
            members = [ws for ws in self._ws.values() if ws.spec.group == group]
        self._parallel(lambda ws: self._remove(ws), members)
        if remove_volumes:
            with self._lock:
                names = self._group_volumes.pop(group, set())
                in_use = {v.source for ws in self._ws.values() for v in ws.spec.volumes if v.kind == "volume"}
            for name in sorted(names - in_use):
                shutil.rmtree(self.volume_path(name), ignore_errors=True)
        self._save()

    def volumes(self) -> list[str]:
        with self._lock:
            return sorted({name for names in self._group_volumes.values() for name in names})

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            members = list(self._ws.values())
        self._parallel(lambda ws: self._remove(ws, keep_log=True), members)
        with self._lock:
            self._group_volumes.clear()
        shutil.rmtree(os.path.join(self.state_dir, "volumes"), ignore_errors=True)
        shutil.rmtree(os.path.join(self.state_dir, "ws"), ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(self.state_dir, "state.json"))

    # --- extras for tests and the emulator -------------------------------------------------

    def log_path(self, key: str) -> str:
        return os.path.join(self.state_dir, "logs", f"{key}.log")

    def volume_path(self, name: str) -> str:
        return os.path.join(self.state_dir, "volumes", name)

    def upper_path(self, key: str) -> str:
        """The workspace's writable layer: files it created or changed, at their paths."""
        return os.path.join(self.state_dir, "ws", key, "upper")

    def info(self, key: str) -> Optional[dict]:
        """pid (PID 1 as the host sees it), netns, ip (the workspace's address), exit_code."""
        ws = self._get(key)
        if ws is None:
            return None
        with ws.lock:
            return {"pid": ws.pid1 if self._running(ws) else None, "netns": ws.netns, "ip": ws.ns_ip,
                    "host_ip": ws.host_ip, "exit_code": ws.exit_code, "spec": ws.spec}

    # --- internals ------------------------------------------------------------------------

    def _get(self, key: str) -> Optional[_Workspace]:
        with self._lock:
            return self._ws.get(key)

    @staticmethod
    def _parallel(fn, items) -> None:
        if not items:
            return
        try:
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(32, len(items)))
            futures = [pool.submit(fn, it) for it in items]
        except RuntimeError:  # at interpreter exit no new threads: one at a time then
            for it in items:
                fn(it)
            return
        with pool:
            for f in futures:
                f.result()

    @staticmethod
    def _check_spec(spec: WorkspaceSpec) -> None:
        if not _NAME_RE.fullmatch(spec.key):
            raise RunnerError(f'Invalid container name ({spec.key}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed')
        for v in spec.volumes:
            if v.kind == "volume" and not _NAME_RE.fullmatch(v.source):
                raise RunnerError(f'create {v.source}: "{v.source}" includes invalid characters for a local '
                                  'volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed')
            if not v.target.startswith("/"):
                raise RunnerError(f"invalid mount config: mount path must be absolute: {v.target}")
            if v.kind == "bind" and not v.source.startswith("/"):
                raise RunnerError(f"invalid mount config: bind source path must be absolute: {v.source}")
        for p in spec.ports:
            if p.protocol not in ("tcp", "udp"):
                raise RunnerError(f"invalid proto: {p.protocol}")
            if not (0 < p.published < 65536 and 0 < p.target < 65536):
                raise RunnerError(f"invalid port {p.published}:{p.target}")

    @staticmethod
    def _running(ws: _Workspace) -> bool:
        return ws.proc is not None and ws.proc.poll() is None

    def _rootfs(self, image: str) -> str:
        variant = variant_for_image(image, self.image_map)
        if variant.startswith("/"):
            if not os.path.isdir(variant):
                raise RunnerError(f"pull access denied for {image}: rootfs {variant} does not exist")
            return variant
        if variant not in rootfs.VARIANTS:
            raise RunnerError(f"pull access denied for {image}: unknown rootfs variant {variant!r}")
        return rootfs.ensure_rootfs(variant)

    def _argv(self, spec: WorkspaceSpec) -> list[str]:
        if spec.entrypoint is None and spec.command is None:
            return ["/bin/sh"]  # the images' default command
        argv = list(spec.entrypoint or ()) + list(spec.command or ())
        if not argv:
            raise RunnerError("no command specified")
        return argv

    def _names(self, key: str) -> tuple[str, str, str]:
        return workspace_names(self.state_dir, key)

    def _start(self, ws: _Workspace) -> None:
        """Ports first, then network, then the process; on any failure everything started is
        stopped again."""
        spec = ws.spec
        argv = self._argv(spec)
        lower = self._rootfs(spec.image)
        for p in spec.ports:
            self._check_port_free(p)
        ws.exit_code = None
        try:
            self._setup_network(ws)
            self._start_forwarders(ws)
            self._launch(ws, lower, argv)
        except BaseException:
            self._teardown(ws)
            self._save()
            raise
        self._save()

    def _check_port_free(self, p: PortBinding) -> None:
        family = _family(p.host_ip)
        kind = socket.SOCK_STREAM if p.protocol == "tcp" else socket.SOCK_DGRAM
        with socket.socket(family, kind) as s:
            if p.protocol == "tcp":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as socat's reuseaddr
            try:
                s.bind((p.host_ip, p.published))
            except OSError as e:
                raise RunnerError(self._bind_error(p, e)) from None

    @staticmethod
    def _bind_error(p: PortBinding, e: Optional[OSError] = None) -> str:
        addr = f"[{p.host_ip}]" if ":" in p.host_ip else p.host_ip
        if e is None or e.errno == 98:  # EADDRINUSE
            return f"Bind for {addr}:{p.published} failed: port is already allocated"
        return f"Error starting userland proxy: listen {p.protocol} {addr}:{p.published}: bind: {e.strerror.lower()}"

    # network

    def _setup_network(self, ws: _Workspace) -> None:
        netns, veth, peer = self._names(ws.spec.key)
        ws.netns, ws.veth = netns, veth
        self._save()  # names first: a runner killed from here on leaves something cleanup finds
        _remove_network(netns, veth)  # a leftover of a killed runner using this state_dir
        with open(NET_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            used = set(re.findall(r"inet (10\.213\.\d+\.\d+)/", _run(["ip", "-o", "-4", "addr", "show"], "ip").stdout))
            for slot in range(NET_SLOTS):
                base = NET_BASE + 4 * slot
                host_ip, ns_ip = str(base + 1), str(base + 2)
                if host_ip not in used and ns_ip not in used:
                    break
            else:
                raise RunnerError("no free /30 left in 10.213.0.0/16")
            _run(["ip", "netns", "add", netns], "creating the network namespace")
            _run(["ip", "-batch", "-"], "creating the veth pair", stdin="\n".join([
                f"link add {veth} type veth peer name {peer} netns {netns}",
                f"addr add {host_ip}/30 dev {veth}",
                f"link set {veth} up",
            ]) + "\n")
        _run(["ip", "-n", netns, "-batch", "-"], "configuring the network namespace", stdin="\n".join([
            "link set lo up",
            f"link set {peer} name eth0",
            f"addr add {ns_ip}/30 dev eth0",
            "link set eth0 up",
        ]) + "\n")
        ws.host_ip, ws.ns_ip = host_ip, ns_ip

    # forwarders

    def _spawn_forwarder(self, listen: str, connect: str, what: str, check: tuple[str, int, str]) -> _Forwarder:
        env = _tool_env()
        env[MARKER_ENV] = self.state_dir
        proc = subprocess.Popen(["socat", listen, connect], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
        return _Forwarder(proc, _start_time(proc.pid), what, check)

    @staticmethod
    def _await_forwarders(forwarders: list[_Forwarder], timeout: float = 5.0) -> dict[int, str]:
        """Waits until each forwarder listens on its address; returns {index: error} for those that
        exited instead (the others are listening)."""
        failed: dict[int, str] = {}
        pending = dict(enumerate(forwarders))
        deadline = time.monotonic() + timeout
        delay = 0.0005
        while pending:
            tables: dict[tuple[str, int], dict] = {}
            for i, fwd in list(pending.items()):
                ip, port, protocol = fwd.check
                if fwd.proc.poll() is not None:
                    failed[i] = fwd.proc.stderr.read().decode(errors="replace").strip()
                    del pending[i]
                    continue
                table = tables.setdefault((protocol, _family(ip)), _listening_inodes(protocol, _family(ip)))
                mine = _socket_inodes(fwd.proc.pid)
                if any(inode in mine for (_addr, p), inodes in table.items() if p == port for inode in inodes):
                    del pending[i]
            if not pending:
                break
            if time.monotonic() > deadline:
                for i, fwd in pending.items():
                    failed[i] = f"socat did not listen on {fwd.check[0]}:{fwd.check[1]} within {timeout:.0f} s"
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.004)
        for fwd in forwarders:  # socat writes nothing more unless something goes wrong
            if fwd.proc.stderr:
                fwd.proc.stderr.close()
        return failed

    def _start_forwarders(self, ws: _Workspace) -> None:
        """Forwards the published ports and the Debian mirror; raises Docker's error for a port
        that something else holds. The forwarders started so far are in ws.forwarders either way."""
        spec = ws.spec
        for p in spec.ports:
            six = "6" if ":" in p.host_ip else ""
            bind = f"[{p.host_ip}]" if six else p.host_ip
            if p.protocol == "tcp":
                listen = f"TCP{six}-LISTEN:{p.published},bind={bind},fork,reuseaddr"
                connect = f"TCP4:{ws.ns_ip}:{p.target}"
            else:
                listen = f"UDP{six}-RECVFROM:{p.published},bind={bind},fork"
                connect = f"UDP4-SENDTO:{ws.ns_ip}:{p.target}"
            ws.forwarders.append(self._spawn_forwarder(listen, connect, f"{p.host_ip}:{p.published}",
                                                       (p.host_ip, p.published, p.protocol)))
        if self._mirror_host:
            ws.forwarders.append(self._spawn_forwarder(
                f"TCP4-LISTEN:{self._mirror_port},bind={ws.host_ip},fork,reuseaddr",
                f"TCP:{self._mirror_host}:{self._mirror_port}", "mirror", (ws.host_ip, self._mirror_port, "tcp")))
        self._save()
        failed = self._await_forwarders(ws.forwarders)
        for i in sorted(failed):
            if i < len(spec.ports):
                p = spec.ports[i]
                if "Address already in use" in failed[i]:
                    raise RunnerError(self._bind_error(p))
                raise RunnerError(f"Error starting userland proxy: {failed[i]}")
            raise RunnerError(f"forwarding the Debian mirror into the workspace: {failed[i]}")

    # process

    def _etc_files(self, ws: _Workspace) -> dict[str, str]:
        etc = os.path.join(ws.dir, "etc")
        os.makedirs(etc, exist_ok=True)
        key = ws.spec.key
        hosts = ("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                 "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
                 f"{ws.ns_ip}\t{key}\n")
        if self._mirror_host and not re.fullmatch(r"[\d.]+|\[?[0-9a-fA-F:]+\]?", self._mirror_host):
            hosts += f"# the Debian mirror, forwarded by the workspace runner\n{ws.host_ip}\t{self._mirror_host}\n"
        files = {
            "/etc/hosts": hosts,
            "/etc/hostname": key + "\n",
            # No DNS server is reachable: resolving other names fails at once instead of timing out.
            "/etc/resolv.conf": "# no DNS in the emulated workspace; /etc/hosts names the Debian mirror\n"
                                "options timeout:1 attempts:1\n",
        }
        result = {}
        for target, content in files.items():
            path = os.path.join(etc, os.path.basename(target))
            with open(path, "w") as f:
                f.write(content)
            result[target] = path
        return result

    def _mounts(self, spec: WorkspaceSpec) -> list[dict]:
        mounts = []
        for v in spec.volumes:
            if v.kind == "volume":
                source = self.volume_path(v.source)
                os.makedirs(source, exist_ok=True)
                mounts.append({"source": source, "target": v.target, "read_only": v.read_only, "copy_up": True})
            else:
                if not os.path.exists(v.source):
                    os.makedirs(v.source, exist_ok=True)  # as Docker does for a missing bind source
                mounts.append({"source": v.source, "target": v.target, "read_only": v.read_only, "copy_up": False})
        return mounts

    def _launch(self, ws: _Workspace, lower: str, argv: list[str]) -> None:
        spec = ws.spec
        upper, work, merged = (os.path.join(ws.dir, d) for d in ("upper", "work", "merged"))
        for d in (upper, work, merged):
            os.makedirs(d, exist_ok=True)
        os.chmod(upper, 0o755)
        cfg = {
            "rootfs": lower, "upper": upper, "work": work, "merged": merged,
            "hostname": spec.key, "etc_files": self._etc_files(ws), "mounts": self._mounts(spec),
            "argv": argv, "env": [list(kv) for kv in spec.env],
            "working_dir": spec.working_dir, "user": spec.user,
        }
        cfg_path = os.path.join(ws.dir, "config.marshal")  # read by _init.py, same interpreter
        with open(cfg_path, "wb") as f:
            marshal.dump(cfg, f)
        fifo = os.path.join(ws.dir, "status.fifo")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fifo)
        os.mkfifo(fifo, 0o600)
        status = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        log = open(self.log_path(spec.key), "ab")
        env = {MARKER_ENV: self.state_dir, "PATH": _TOOLS_PATH}
        try:
            ws.proc = subprocess.Popen(
                ["nsenter", f"--net=/run/netns/{ws.netns}", "--",
                 "unshare", "--pid", "--fork", "--kill-child", "--mount", "--uts", "--ipc", "--propagation", "private", "--",
                 sys.executable, "-I", "-S", _INIT, cfg_path, fifo],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True)
            log.close()
            data = _read_status(status, ws.proc, START_TIMEOUT)
        finally:
            log.close()
            os.close(status)
            os.unlink(fifo)
        lines = data.decode(errors="replace").splitlines()
        pid_line = next((l for l in lines if l.startswith("pid ")), None)
        ws.pid1 = int(pid_line[4:]) if pid_line else None
        error = next((l[6:] for l in lines if l.startswith("error ")), None)
        if error is None and pid_line is None:
            error = "the workspace's init did not start" + (f" (exit {ws.proc.poll()})" if ws.proc.poll() is not None else "")
        if error is not None:
            with open(self.log_path(spec.key), "ab") as f:
                f.write(f"workspace runner: {error}\n".encode())
            raise RunnerError("failed to create task for container: failed to create shim task: OCI runtime "
                              f"create failed: runc create failed: unable to start container process: {error}: unknown")
        proc = ws.proc
        threading.Thread(target=self._watch, args=(ws, proc), name=f"watch-{spec.key}", daemon=True).start()

    def _watch(self, ws: _Workspace, proc: subprocess.Popen) -> None:
        """Releases ports and network when the workspace's command ends by itself (as Docker
        does for an exited container)."""
        proc.wait()
        with ws.lock:
            if ws.proc is proc:
                ws.exit_code = proc.returncode
                self._teardown(ws, keep_proc=True)
        self._save()

    def _stop(self, ws: _Workspace) -> None:
        proc = ws.proc
        if proc is not None and proc.poll() is None and ws.pid1:
            with contextlib.suppress(ProcessLookupError):
                os.kill(ws.pid1, signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                if proc.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(ws.pid1, signal.SIGKILL)
        self._teardown(ws)
        self._save()

    def _teardown(self, ws: _Workspace, keep_proc: bool = False) -> None:
        """Stops the workspace's processes and forwarders and removes its network. Idempotent."""
        proc = ws.proc
        if proc is not None:
            if proc.poll() is None:
                if ws.pid1:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(ws.pid1, signal.SIGKILL)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:  # init never got to report: kill the wrapper
                    _kill_group(proc.pid, signal.SIGKILL)
                    proc.wait()
            if ws.exit_code is None:
                ws.exit_code = proc.returncode
        if not keep_proc:
            ws.proc = None
        for fwd in ws.forwarders:
            _kill_group(fwd.proc.pid, signal.SIGTERM)
        for fwd in ws.forwarders:
            try:
                fwd.proc.wait(2)
            except subprocess.TimeoutExpired:
                _kill_group(fwd.proc.pid, signal.SIGKILL)
                fwd.proc.wait()
            # forked children (one per connection) are in the same group: take them too
            _kill_group(fwd.proc.pid, signal.SIGKILL)
        ws.forwarders = []
        if ws.netns:
            _remove_network(ws.netns, ws.veth)
        ws.netns = ws.veth = ws.host_ip = ws.ns_ip = None

    def _remove_fs(self, ws: _Workspace) -> None:
        for d in ("upper", "work", "merged", "etc"):
            shutil.rmtree(os.path.join(ws.dir, d), ignore_errors=True)

    def _remove(self, ws: _Workspace, keep_log: bool = False) -> None:
        with ws.lock:
            self._stop(ws)
            shutil.rmtree(ws.dir, ignore_errors=True)
            if not keep_log:  # `docker rm` drops the logs; shutdown keeps them for a post-mortem
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.log_path(ws.spec.key))
        with self._lock:
            if self._ws.get(ws.spec.key) is ws:
                del self._ws[ws.spec.key]

    # state.json

    def _save(self) -> None:
        with self._lock:
            if self._closed:  # shutdown() removes the file; a late watcher must not write it again
                return
            data = {"runner_pid": os.getpid(), "runner_start": _start_time(os.getpid()), "workspaces": {}, "group_volumes":
                    {g: sorted(v) for g, v in self._group_volumes.items()}}
            for key, ws in self._ws.items():
                data["workspaces"][key] = {
                    "group": ws.spec.group, "netns": ws.netns, "veth": ws.veth,
                    "pid1": ws.pid1 if ws.proc is not None else None,
                    "pid1_start": _start_time(ws.pid1) if ws.pid1 and ws.proc is not None else None,
                    "forwarders": [[f.proc.pid, f.start_time] for f in ws.forwarders],
                }
            path = os.path.join(self.state_dir, "state.json")
            tmp = f"{path}.{threading.get_ident()}.tmp"
            with contextlib.suppress(FileNotFoundError):  # state_dir removed under us: nothing to record
                with open(tmp, "w") as f:
                    json.dump(data, f, indent=1)
                os.replace(tmp, path)


def _read_status(fd: int, proc: subprocess.Popen, timeout: float) -> bytes:
    """Reads the init's status fifo until the init closes it (exec or exit), the wrapper exits
    without the init ever writing, or `timeout` passes."""
    import select
    data = b""
    opened = False  # a fifo reports neither data nor EOF before its first writer
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return data + b"\nerror the workspace's init did not finish within %d s\n" % timeout
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                if opened:
                    return data
                # woken before any writer: cannot happen on Linux, but do not spin on it
                time.sleep(0.01)
            opened = True
            data += chunk
        elif not opened and proc.poll() is not None:
            return data


def _netns_pids(netns: str) -> list[int]:
    proc = _run(["ip", "netns", "pids", netns], "ip netns pids", check=False)
    return [int(x) for x in proc.stdout.split() if x.isdigit()]


def _remove_network(netns: Optional[str], veth: Optional[str]) -> None:
    """Kills whatever still runs in the netns, deletes the veth pair and the netns. Idempotent."""
    if netns and os.path.exists(f"/run/netns/{netns}"):
        for pid in _netns_pids(netns):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if veth and os.path.exists(f"/sys/class/net/{veth}"):
        _run(["ip", "link", "del", veth], "ip link del", check=False)
    if netns and os.path.exists(f"/run/netns/{netns}"):
        _run(["ip", "netns", "del", netns], "ip netns del", check=False)


def cleanup(state_dir: str) -> list[str]:
    """Removes what a runner using `state_dir` left (it was killed): its processes, network
    namespaces, veth pairs, any mount under the folder, workspaces and volumes. Returns what it
    did, one line per thing."""
    state_dir = os.path.realpath(state_dir)
    done: list[str] = []
    try:
        with open(os.path.join(state_dir, "state.json")) as f:
            state = json.load(f)
    except (OSError, ValueError):
        state = {"workspaces": {}}
    # 1. Workspace PID 1s (their PID namespace dies with them) and everything in their netns.
    for key, ws in state.get("workspaces", {}).items():
        pid, start = ws.get("pid1"), ws.get("pid1_start")
        if pid and start and _start_time(pid) == start:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                done.append(f"killed PID 1 of {key} ({pid})")
        for fpid, fstart in ws.get("forwarders", []):
            if fstart and _start_time(fpid) == fstart:
                _kill_group(fpid, signal.SIGKILL)
                done.append(f"killed forwarder {fpid} of {key}")
    # 2. Every process started with this state_dir's marker (forwarders, wrappers, inits).
    marker = f"{MARKER_ENV}={state_dir}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if marker in env:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry), signal.SIGKILL)
                done.append(f"killed process {entry}")
    # 3. Networks: recorded ones and those named after this state_dir's workspaces.
    names = set()
    for key, ws in state.get("workspaces", {}).items():
        names.add(workspace_names(state_dir, key)[:2])
        if ws.get("netns"):
            names.add((ws["netns"], ws.get("veth")))
    with contextlib.suppress(OSError):
        for key in os.listdir(os.path.join(state_dir, "ws")):
            names.add(workspace_names(state_dir, key)[:2])
    for netns, veth in sorted(names, key=str):
        existed = os.path.exists(f"/run/netns/{netns}") or (veth and os.path.exists(f"/sys/class/net/{veth}"))
        _remove_network(netns, veth)
        if existed:
            done.append(f"removed network {netns}")
    # 4. Mounts under state_dir (none are made on the host, but be sure), deepest first.
    with contextlib.suppress(OSError), open("/proc/self/mounts") as f:
        points = [line.split()[1].replace("\\040", " ") for line in f]
    for point in sorted((p for p in points if p == state_dir or p.startswith(state_dir + "/")), reverse=True):
        _run(["umount", "-l", point], "umount", check=False)
        done.append(f"unmounted {point}")
    # 5. Files: workspaces, volumes, state; the logs stay for the post-mortem.
    for sub in ("ws", "volumes"):
        path = os.path.join(state_dir, sub)
        if os.path.exists(path):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(state_dir, "state.json"))
    return done
