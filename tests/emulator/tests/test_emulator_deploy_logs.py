"""What a failed deploy leaves, as on the real server: a deployment row without errorMessage, the
cause in its log (deployment.readLogs from v0.30, 404 before), and a Swarm routing mesh that can
stop forwarding ingress-published ports."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EmulatorProcess  # noqa: E402

UNRESOLVABLE = "registry.invalid/nope:1"


class QuickDeploys(unittest.TestCase):
    """One emulator per class whose deploys take a few milliseconds, reset before each test."""

    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess(queue_delay_ms=20, deploy_duration_ms=20).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("POST", "reset")
        self.emu.control("POST", "version", {"version": "v0.30.2"})


class DeployLogs(QuickDeploys):

    def deploy(self, app, expect):
        listed = lambda: self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        self.emu.wait_for(lambda: listed() and listed()[0]["status"] != "running")
        deployment = listed()[0]
        self.assertEqual(deployment["status"], expect)
        return deployment

    def read_logs(self, deployment, **extra):
        return self.emu.call("deployment.readLogs", {"deploymentId": deployment["deploymentId"], **extra})

    def test_an_image_that_cannot_be_pulled_fails_with_the_cause_in_the_log_only(self):
        app = self.emu.new_application(image=UNRESOLVABLE)
        deployment = self.deploy(app, "error")
        self.assertIsNone(deployment["errorMessage"])
        self.assertRegex(deployment["logPath"], rf"^/etc/dokploy/logs/{app['appName']}/{app['appName']}-"
                                                r"\d{4}-\d\d-\d\d:\d\d:\d\d:\d\d\.log$")
        status, text = self.read_logs(deployment)
        self.assertEqual(status, 200)
        self.assertEqual(text, "Initializing deployment\n"
                               f"Pulling {UNRESOLVABLE}\n"
                               'Error response from daemon: Get "https://registry.invalid/v2/": dial tcp: '
                               "lookup registry.invalid on 127.0.0.53:53: no such host\n"
                               "❌ Pulling image failed\n"
                               "\n"
                               "Error occurred ❌, check the logs for details.\n")
        self.assertEqual(self.emu.ok("docker.getServiceContainersByAppName", {"appName": app["appName"]}), [])

    def test_tail_returns_the_last_lines(self):
        app = self.emu.new_application(image=UNRESOLVABLE)
        deployment = self.deploy(app, "error")
        self.assertEqual(self.read_logs(deployment, tail=2),
                         (200, "\nError occurred ❌, check the logs for details.\n"))
        status, error = self.read_logs(deployment, tail=0)
        self.assertEqual((status, error["message"]), (400, "Input validation failed"))

    def test_a_successful_deploy_logs_the_pull(self):
        app = self.emu.new_application()
        deployment = self.deploy(app, "done")
        self.assertEqual(self.read_logs(deployment)[1],
                         "Initializing deployment\nPulling debian:12\nStatus: Image is up to date for debian:12\ndebian:12\n"
                         "✅ Pulling image completed.\n")

    def test_a_compose_pull_failure_shows_compose_output_and_dokploys_lines(self):
        env = self.emu.ok("project.create", {"name": "c"})["environment"]["environmentId"]
        comp = self.emu.ok("compose.create", {"name": "ws", "environmentId": env,
                                              "composeType": "docker-compose", "appName": "ws"})
        self.emu.ok("compose.update", {"composeId": comp["composeId"], "sourceType": "raw",
                                       "composeFile": f"services:\n  workspace:\n    image: {UNRESOLVABLE}\n"})
        self.emu.ok("compose.deploy", {"composeId": comp["composeId"]})
        one = lambda: self.emu.ok("compose.one", {"composeId": comp["composeId"]})
        self.emu.wait_for(lambda: one()["composeStatus"] == "error")
        deployment = self.emu.ok("deployment.allByCompose", {"composeId": comp["composeId"]})[0]
        self.assertIsNone(deployment["errorMessage"])
        lines = self.read_logs(deployment)[1].splitlines()
        self.assertEqual(lines[:2], ["Initializing deployment", "File 'docker-compose.yml' created: ✅"])
        self.assertEqual(lines[3], "║" + " " * 78 + "║")
        self.assertIn(f"║ App Name: {comp['appName']}", lines[4])
        self.assertEqual(lines[-4:], [
            'Error response from daemon: Get "https://registry.invalid/v2/": dial tcp: lookup registry.invalid '
            "on 127.0.0.53:53: no such host",
            "Error: ❌ Docker command failed", "",
            "Error occurred ❌, check the logs for details."])

    def test_read_logs_of_an_unknown_deployment_is_not_found(self):
        status, error = self.emu.call("deployment.readLogs", {"deploymentId": "nope"})
        self.assertEqual((status, error["message"]), (404, "Deployment not found"))

    def test_before_v030_there_is_no_read_logs(self):
        self.emu.control("POST", "version", {"version": "v0.24.0"})
        app = self.emu.new_application(image=UNRESOLVABLE)
        deployment = self.deploy(app, "error")
        self.assertIsNone(deployment["errorMessage"])
        status, error = self.read_logs(deployment)
        self.assertEqual((status, error["code"]), (404, "NOT_FOUND"))

    def test_logs_go_with_their_service(self):
        app = self.emu.new_application(image=UNRESOLVABLE)
        self.deploy(app, "error")
        self.assertEqual(len(self.emu.control("GET", "state")["logs"]), 1)
        self.emu.ok("application.delete", {"applicationId": app["applicationId"]})
        self.assertEqual(self.emu.control("GET", "state")["logs"], {})


class IngressMesh(QuickDeploys):
    def deployed(self, mode):
        app = self.emu.new_application(name=f"ws-{mode}")
        self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2400 + len(mode),
                                    "targetPort": 22, "protocol": "tcp", "publishMode": mode})
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        one = lambda: self.emu.ok("application.one", {"applicationId": app["applicationId"]})
        self.emu.wait_for(lambda: one()["applicationStatus"] == "done")
        return app

    def test_a_mesh_that_does_not_forward_leaves_ingress_ports_unpublished_while_the_task_runs(self):
        self.assertEqual(self.emu.control("POST", "ingress", {"routes": False}), {"routes": False})
        ingress, host = self.deployed("ingress"), self.deployed("host")
        workspaces = self.emu.control("GET", "workspaces")
        self.assertEqual(workspaces[ingress["appName"]]["spec"]["ports"], [])
        self.assertEqual(workspaces[host["appName"]]["spec"]["ports"][0]["published"], 2404)
        tasks = self.emu.ok("docker.getServiceContainersByAppName", {"appName": ingress["appName"]})
        self.assertEqual([t["state"] for t in tasks], ["running"])
        # Swarm still holds the port: another service cannot publish it.
        other = self.emu.new_application(name="other")
        self.emu.ok("port.create", {"applicationId": other["applicationId"], "publishedPort": 2407,
                                    "targetPort": 22, "protocol": "tcp", "publishMode": "host"})
        self.emu.ok("application.deploy", {"applicationId": other["applicationId"]})
        self.emu.wait_for(lambda: self.emu.ok("application.one", {"applicationId": other["applicationId"]})
                          ["applicationStatus"] == "error")

    def test_reset_brings_the_mesh_back(self):
        self.emu.control("POST", "ingress", {"routes": False})
        self.emu.control("POST", "reset")
        self.assertTrue(self.emu.control("GET", "state")["ingressRoutes"])
        app = self.deployed("ingress")
        self.assertEqual(self.emu.control("GET", "workspaces")[app["appName"]]["spec"]["ports"][0]["published"], 2407)


if __name__ == "__main__":
    unittest.main()
