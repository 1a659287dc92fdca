"""Behaviour that depends on the emulated Dokploy version (v0.24 / v0.25 / v0.26 / v0.30)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EmulatorProcess  # noqa: E402


class Versions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess(version="v0.24.3", queue_delay_ms=20, deploy_duration_ms=10).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def use(self, version):
        self.emu.control("POST", "reset")
        self.assertEqual(self.emu.control("POST", "version", {"version": version})["version"], version)
        self.assertEqual(self.emu.ok("settings.getDokployVersion"), version)

    def test_v024_has_projects_without_environments(self):
        self.use("v0.24.3")
        project = self.emu.ok("project.create", {"name": "p"})
        self.assertIn("projectId", project)
        self.assertNotIn("environment", project)
        status, err = self.emu.call("application.create", {"name": "a", "environmentId": "x"})
        self.assertEqual(status, 400)
        self.assertEqual(err["issues"][0]["path"], ["projectId"])
        app = self.emu.ok("application.create", {"name": "a", "projectId": project["projectId"]})
        self.assertEqual(app["projectId"], project["projectId"])
        self.assertNotIn("environmentId", app)
        listed = self.emu.ok("project.all")
        self.assertEqual(listed[0]["applications"][0]["applicationId"], app["applicationId"])
        self.assertNotIn("environments", listed[0])
        status, _ = self.emu.call("environment.one", {"environmentId": "x"})
        self.assertEqual(status, 404)  # no environment router before v0.25

    def test_v025_creates_a_default_production_environment(self):
        self.use("v0.25.3")
        created = self.emu.ok("project.create", {"name": "p"})
        env = created["environment"]
        self.assertEqual((env["name"], env["isDefault"]), ("production", True))
        app = self.emu.ok("application.create", {"name": "a", "environmentId": env["environmentId"]})
        comp = self.emu.ok("compose.create", {"name": "c", "environmentId": env["environmentId"],
                                              "composeType": "docker-compose"})
        listed = self.emu.ok("project.all")
        self.assertEqual(listed[0]["projectId"], created["project"]["projectId"])
        environments = listed[0]["environments"]
        self.assertEqual(environments[0]["applications"],
                         [{"applicationId": app["applicationId"], "name": "a", "applicationStatus": "idle"}])
        self.assertEqual(environments[0]["compose"],
                         [{"composeId": comp["composeId"], "name": "c", "composeStatus": "idle"}])
        self.assertEqual(self.emu.ok("environment.one", {"environmentId": env["environmentId"]})["name"], "production")
        self.assertEqual(len(self.emu.ok("environment.byProjectId", {"projectId": created["project"]["projectId"]})), 1)
        status, err = self.emu.call("environment.remove", {"environmentId": env["environmentId"]})
        self.assertEqual((status, err["message"]), (400, "You cannot delete the default environment"))

    def test_save_environment_required_keys_follow_the_version(self):
        for version, needed in (("v0.25.3", {"applicationId", "env", "buildArgs"}),
                                ("v0.25.6", {"applicationId", "env", "buildArgs", "buildSecrets"}),
                                ("v0.26.1", {"applicationId", "env", "buildArgs", "buildSecrets", "createEnvFile"})):
            self.use(version)
            app = self.emu.new_application()
            full = {"applicationId": app["applicationId"], "env": "A=1", "buildArgs": None,
                    "buildSecrets": None, "createEnvFile": False}
            for key in full:
                partial = {k: v for k, v in full.items() if k != key}
                status, _ = self.emu.call("application.saveEnvironment", partial)
                self.assertEqual(status, 400 if key in needed else 200, f"{version} without {key}")

    def test_publish_mode_exists_from_v0_23_7(self):
        for version, with_mode in (("v0.23.6", False), ("v0.23.7", True)):
            self.use(version)
            app = self.emu.new_application()
            # Without the key zod's default applies (where there is one).
            self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2222,
                                        "targetPort": 22, "protocol": "tcp"})
            ports = self.emu.ok("application.one", {"applicationId": app["applicationId"]})["ports"]
            self.assertEqual(ports[-1].get("publishMode"), "ingress" if with_mode else None, version)
            self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2223,
                                        "targetPort": 22, "protocol": "tcp", "publishMode": "host"})
            ports = self.emu.ok("application.one", {"applicationId": app["applicationId"]})["ports"]
            self.assertEqual(ports[-1].get("publishMode"), "host" if with_mode else None, version)

    def deployed_spec(self, app):
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        one = lambda: self.emu.ok("application.one", {"applicationId": app["applicationId"]})
        self.emu.wait_for(lambda: one()["applicationStatus"] == "done")
        return self.emu.control("GET", "workspaces")[app["appName"]]["spec"]

    def test_command_runs_through_sh_before_v0_26(self):
        self.use("v0.25.3")
        app = self.emu.new_application()
        self.emu.ok("application.update", {"applicationId": app["applicationId"],
                                           "command": "echo hi && sleep 1", "args": ["ignored"]})
        spec = self.deployed_spec(app)
        self.assertEqual(spec["entrypoint"], ["/bin/sh"])
        self.assertEqual(spec["command"], ["-c", "echo hi && sleep 1"])

    def test_command_is_split_and_args_passed_from_v0_26(self):
        self.use("v0.30.2")
        app = self.emu.new_application()
        self.emu.ok("application.update", {"applicationId": app["applicationId"],
                                           "command": "/bin/sh", "args": ["-c", "echo a  b"]})
        spec = self.deployed_spec(app)
        self.assertEqual(spec["entrypoint"], ["/bin/sh"])
        self.assertEqual(spec["command"], ["-c", "echo a  b"])

    def test_source_type_on_create_from_v0_30(self):
        for version, expected in (("v0.29.9", "github"), ("v0.30.0", "docker")):
            self.use(version)
            env = self.emu.ok("project.create", {"name": "p"})["environment"]["environmentId"]
            app = self.emu.ok("application.create", {"name": "a", "environmentId": env, "sourceType": "docker"})
            self.assertEqual(app["sourceType"], expected, version)

    def test_unknown_version_is_refused_by_the_control_api(self):
        status, _, _ = self.emu.raw("POST", "/__emulator/version", b'{"version":"banana"}',
                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main()
