"""The workspace runner makes workspaces real: a cached Debian rootfs under overlayfs, in its own
namespaces, with published ports on loopback. Needs root, debootstrap and the Debian mirror for the
first rootfs build (minutes; later runs reuse the cache); otherwise prints SKIPPED and skips."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, EMULATOR_DIR)

from workspace_runner import rootfs  # noqa: E402
from workspace_runner import runner as runner_mod  # noqa: E402
from workspace_runner.api import PortBinding, RunnerError, VolumeMount, WorkspaceSpec  # noqa: E402
from workspace_runner.runner import MARKER_ENV, WorkspaceRunner, workspace_names  # noqa: E402

SSHD_CONFIG = "Port 22\nHostKey /root/hostkey\nPidFile none\nUsePAM no\nLogLevel INFO\n"
# A generated host key (a file the workspace writes), then sshd as PID 1.
SSHD = ("test -f /root/hostkey || ssh-keygen -q -t ed25519 -N '' -f /root/hostkey; "
        "mkdir -p /run/sshd; exec /usr/sbin/sshd -D -e -f /etc/dpptest/sshd_config")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_skip_reason = None


def setUpModule():
    global _skip_reason
    _skip_reason = WorkspaceRunner.available()
    if _skip_reason is None:
        try:
            for variant in ("full", "bare"):
                rootfs.ensure_rootfs(variant)
        except RunnerError as e:
            _skip_reason = f"cannot build the Debian rootfs: {e}"
    if _skip_reason:
        print(f"SKIPPED: {_skip_reason}", file=sys.stderr)


def free_port(ip="127.0.0.1"):
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def banner(ip, port, timeout=10.0):
    """The SSH server's greeting through the published port, or None after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((ip, port), timeout=2) as s:
                s.settimeout(2)
                data = s.recv(200)
                if data.startswith(b"SSH-"):
                    return data.split(b"\r\n")[0].decode()
        except OSError:
            pass
        time.sleep(0.01)
    return None


def refused(ip, port):
    try:
        with socket.create_connection((ip, port), timeout=2):
            return False
    except OSError:
        return True


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def marker_pids(state_dir):
    marker = f"{MARKER_ENV}={os.path.realpath(state_dir)}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def netns_list():
    out = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def leftovers(state_dir, netns_names=()):
    """What a runner with `state_dir` left behind: mounts, netns, veth, processes, workspace files."""
    found = []
    real = os.path.realpath(state_dir)
    with open("/proc/mounts") as f:
        found += [f"mount {line.split()[1]}" for line in f if real in line]
    found += [f"netns {n}" for n in set(netns_names) & netns_list()]
    found += [f"veth {n}" for n in os.listdir("/sys/class/net") if n.startswith("dpph")
              and ("dpp-" + n[4:]) in set(netns_names)]
    found += [f"process {p}" for p in marker_pids(state_dir)]
    for sub in ("ws", "volumes"):
        path = os.path.join(state_dir, sub)
        if os.path.isdir(path) and os.listdir(path):
            found.append(f"files in {path}: {os.listdir(path)}")
    return found


class _RunnerCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if _skip_reason:
            raise unittest.SkipTest(_skip_reason)
        cls.tmp = tempfile.mkdtemp(prefix="dpp-runner-test-")
        cls.cfg = os.path.join(cls.tmp, "sshd")
        os.makedirs(cls.cfg)
        with open(os.path.join(cls.cfg, "sshd_config"), "w") as f:
            f.write(SSHD_CONFIG)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sshd_spec(self, key, ports=(), prefix="", volumes=(), **kw):
        return WorkspaceSpec(key=key, group=kw.pop("group", key), image=kw.pop("image", "debian:bookworm"),
                             entrypoint=("/bin/sh", "-c"), command=(prefix + SSHD,), ports=tuple(ports),
                             volumes=(VolumeMount(self.cfg, "/etc/dpptest", "bind", True),) + tuple(volumes), **kw)


class WorkspaceRunnerTest(_RunnerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state = os.path.join(cls.tmp, "state")
        cls.runner = WorkspaceRunner(cls.state)
        cls.netns = set()
        # `sleep` as PID 1 ignores SIGTERM (as in Docker): do not wait Docker's 10 s for it each time
        cls.saved_stop_timeout = runner_mod.STOP_TIMEOUT
        runner_mod.STOP_TIMEOUT = 0.5

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, "runner"):
            runner_mod.STOP_TIMEOUT = cls.saved_stop_timeout
            cls.runner.shutdown()
            left = leftovers(cls.state, cls.netns)
            super().tearDownClass()
            assert not left, f"shutdown left {left}"

    def up(self, spec):
        self.netns.add(self.runner._names(spec.key)[0])
        self.runner.up(spec)

    def upper(self, key, path):
        with open(os.path.join(self.runner.upper_path(key), path.lstrip("/"))) as f:
            return f.read()

    def test_published_port_reaches_sshd_on_127_0_0_1_and_127_0_0_2(self):
        port = free_port()
        spec = self.sshd_spec("ports-ws-1", ports=[PortBinding(port, 22), PortBinding(port, 22, host_ip="127.0.0.2")])
        t0 = time.monotonic()
        self.up(spec)
        took_up = time.monotonic() - t0
        self.assertRegex(banner("127.0.0.1", port) or "", r"^SSH-2\.0-OpenSSH")
        took_ready = time.monotonic() - t0
        self.assertRegex(banner("127.0.0.2", port) or "", r"^SSH-2\.0-OpenSSH")
        print(f"\n  up() {took_up * 1000:.0f} ms, sshd answering {took_ready * 1000:.0f} ms after up()", file=sys.stderr)
        self.assertEqual(self.runner.state(spec.key), "running")
        self.runner.remove_group(spec.group, remove_volumes=True)
        self.assertEqual(self.runner.state(spec.key), "missing")
        self.assertTrue(refused("127.0.0.1", port))

    def test_command_is_pid_1_of_its_own_pid_namespace(self):
        port = free_port()
        spec = self.sshd_spec("pid1-ws-1", ports=[PortBinding(port, 22)], prefix="echo $$ > /root/pid; ")
        self.up(spec)
        self.assertIsNotNone(banner("127.0.0.1", port))
        self.assertEqual(self.upper(spec.key, "/root/pid"), "1\n")
        pid = self.runner.info(spec.key)["pid"]
        with open(f"/proc/{pid}/comm") as f:
            self.assertEqual(f.read().strip(), "sshd")
        with open(f"/proc/{pid}/status") as f:
            nspid = next(line for line in f if line.startswith("NSpid:")).split()[1:]
        self.assertEqual(nspid, [str(pid), "1"])
        self.assertNotEqual(os.readlink(f"/proc/{pid}/ns/net"), os.readlink("/proc/self/ns/net"))
        self.assertNotEqual(os.readlink(f"/proc/{pid}/ns/mnt"), os.readlink("/proc/self/ns/mnt"))
        self.runner.remove_group(spec.group, remove_volumes=True)

    def test_environment_is_exactly_docker_s_and_nothing_of_the_host(self):
        os.environ["DPP_LEAK_CANARY"] = "from-the-host"
        try:
            spec = WorkspaceSpec(key="env-ws-1", group="env-ws-1", image="debian:bookworm", command=("sleep", "1000"),
                                 env=(("FOO", "a b"), ("EMPTY", ""), ("HOSTNAME", "custom")),
                                 user="nobody", working_dir="/tmp/wd")
            self.up(spec)
            plain = WorkspaceSpec(key="env-ws-2", group="env-ws-1", image="debian:bookworm", command=("sleep", "1000"))
            self.up(plain)
        finally:
            del os.environ["DPP_LEAK_CANARY"]
        pid = self.runner.info(spec.key)["pid"]
        with open(f"/proc/{pid}/environ", "rb") as f:
            environ = [e.decode() for e in f.read().split(b"\0") if e]
        # Docker's order: PATH and HOSTNAME first (a variable of the spec replaces them in place),
        # then the spec's, then HOME from the user's passwd entry (runc).
        self.assertEqual(environ, [f"PATH={DEFAULT_PATH}", "HOSTNAME=custom", "FOO=a b", "EMPTY=", "HOME=/nonexistent"])
        with open(f"/proc/{self.runner.info(plain.key)['pid']}/environ", "rb") as f:
            environ = [e.decode() for e in f.read().split(b"\0") if e]
        self.assertEqual(environ, [f"PATH={DEFAULT_PATH}", "HOSTNAME=env-ws-2", "HOME=/root"])
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.split(":", 1) for line in f)
        self.assertEqual(status["Uid"].split()[0], "65534")
        self.assertEqual(status["Gid"].split()[0], "65534")
        self.assertTrue(os.path.isdir(os.path.join(self.runner.upper_path(spec.key), "tmp/wd")))  # created
        self.runner.remove_group(spec.group, remove_volumes=True)

    def test_files_survive_stop_and_start(self):
        port = free_port()
        spec = self.sshd_spec("restart-ws-1", ports=[PortBinding(port, 22)],
                              prefix="echo started >> /root/starts; hostname > /root/hostname; ")
        self.up(spec)
        key_before = banner("127.0.0.1", port) and self.upper(spec.key, "/root/hostkey.pub")
        self.assertTrue(key_before)
        self.assertEqual(self.upper(spec.key, "/root/hostname"), "restart-ws-1\n")
        self.runner.stop(spec.key)
        self.assertEqual(self.runner.state(spec.key), "exited")
        self.assertTrue(refused("127.0.0.1", port))
        self.assertEqual(self.upper(spec.key, "/root/starts"), "started\n")
        self.runner.start(spec.key)
        self.assertIsNotNone(banner("127.0.0.1", port))
        self.assertEqual(self.upper(spec.key, "/root/starts"), "started\nstarted\n")
        self.assertEqual(self.upper(spec.key, "/root/hostkey.pub"), key_before)
        # up() with the same spec: nothing happens to a running workspace
        pid = self.runner.info(spec.key)["pid"]
        self.up(spec)
        self.assertEqual(self.runner.info(spec.key)["pid"], pid)
        # and it starts a stopped one, files kept
        self.runner.stop(spec.key)
        self.up(spec)
        self.assertIsNotNone(banner("127.0.0.1", port))
        self.assertEqual(self.upper(spec.key, "/root/starts"), "started\n" * 3)
        self.runner.remove_group(spec.group, remove_volumes=True)
        self.assertFalse(os.path.exists(self.runner.upper_path(spec.key)))
        with self.assertRaisesRegex(RunnerError, "No such container: restart-ws-1"):
            self.runner.start(spec.key)

    def test_changed_spec_recreates_the_container_and_keeps_named_volumes(self):
        port = free_port()
        vol = VolumeMount("recreate_home", "/home")
        spec = self.sshd_spec("recreate-ws-1", group="recreate", ports=[PortBinding(port, 22)], volumes=[vol],
                              prefix="echo x >> /root/starts; echo y >> /home/log; ")
        self.up(spec)
        self.assertIsNotNone(banner("127.0.0.1", port))
        changed = self.sshd_spec("recreate-ws-1", group="recreate", ports=[PortBinding(port, 22)], volumes=[vol],
                                 prefix="echo x >> /root/starts; echo y >> /home/log; ", env=(("V", "2"),))
        self.up(changed)
        self.assertIsNotNone(banner("127.0.0.1", port))
        self.assertEqual(self.upper(spec.key, "/root/starts"), "x\n")  # a fresh container
        volume = self.runner.volume_path("recreate_home")
        with open(os.path.join(volume, "log")) as f:
            self.assertEqual(f.read(), "y\ny\n")
        self.runner.remove_group("recreate", remove_volumes=False)
        self.assertEqual(self.runner.state(spec.key), "missing")
        self.assertTrue(os.path.isdir(volume))
        self.up(changed)
        self.assertIsNotNone(banner("127.0.0.1", port))
        with open(os.path.join(volume, "log")) as f:
            self.assertEqual(f.read(), "y\ny\ny\n")
        self.runner.remove_group("recreate", remove_volumes=True)
        self.assertFalse(os.path.exists(volume))

    def test_empty_named_volume_is_filled_from_the_image(self):
        spec = WorkspaceSpec(key="copyup-ws-1", group="copyup", image="debian:bookworm", command=("true",),
                             volumes=(VolumeMount("copyup_etc_ssh", "/etc/ssh"),))
        self.up(spec)
        self.assertTrue(os.path.isfile(os.path.join(self.runner.volume_path("copyup_etc_ssh"), "sshd_config")))
        self.runner.remove_group("copyup", remove_volumes=True)

    def test_taken_port_raises_docker_s_error_and_leaves_nothing(self):
        taken, other = free_port(), free_port()
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", taken))
            s.listen()
            before = set(marker_pids(self.state))
            spec = self.sshd_spec("taken-ws-1", ports=[PortBinding(other, 22), PortBinding(taken, 22)])
            with self.assertRaises(RunnerError) as cm:
                self.up(spec)
            self.assertEqual(str(cm.exception), f"Bind for 127.0.0.1:{taken} failed: port is already allocated")
            self.assertEqual(set(marker_pids(self.state)) - before, set())
            self.assertNotIn(self.runner._names(spec.key)[0], netns_list())
            self.assertFalse(os.path.exists(f"/sys/class/net/{self.runner._names(spec.key)[1]}"))
            with socket.socket() as probe:  # the other port was not kept either
                probe.bind(("127.0.0.1", other))
            self.assertNotEqual(self.runner.state(spec.key), "running")
        self.runner.remove_group(spec.group, remove_volumes=True)

    def test_port_held_by_another_workspace_is_already_allocated(self):
        port = free_port()
        first = self.sshd_spec("clash-ws-1", group="clash", ports=[PortBinding(port, 22)])
        self.up(first)
        with self.assertRaisesRegex(RunnerError, f"^Bind for 127.0.0.1:{port} failed: port is already allocated$"):
            self.up(self.sshd_spec("clash-ws-2", group="clash", ports=[PortBinding(port, 22)]))
        self.assertIsNotNone(banner("127.0.0.1", port))
        self.runner.remove_group("clash", remove_volumes=True)

    def test_a_command_that_ends_releases_its_ports(self):
        port = free_port()
        spec = WorkspaceSpec(key="exit-ws-1", group="exit", image="debian:bookworm",
                             command=("sh", "-c", "exit 3"), ports=(PortBinding(port, 22),))
        self.up(spec)
        self.assertTrue(wait_for(lambda: self.runner.state(spec.key) == "exited"))
        self.assertEqual(self.runner.info(spec.key)["exit_code"], 3)
        self.assertTrue(wait_for(lambda: self.runner.info(spec.key)["netns"] is None))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", port))
        self.runner.remove_group("exit", remove_volumes=True)

    def test_missing_executable_fails_like_docker(self):
        with self.assertRaisesRegex(RunnerError, r'exec: "nope": executable file not found in \$PATH'):
            self.up(WorkspaceSpec(key="noexec-ws-1", group="noexec", image="debian:bookworm", command=("nope",)))
        with self.assertRaisesRegex(RunnerError, r'exec: "/nope": stat /nope: no such file or directory'):
            self.up(WorkspaceSpec(key="noexec-ws-1", group="noexec", image="debian:bookworm", command=("/nope",)))
        self.assertEqual(self.runner.state("noexec-ws-1"), "exited")
        self.runner.remove_group("noexec", remove_volumes=True)

    def test_stop_kills_a_command_that_ignores_sigterm_after_the_timeout(self):
        spec = WorkspaceSpec(key="sleep-ws-1", group="sleep", image="debian:bookworm", command=("sleep", "1000"))
        self.up(spec)
        t0 = time.monotonic()
        self.runner.stop(spec.key)
        took = time.monotonic() - t0
        self.assertGreaterEqual(took, runner_mod.STOP_TIMEOUT)
        self.assertLess(took, runner_mod.STOP_TIMEOUT + 3)
        self.assertEqual(self.runner.state(spec.key), "exited")
        self.runner.remove_group("sleep", remove_volumes=True)

    def test_stop_of_a_command_that_handles_sigterm_is_immediate(self):
        port = free_port()
        spec = self.sshd_spec("term-ws-1", ports=[PortBinding(port, 22)])
        self.up(spec)
        self.assertIsNotNone(banner("127.0.0.1", port))
        t0 = time.monotonic()
        self.runner.stop(spec.key)
        self.assertLess(time.monotonic() - t0, runner_mod.STOP_TIMEOUT)
        self.runner.remove_group(spec.group, remove_volumes=True)

    def test_twenty_workspaces_at_once(self):
        ports = [free_port() for _ in range(20)]
        errors = []

        def up(i):
            try:
                self.up(self.sshd_spec(f"many-ws-{i}", group="many", ports=[PortBinding(ports[i], 22)]))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        t0 = time.monotonic()
        threads = [threading.Thread(target=up, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertTrue(all(banner("127.0.0.1", p) for p in ports))
        print(f"\n  20 workspaces answering SSH {time.monotonic() - t0:.2f} s after the first up()", file=sys.stderr)
        self.runner.remove_group("many", remove_volumes=True)
        self.assertTrue(all(refused("127.0.0.1", p) for p in ports))

    def test_bare_image_installs_packages_from_the_mirror(self):
        spec = WorkspaceSpec(key="bare-ws-1", group="bare", image="debian-bare", command=(
            "sh", "-c", "test ! -e /usr/sbin/sshd && grep -q '^deb http' /etc/apt/sources.list && "
            "apt-get -q update && apt-get -q install -y --no-install-recommends --dry-run openssh-server"))
        self.up(spec)
        self.assertTrue(wait_for(lambda: self.runner.state(spec.key) == "exited", 120))
        with open(self.runner.log_path(spec.key)) as f:
            self.assertEqual(self.runner.info(spec.key)["exit_code"], 0, f.read())
        self.runner.remove_group("bare", remove_volumes=True)


class LifecycleTest(_RunnerCase):
    """What is left after shutdown, after `run` is stopped, and after a killed runner's cleanup."""

    def test_shutdown_leaves_no_mounts_netns_processes_or_files(self):
        state = os.path.join(self.tmp, "shutdown-state")
        r = WorkspaceRunner(state)
        port = free_port()
        names = set()
        try:
            for i in range(3):
                spec = self.sshd_spec(f"down-ws-{i}", group="down", ports=[PortBinding(port if i == 0 else free_port(), 22)],
                                      volumes=[VolumeMount("down_vol", "/vol")])
                names.add(r._names(spec.key)[0])
                r.up(spec)
            r.stop("down-ws-2")
            self.assertIsNotNone(banner("127.0.0.1", port))
            self.assertTrue(leftovers(state, names))
        finally:
            r.shutdown()
        self.assertEqual(leftovers(state, names), [])
        self.assertTrue(refused("127.0.0.1", port))
        self.assertFalse(os.path.exists(os.path.join(state, "state.json")))

    def _run_cli(self, state, spec):
        spec_file = os.path.join(self.tmp, f"{spec['key']}.json")
        with open(spec_file, "w") as f:
            json.dump(spec, f)
        proc = subprocess.Popen([sys.executable, "-m", "workspace_runner", "run", "--spec", spec_file,
                                 "--state-dir", state], cwd=EMULATOR_DIR, stdout=subprocess.PIPE, text=True)
        ready = json.loads(proc.stdout.readline())
        return proc, ready

    def cli_spec(self, key, port):
        return {"key": key, "image": "debian:bookworm", "entrypoint": ["/bin/sh", "-c"], "command": [SSHD],
                "ports": [{"published": port, "target": 22}],
                "volumes": [{"source": self.cfg, "target": "/etc/dpptest", "kind": "bind", "read_only": True}]}

    def test_run_serves_until_sigterm_then_cleans_up(self):
        state = os.path.join(self.tmp, "run-state")
        port = free_port()
        proc, ready = self._run_cli(state, self.cli_spec("run-ws-1", port))
        try:
            self.assertTrue(ready["ready"], ready)
            self.assertIsNotNone(banner("127.0.0.1", port))
            with self.assertRaisesRegex(RunnerError, f"is in use by the workspace runner in process {proc.pid}"):
                WorkspaceRunner(state)
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(20), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        self.assertEqual(leftovers(state, {workspace_names(state, "run-ws-1")[0]}), [])
        self.assertTrue(refused("127.0.0.1", port))

    def test_run_reports_a_taken_port(self):
        state = os.path.join(self.tmp, "run-taken-state")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            proc, ready = self._run_cli(state, self.cli_spec("run-ws-2", port))
            self.assertEqual(proc.wait(20), 1)
            proc.stdout.close()
        self.assertEqual(ready, {"ready": False, "error": f"Bind for 127.0.0.1:{port} failed: port is already allocated"})
        self.assertEqual(leftovers(state, {workspace_names(state, "run-ws-2")[0]}), [])

    def test_cleanup_removes_what_a_killed_runner_left(self):
        state = os.path.join(self.tmp, "killed-state")
        port = free_port()
        proc, ready = self._run_cli(state, self.cli_spec("killed-ws-1", port))
        names = {workspace_names(state, "killed-ws-1")[0]}
        try:
            self.assertTrue(ready["ready"], ready)
            proc.kill()
            proc.wait()
            proc.stdout.close()
            self.assertIsNotNone(banner("127.0.0.1", port))  # the workspace outlives its runner
            self.assertTrue(leftovers(state, names))
        finally:
            out = subprocess.run([sys.executable, "-m", "workspace_runner", "cleanup", "--state-dir", state],
                                 cwd=EMULATOR_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(out.returncode, 0, out.stdout)
        self.assertIn("removed network", out.stdout)
        self.assertTrue(wait_for(lambda: not leftovers(state, names), 5), leftovers(state, names))
        self.assertTrue(refused("127.0.0.1", port))

    def test_a_new_runner_cleans_up_after_a_killed_one_with_the_same_state_dir(self):
        state = os.path.join(self.tmp, "adopted-state")
        port = free_port()
        proc, ready = self._run_cli(state, self.cli_spec("adopted-ws-1", port))
        names = {workspace_names(state, "adopted-ws-1")[0]}
        proc.kill()
        proc.wait()
        proc.stdout.close()
        self.assertTrue(ready["ready"], ready)
        self.assertIsNotNone(banner("127.0.0.1", port))
        WorkspaceRunner(state).shutdown()
        self.assertTrue(wait_for(lambda: not leftovers(state, names), 5), leftovers(state, names))
        self.assertTrue(refused("127.0.0.1", port))


if __name__ == "__main__":
    unittest.main()
