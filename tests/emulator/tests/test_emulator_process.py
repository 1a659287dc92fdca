"""The emulator as a process: TLS with generated certificates, ready file, token sources, signals."""
import json
import os
import signal
import ssl
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EMULATOR, PYTHON, EmulatorProcess  # noqa: E402


class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        out = subprocess.run([PYTHON, EMULATOR, "make-certs", cls.tmp.name, "--host", "127.0.0.1"],
                             capture_output=True, text=True, check=True)
        cls.paths = json.loads(out.stdout)
        context = ssl.create_default_context(cafile=cls.paths["ca"])
        cls.emu = EmulatorProcess("--tls-cert", cls.paths["cert"], "--tls-key", cls.paths["key"],
                                  ssl_context=context).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.tmp.cleanup()

    def test_generated_files_are_private(self):
        for role in ("ca", "ca_key", "cert", "key", "wrong_ca", "wrong_ca_key"):
            self.assertEqual(stat.S_IMODE(os.stat(self.paths[role]).st_mode), 0o600, role)

    def test_https_with_the_generated_ca(self):
        self.assertTrue(self.emu.info["url"].startswith("https://127.0.0.1:"))
        self.assertEqual(self.emu.ok("settings.getDokployVersion"), "v0.30.2")

    def test_certificate_names_localhost_too(self):
        import http.client
        context = ssl.create_default_context(cafile=self.paths["ca"])
        conn = http.client.HTTPSConnection("localhost", self.emu.port, timeout=5, context=context)
        try:
            conn.request("GET", "/api/health")
            self.assertEqual(conn.getresponse().status, 200)
        finally:
            conn.close()

    def test_the_wrong_ca_is_refused(self):
        import http.client
        context = ssl.create_default_context(cafile=self.paths["wrong_ca"])
        conn = http.client.HTTPSConnection("127.0.0.1", self.emu.port, timeout=5, context=context)
        try:
            with self.assertRaises(ssl.SSLCertVerificationError):
                conn.request("GET", "/api/health")
        finally:
            conn.close()
        self.assertEqual(self.emu.ok("settings.getDokployVersion"), "v0.30.2")  # still serving


class Lifecycle(unittest.TestCase):
    def test_ready_file_matches_the_stdout_line_and_sigterm_exits_0(self):
        emu = EmulatorProcess().start()
        with open(emu.ready_file) as f:
            self.assertEqual(json.load(f), emu.info)
        self.assertEqual(emu.info["pid"], emu.proc.pid)
        self.assertEqual(emu.info["url"], f"http://127.0.0.1:{emu.port}")
        self.assertEqual(emu.stop(), 0)

    def test_sigint_exits_0(self):
        emu = EmulatorProcess().start()
        emu.proc.send_signal(signal.SIGINT)
        self.assertEqual(emu.proc.wait(10), 0)
        emu.stop()

    def test_token_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as f:
            f.write("from-file\n")
            f.flush()
            emu = EmulatorProcess("--token-file", f.name, token=None).start()
            try:
                self.assertEqual(emu.call("project.all", token="from-file")[0], 200)
                self.assertEqual(emu.call("project.all", token="other")[0], 401)
            finally:
                emu.stop()

    def test_bad_options_exit_2_with_a_message(self):
        for args, needle in ((["--version", "banana"], "--version"),
                             (["--tls-cert", "/nonexistent"], "--tls-key"),
                             (["--servers-file", "/nonexistent"], "--servers-file")):
            result = subprocess.run([PYTHON, EMULATOR, *args], capture_output=True, text=True, timeout=10,
                                    env={**os.environ, "DOKPLOY_EMULATOR_TOKEN": "t"})
            self.assertEqual(result.returncode, 2, args)
            self.assertIn(needle, result.stderr)

    def test_missing_workspace_runner_is_a_clear_startup_error(self):
        try:
            import workspace_runner.runner  # noqa: F401
            self.skipTest("workspace_runner.runner exists")
        except ImportError:
            pass
        result = subprocess.run([PYTHON, EMULATOR, "--runner", "workspace"], capture_output=True,
                                text=True, timeout=10, env={**os.environ, "DOKPLOY_EMULATOR_TOKEN": "t"})
        self.assertEqual(result.returncode, 2)
        self.assertIn("WorkspaceRunner", result.stderr)


if __name__ == "__main__":
    unittest.main()
