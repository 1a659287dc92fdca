"""Builds and caches the Debian root filesystems that workspaces run in (the emulator's "images").

A rootfs is made once per recipe with `debootstrap --variant=minbase` from the host's own Debian
mirror, outside the project tree, in `${DPP_TEST_CACHE:-/var/cache/dokploy-provider-tests}/rootfs/
<variant>-<hash of the recipe>/`. It is built in a temporary folder beside it and renamed into place
(rename is atomic, so a folder under its final name is always complete), under an `flock` so that
concurrent test processes build it once. Workspaces only ever mount it read-only (overlayfs lower).

Variants:
- full: minbase + openssh-server sudo curl ca-certificates: what the provider's workspace bootstrap
  needs, so it finds them present and starts without network.
- bare: minbase only: the bootstrap must install them with apt from the mirror, which the workspace
  reaches through the runner (see runner.py); /etc/apt/sources.list points at the host's mirror.

Both carry /usr/sbin/policy-rc.d (exit 101), as Docker's Debian images do, so installing a daemon
never starts it; apt's caches and package lists are emptied, as in Docker's images.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from typing import Optional

from .api import RunnerError

SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Bump when the build steps below change in a way the recipe fields do not capture.
RECIPE_VERSION = 1

VARIANTS: dict[str, tuple[str, ...]] = {
    "full": ("openssh-server", "sudo", "curl", "ca-certificates"),
    "bare": (),
}

_CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def cache_root() -> str:
    return os.environ.get("DPP_TEST_CACHE") or "/var/cache/dokploy-provider-tests"


def host_mirror() -> str:
    """The Debian mirror the host's apt uses for the main archive (deb822 first, then the one-line
    format), falling back to deb.debian.org."""
    deb822 = "/etc/apt/sources.list.d/debian.sources"
    try:
        with open(deb822, encoding="utf-8") as f:
            text = f.read()
        for stanza in re.split(r"\n\s*\n", text):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line[:1].isspace():
                    continue
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
            suites = fields.get("suites", "").split()
            uris = fields.get("uris", "").split()
            if uris and "deb" in fields.get("types", "deb").split() and SUITE in suites:
                return uris[0].rstrip("/")
    except OSError:
        pass
    try:
        with open("/etc/apt/sources.list", encoding="utf-8") as f:
            for line in f:
                parts = line.split("#", 1)[0].split()
                if len(parts) >= 3 and parts[0] == "deb":
                    rest = [p for p in parts[1:] if not p.startswith("[")]
                    # drop "[opt=val ...]" blocks that span several words
                    rest = [p for p in rest if not p.endswith("]")]
                    if len(rest) >= 2 and rest[1] == SUITE:
                        return rest[0].rstrip("/")
    except OSError:
        pass
    return DEFAULT_MIRROR


def recipe(variant: str, mirror: Optional[str] = None) -> dict:
    if variant not in VARIANTS:
        raise RunnerError(f"unknown rootfs variant {variant!r} (known: {', '.join(sorted(VARIANTS))})")
    return {
        "version": RECIPE_VERSION,
        "variant": variant,
        "suite": SUITE,
        "mirror": mirror or host_mirror(),
        "include": list(VARIANTS[variant]),
        "arch": os.uname().machine,
    }


def rootfs_path(variant: str, mirror: Optional[str] = None) -> str:
    r = recipe(variant, mirror)
    digest = hashlib.sha256(json.dumps(r, sort_keys=True).encode()).hexdigest()[:12]
    return os.path.join(cache_root(), "rootfs", f"{variant}-{digest}")


def cached(variant: str) -> Optional[str]:
    """The rootfs path when it is already built, else None (never builds)."""
    path = rootfs_path(variant)
    return path if os.path.isdir(path) else None


def ensure_rootfs(variant: str, log=None) -> str:
    """Returns the path of the built rootfs for `variant`, building it first when needed."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    r = recipe(variant)
    final = rootfs_path(variant)
    if os.path.isdir(final):
        return final
    parent = os.path.dirname(final)
    os.makedirs(parent, exist_ok=True)
    name = os.path.basename(final)
    with open(os.path.join(parent, f".{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(final):  # another process built it while we waited
            return final
        for stale in os.listdir(parent):  # left by builders that died: we hold the lock
            if stale.startswith(f".{name}.tmp."):
                _remove_tree(os.path.join(parent, stale))
        tmp = os.path.join(parent, f".{name}.tmp.{os.getpid()}")
        started = time.monotonic()
        log(f"building rootfs {variant} from {r['mirror']} into {final} (once; takes minutes)")
        try:
            _build(tmp, r, log)
            os.rename(tmp, final)
            with open(final + ".recipe.json", "w") as f:  # for people wondering what it is
                json.dump(r, f, indent=1)
        except BaseException:
            _remove_tree(tmp)
            raise
        took = time.monotonic() - started
        log(f"built rootfs {variant} in {took:.1f} s, {_du_mib(final):.0f} MiB: {final}")
        return final


def _run(argv: list[str], log, what: str) -> None:
    """Runs a build step with a clean environment; its output goes to our stderr only on failure."""
    env = {"PATH": _CLEAN_PATH, "LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"}
    proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace", preexec_fn=_die_with_parent)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise RunnerError(f"rootfs build failed at {what} (exit {proc.returncode}):\n{tail}")


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL it when the builder dies (the call blocks the builder's
    thread until the step ends, so that thread outlives the child); `unshare --kill-child` then
    takes the whole namespace, so a killed build leaves no process writing into the tmp folder."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL


def _build(tmp: str, r: dict, log) -> None:
    for tool in ("debootstrap", "unshare", "chroot"):
        if not shutil.which(tool, path=_CLEAN_PATH):
            raise RunnerError(f"rootfs build needs {tool} (apt-get install -y debootstrap util-linux)")
    # A private mount namespace and PID namespace: whatever debootstrap or a package's maintainer
    # script mounts or starts disappears with the namespace, also when the build fails.
    ns = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--"]
    t0 = time.monotonic()
    _run(ns + ["debootstrap", "--variant=minbase", "--components=main", r["suite"], tmp, r["mirror"]],
         log, "debootstrap")
    log(f"  debootstrap minbase: {time.monotonic() - t0:.1f} s")
    policy = os.path.join(tmp, "usr/sbin/policy-rc.d")
    with open(policy, "w") as f:
        f.write("#!/bin/sh\n# Like Docker's Debian images: never start services from maintainer scripts.\nexit 101\n")
    os.chmod(policy, 0o755)
    with open(os.path.join(tmp, "etc/apt/sources.list"), "w") as f:
        f.write(f"deb {r['mirror']} {r['suite']} main\n")
    steps = []
    if r["include"]:
        steps.append("apt-get -q update")
        steps.append("apt-get -q install -y --no-install-recommends " + " ".join(r["include"]))
    steps.append("apt-get clean")
    script = (
        "set -e; mount -t proc proc \"$1/proc\"; "
        + "; ".join(f"chroot \"$1\" {s}" for s in steps)
    )
    t0 = time.monotonic()
    _run(ns + ["sh", "-c", script, "sh", tmp], log, "apt-get install")
    if r["include"]:
        log(f"  apt-get install {' '.join(r['include'])}: {time.monotonic() - t0:.1f} s")
    # Keep it small and neutral, like a Docker image: no package lists, no caches, no logs of the
    # build, nothing in /run or /tmp; hostname/hosts/resolv.conf are provided per workspace.
    for sub in ("var/lib/apt/lists", "var/cache/apt", "var/cache/debconf", "run", "tmp", "var/log"):
        d = os.path.join(tmp, sub)
        if not os.path.isdir(d):
            continue
        for entry in os.listdir(d):
            p = os.path.join(d, entry)
            if sub == "var/lib/apt/lists" and entry in ("partial", "lock"):
                continue
            if sub == "var/cache/debconf" and not entry.endswith("-old"):
                continue
            if sub == "var/log" and os.path.isdir(p) and not os.path.islink(p):
                continue  # keep e.g. var/log/apt/ (folders packages expect), drop the files
            _remove_tree(p)
    for name, content in (("etc/hostname", "localhost\n"), ("etc/resolv.conf", ""),
                          ("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")):
        p = os.path.join(tmp, name)
        if os.path.islink(p):
            os.unlink(p)
        with open(p, "w") as f:
            f.write(content)
    os.chmod(tmp, 0o755)


def _remove_tree(path: str) -> None:
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
        if os.path.exists(path):  # e.g. immutable leftovers: let rm report it
            subprocess.run(["rm", "-rf", "--one-file-system", path], check=False)


def _du_mib(path: str) -> float:
    proc = subprocess.run(["du", "-sxm", path], stdout=subprocess.PIPE, text=True, check=False)
    try:
        return float(proc.stdout.split()[0])
    except (IndexError, ValueError):
        return 0.0
