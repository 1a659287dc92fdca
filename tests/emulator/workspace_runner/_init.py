"""The first process of a workspace: sets up its filesystem and execs the workspace's command as
PID 1 of its PID namespace (what runc's init does for Docker).

Started by runner.py as `nsenter --net=<netns> unshare --pid --fork --mount --uts --ipc
--propagation private -- python3 -I -S _init.py CONFIG STATUS_FIFO`, CONFIG being a marshal'd
dict written by the runner (the same interpreter), so it already runs in the
workspace's network, PID (as PID 1), mount, UTS and IPC namespaces, with the host's /proc still
mounted (which is how it learns its PID as the host sees it). Everything it mounts lives in the
private mount namespace and disappears with the workspace's last process: nothing to unmount on
the host, even when the runner is killed.

Protocol on STATUS_FIFO (a named pipe the runner reads; a named one because `unshare --fork` would
keep an inherited pipe open): `pid <host pid>\n`, then either `error <message>\n` and exit 127, or
nothing and the pipe closes on the successful exec of the command (it is opened close-on-exec).

Standard library only, no package imports: it runs from its path with -I -S for a quick start.
"""
import ctypes
import errno
import marshal  # the config: built in, so no json/re imports on the start path
import os
import signal
import stat
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC = 32, 4096, 16384

_libc = ctypes.CDLL(None, use_errno=True)


class InitError(Exception):
    pass


def _mount(source, target, fstype, flags=0, data=None):
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    if _libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        e = ctypes.get_errno()
        raise InitError(f"mount {fstype or 'bind'} {source} on {target}: {os.strerror(e)}")


def _inside(root, path):
    """`path` (absolute, of the workspace) under the host-side `root`, refusing to follow a
    symlink out of it: components that are symlinks are resolved against `root`."""
    parts = [p for p in path.split("/") if p and p != "."]
    resolved = root
    depth = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            resolved = os.path.dirname(resolved) if resolved != root else root
            continue
        candidate = os.path.join(resolved, part)
        if os.path.islink(candidate):
            depth += 1
            if depth > 40:
                raise InitError(f"too many levels of symbolic links in {path}")
            link = os.readlink(candidate)
            if link.startswith("/"):
                resolved = root
            parts = [p for p in link.split("/") if p and p != "."] + parts
            continue
        resolved = candidate
    return resolved


def _make_mountpoint(path, is_dir):
    if is_dir:
        os.makedirs(path, exist_ok=True)
    elif not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "a").close()


def _setup_dev(dev):
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=755,size=65536k")
    for name, major, minor in (("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8),
                               ("urandom", 1, 9), ("tty", 5, 0)):
        path = os.path.join(dev, name)
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
        os.chmod(path, 0o666)  # the umask applied to mknod
    os.mkdir(os.path.join(dev, "pts"), 0o755)
    _mount("devpts", os.path.join(dev, "pts"), "devpts", MS_NOSUID | MS_NOEXEC,
           "newinstance,ptmxmode=0666,mode=0620,gid=5")
    os.symlink("pts/ptmx", os.path.join(dev, "ptmx"))
    os.mkdir(os.path.join(dev, "shm"), 0o1777)
    _mount("shm", os.path.join(dev, "shm"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k")
    os.mkdir(os.path.join(dev, "mqueue"), 0o755)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
                         ("core", "/proc/kcore")):
        os.symlink(target, os.path.join(dev, name))


def _read_db(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n").split(":") for line in f if line.strip() and not line.startswith("#")]
    except OSError:
        return []


def _resolve_user(user):
    """Docker's `user` (name|uid[:group|gid]) against the workspace's /etc/passwd and /etc/group:
    (uid, gid, supplementary gids, home)."""
    passwd, groups = _read_db("/etc/passwd"), _read_db("/etc/group")
    name, _, group = (user or "").partition(":")
    uid, gid, home, username = 0, 0, "/", "root"
    if name:
        entry = next((e for e in passwd if len(e) >= 7 and (e[0] == name or (name.isdigit() and e[2] == name))), None)
        if entry is not None:
            username, uid, gid, home = entry[0], int(entry[2]), int(entry[3]), entry[5] or "/"
        elif name.isdigit():
            username, uid, gid, home = None, int(name), 0, "/"
        else:
            raise InitError(f"unable to find user {name}: no matching entries in passwd file")
    else:
        entry = next((e for e in passwd if len(e) >= 7 and e[2] == "0"), None)
        if entry is not None:
            home = entry[5] or "/"
    if group:
        g = next((e for e in groups if len(e) >= 3 and (e[0] == group or (group.isdigit() and e[2] == group))), None)
        if g is not None:
            gid = int(g[2])
        elif group.isdigit():
            gid = int(group)
        else:
            raise InitError(f"unable to find group {group}: no matching entries in group file")
    extra = []
    if username is not None and not group:
        extra = [int(e[2]) for e in groups if len(e) >= 4 and username in e[3].split(",")]
    return uid, gid, sorted(set(extra) - {gid}), home


def _find_executable(name, path_env):
    if "/" in name:
        return name
    for d in (path_env or "").split(":"):
        candidate = os.path.join(d or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise InitError(f'exec: "{name}": executable file not found in $PATH')


def _environment(cfg, home):
    """Docker's order: PATH, HOSTNAME, then the container's variables (replacing those two in
    place when they set them); runc adds HOME from the user's passwd entry when absent."""
    env = [["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], ["HOSTNAME", cfg["hostname"]]]
    for k, v in cfg["env"]:
        for pair in env:
            if pair[0] == k:
                pair[1] = v
                break
        else:
            env.append([k, v])
    if not any(k == "HOME" for k, _ in env):
        env.append(["HOME", home])
    return env


def setup_and_exec(cfg, status):
    merged = cfg["merged"]
    _mount("overlay", merged, "overlay", 0,
           f"lowerdir={cfg['rootfs']},upperdir={cfg['upper']},workdir={cfg['work']}")
    for sub in ("proc", "sys", "dev"):
        os.makedirs(os.path.join(merged, sub), exist_ok=True)
    _mount("proc", os.path.join(merged, "proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount("sysfs", os.path.join(merged, "sys"), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _setup_dev(os.path.join(merged, "dev"))
    for target, source in cfg["etc_files"].items():
        path = _inside(merged, target)
        if os.path.islink(path) or (os.path.exists(path) and not os.path.isfile(path)):
            raise InitError(f"{target} in the image is not a regular file")
        _make_mountpoint(path, is_dir=False)
        _mount(source, path, None, MS_BIND)
    for m in cfg["mounts"]:
        path = _inside(merged, m["target"])
        src_is_dir = os.path.isdir(m["source"])
        if m.get("copy_up") and src_is_dir and not os.listdir(m["source"]) and os.path.isdir(path) \
                and not os.path.islink(path) and os.listdir(path):
            # Docker fills an empty named volume with what the image has at its mount point.
            import subprocess
            if subprocess.run(["cp", "-a", "--", path + "/.", m["source"]]).returncode != 0:
                raise InitError(f"copying {m['target']} of the image into its volume failed")
            st = os.stat(path)
            os.chown(m["source"], st.st_uid, st.st_gid)
            os.chmod(m["source"], stat.S_IMODE(st.st_mode))
        _make_mountpoint(path, is_dir=src_is_dir)
        _mount(m["source"], path, None, MS_BIND | MS_REC)
        if m.get("read_only"):
            _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY)
    host = cfg["hostname"].encode()[:64]
    if _libc.sethostname(host, len(host)) != 0:
        raise InitError(f"sethostname: {os.strerror(ctypes.get_errno())}")

    os.chroot(merged)
    os.chdir("/")
    uid, gid, extra_gids, home = _resolve_user(cfg.get("user"))
    env = _environment(cfg, home)
    if cfg.get("working_dir"):
        os.makedirs(cfg["working_dir"], exist_ok=True)
        os.chdir(cfg["working_dir"])
    argv = cfg["argv"]
    path_env = next((v for k, v in env if k == "PATH"), "")
    executable = _find_executable(argv[0], path_env)

    os.setgroups(extra_gids)
    os.setgid(gid)
    os.setuid(uid)
    os.umask(0o022)
    for sig in range(1, signal.NSIG):
        if sig in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    os.closerange(3, status)
    os.closerange(status + 1, 65536)  # the status fifo is close-on-exec: the runner reads EOF
    try:
        os.execve(executable, argv, {k: v for k, v in env})
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise InitError(f'exec: "{argv[0]}": stat {executable}: no such file or directory') from None
        raise InitError(f'exec: "{argv[0]}": {os.strerror(e.errno).lower()}') from None


def main():
    cfg_path = sys.argv[1]
    # Non-blocking: when the runner gave up waiting (no reader), fail instead of hanging.
    status = os.open(sys.argv[2], os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    os.write(status, f"pid {os.readlink('/proc/self')}\n".encode())
    try:
        with open(cfg_path, "rb") as f:
            cfg = marshal.load(f)
        setup_and_exec(cfg, status)
    except (InitError, OSError, ValueError, EOFError) as e:
        msg = str(e).replace("\n", " ")
        try:
            os.write(status, f"error {msg}\n".encode())
        except OSError:
            pass
        os._exit(127)


if __name__ == "__main__":
    main()
