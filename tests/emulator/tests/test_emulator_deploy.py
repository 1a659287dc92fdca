"""Deploys through the queue: statuses, deployments, specs handed to the runner, start/stop,
delete, restart, compose services, servers and seeding."""
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EmulatorProcess  # noqa: E402

SERVERS = [{"serverId": "remote-1", "name": "remote", "ipAddress": "127.0.0.2", "serverStatus": "active"}]


class Deploys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        servers = os.path.join(cls.tmp.name, "servers.json")
        with open(servers, "w") as f:
            json.dump(SERVERS, f)
        cls.emu = EmulatorProcess("--servers-file", servers, "--server-address", "127.0.0.1",
                                  queue_delay_ms=120, deploy_duration_ms=250).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.tmp.cleanup()

    def setUp(self):
        self.emu.control("POST", "reset")
        self.emu.control("POST", "version", {"version": "v0.30.2"})

    def one(self, app):
        return self.emu.ok("application.one", {"applicationId": app["applicationId"]})

    def deploy_and_wait(self, app, expect="done"):
        """Deploys and waits for that deployment (the status shows the previous outcome until
        the job starts, so watch the new deployment row instead)."""
        listed = lambda: self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})
        before = len(listed())
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        self.emu.wait_for(lambda: len(listed()) == before + 1 and listed()[0]["status"] != "running")
        self.assertEqual(self.one(app)["applicationStatus"], expect)
        return listed()[0]

    def log_of(self, deployment, tail=100):
        return self.emu.ok("deployment.readLogs", {"deploymentId": deployment["deploymentId"], "tail": tail})

    def test_deploy_is_queued_then_running_then_done(self):
        app = self.emu.new_application()
        self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2222,
                                    "targetPort": 22, "protocol": "tcp", "publishMode": "host"})
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        self.assertEqual(self.one(app)["applicationStatus"], "idle")  # old value until the job starts
        deployments = self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})
        self.assertEqual([d["status"] for d in deployments], ["running"])
        seen = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status = self.one(app)["applicationStatus"]
            if not seen or seen[-1] != status:
                seen.append(status)
            if status == "done":
                break
            time.sleep(0.01)
        self.assertEqual(seen, ["idle", "running", "done"])
        deployment = self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})[0]
        self.assertEqual((deployment["status"], deployment["errorMessage"]), ("done", None))
        tasks = self.emu.ok("docker.getServiceContainersByAppName", {"appName": app["appName"]})
        self.assertEqual([t["state"] for t in tasks], ["running"])
        spec = self.emu.control("GET", "workspaces")[app["appName"]]["spec"]
        self.assertEqual(spec["ports"], [{"published": 2222, "target": 22, "protocol": "tcp", "host_ip": "127.0.0.1"}])
        self.assertEqual(spec["image"], "debian:12")

    def test_deployments_are_listed_newest_first(self):
        app = self.emu.new_application()
        self.deploy_and_wait(app)
        self.emu.ok("application.redeploy", {"applicationId": app["applicationId"], "title": "second"})
        self.emu.wait_for(lambda: self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})[0]["status"] == "done")
        titles = [d["title"] for d in self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})]
        self.assertEqual(titles, ["second", "Manual deployment"])

    def test_deploy_error_fault_fails_the_next_deploy(self):
        app = self.emu.new_application()
        self.emu.control("POST", "faults", {"procedure": "application.deploy", "match": "nth", "nth": 1,
                                            "action": {"deploy_error": "pull access denied for nope"}})
        deployment = self.deploy_and_wait(app, expect="error")
        self.assertIn("pull access denied for nope", self.log_of(deployment))
        self.deploy_and_wait(app, expect="done")  # only the first one

    def test_memory_limit_below_6mb_fails_at_deploy(self):
        app = self.emu.new_application()
        self.emu.ok("application.update", {"applicationId": app["applicationId"], "memoryLimit": "2g"})
        deployment = self.deploy_and_wait(app, expect="error")
        self.assertIn("Minimum memory limit allowed is 6MB", self.log_of(deployment))
        self.emu.ok("application.update", {"applicationId": app["applicationId"], "memoryLimit": "2147483648",
                                           "cpuLimit": "500000000"})
        self.deploy_and_wait(app)
        spec = self.emu.control("GET", "workspaces")[app["appName"]]["spec"]
        self.assertEqual((spec["memory_limit_bytes"], spec["nano_cpus"]), (2147483648, 500000000))

    def test_a_published_port_held_by_another_service_fails_the_deploy(self):
        first, second = self.emu.new_application("one"), self.emu.new_application("two")
        for app in (first, second):
            self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2300,
                                        "targetPort": 22, "protocol": "tcp", "publishMode": "ingress"})
        self.deploy_and_wait(first)
        deployment = self.deploy_and_wait(second, expect="error")
        self.assertIn("port '2300' is already in use", self.log_of(deployment))

    def test_changes_apply_only_at_the_next_deploy(self):
        app = self.emu.new_application()
        self.emu.ok("application.saveEnvironment", {"applicationId": app["applicationId"], "env": "A=1",
                                                    "buildArgs": None, "buildSecrets": None, "createEnvFile": False})
        self.deploy_and_wait(app)
        self.emu.ok("application.saveEnvironment", {"applicationId": app["applicationId"],
                                                    "env": "A=2\nB=x=y # note\nC=\"q#r\"",
                                                    "buildArgs": None, "buildSecrets": None, "createEnvFile": False})
        spec = lambda: self.emu.control("GET", "workspaces")[app["appName"]]["spec"]
        self.assertEqual(spec()["env"], [["A", "1"]])
        self.deploy_and_wait(app)
        self.assertEqual(spec()["env"], [["A", "2"], ["B", "x=y"], ["C", "q#r"]])

    def test_start_needs_a_deployed_service_and_stop_start_toggle_statuses(self):
        app = self.emu.new_application()
        status, err = self.emu.call("application.start", {"applicationId": app["applicationId"]})
        self.assertEqual((status, err["code"]), (500, "INTERNAL_SERVER_ERROR"))
        self.emu.ok("application.stop", {"applicationId": app["applicationId"]})  # swallowed, like Dokploy
        self.deploy_and_wait(app)
        self.emu.ok("application.stop", {"applicationId": app["applicationId"]})
        self.assertEqual(self.one(app)["applicationStatus"], "idle")
        self.assertEqual(self.emu.control("GET", "workspaces")[app["appName"]]["state"], "exited")
        tasks = self.emu.ok("docker.getServiceContainersByAppName", {"appName": app["appName"]})
        self.assertEqual([t["state"] for t in tasks], ["shutdown"])
        self.emu.ok("application.start", {"applicationId": app["applicationId"]})
        self.assertEqual(self.one(app)["applicationStatus"], "done")
        self.assertEqual(self.emu.control("GET", "workspaces")[app["appName"]]["state"], "running")

    def test_delete_removes_rows_and_the_workspace(self):
        app = self.emu.new_application()
        self.emu.ok("mounts.create", {"type": "volume", "volumeName": "home", "mountPath": "/home",
                                      "serviceId": app["applicationId"], "serviceType": "application"})
        self.deploy_and_wait(app)
        removed = self.emu.ok("application.delete", {"applicationId": app["applicationId"]})
        self.assertEqual(removed["appName"], app["appName"])
        state = self.emu.control("GET", "state")
        self.assertEqual((state["applications"], state["mounts"], state["deployments"]), ([], [], []))
        self.assertEqual(self.emu.control("GET", "workspaces"), {})
        # `docker service rm` leaves the named volume to Docker, and Dokploy lists it still.
        self.assertEqual(self.emu.control("GET", "volumes"), ["home"])
        self.assertEqual([v["Name"] for v in self.emu.ok("dockerVolume.getVolumes")], ["home"])

    def test_volumes_cannot_be_listed_before_v0_29_14(self):
        self.emu.control("POST", "version", {"version": "v0.26.0"})
        status, _ = self.emu.call("dockerVolume.getVolumes")
        self.assertEqual(status, 404)
        self.emu.control("POST", "version", {"version": "v0.29.14"})
        self.assertEqual(self.emu.ok("dockerVolume.getVolumes"), [])
        status, _ = self.emu.call("dockerVolume.getVolumes", {"serverId": "no-such-server"})
        self.assertEqual(status, 404)
        self.assertEqual(self.emu.ok("dockerVolume.getVolumes", {"serverId": "remote-1"}), [])

    def test_project_remove_leaves_workspaces_running(self):
        app = self.emu.new_application()
        self.deploy_and_wait(app)
        project_id = self.emu.ok("project.all")[0]["projectId"]
        self.emu.ok("project.remove", {"projectId": project_id})
        self.assertEqual(self.emu.ok("project.all"), [])
        self.assertEqual(self.emu.control("GET", "workspaces")[app["appName"]]["state"], "running")

    def test_mounts_without_service_type_are_orphans(self):
        app = self.emu.new_application()
        self.emu.ok("mounts.create", {"type": "volume", "volumeName": "lost", "mountPath": "/lost",
                                      "serviceId": app["applicationId"]})
        self.emu.ok("mounts.create", {"type": "volume", "volumeName": "kept", "mountPath": "/kept",
                                      "serviceId": app["applicationId"], "serviceType": "application"})
        listed = self.emu.ok("mounts.listByServiceId", {"serviceType": "application", "serviceId": app["applicationId"]})
        self.assertEqual([m["volumeName"] for m in listed], ["kept"])
        self.deploy_and_wait(app)
        spec = self.emu.control("GET", "workspaces")[app["appName"]]["spec"]
        self.assertEqual(spec["volumes"], [{"source": "kept", "target": "/kept", "kind": "volume", "read_only": False}])

    def test_restart_loses_queued_jobs_from_v0_29_9(self):
        app = self.emu.new_application()
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        result = self.emu.control("POST", "restart")
        self.assertEqual(len(result["lostJobs"]), 1)
        time.sleep(0.5)
        self.assertEqual(self.one(app)["applicationStatus"], "idle")
        deployments = self.emu.ok("deployment.all", {"applicationId": app["applicationId"]})
        self.assertEqual([d["status"] for d in deployments], ["cancelled"])
        self.assertEqual(self.emu.control("GET", "workspaces"), {})

    def test_restart_before_v0_29_9_keeps_the_queue(self):
        self.emu.control("POST", "version", {"version": "v0.26.5"})
        app = self.emu.new_application()
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        self.emu.control("POST", "restart")
        self.emu.wait_for(lambda: self.one(app)["applicationStatus"] == "done")

    def test_remote_server_publishes_on_its_address(self):
        self.assertEqual([s["ipAddress"] for s in self.emu.ok("server.all")], ["127.0.0.2"])
        app = self.emu.new_application(serverId="remote-1")
        self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2400,
                                    "targetPort": 22, "protocol": "tcp", "publishMode": "host"})
        self.assertEqual(self.one(app)["server"]["ipAddress"], "127.0.0.2")
        self.deploy_and_wait(app)
        spec = self.emu.control("GET", "workspaces")[app["appName"]]["spec"]
        self.assertEqual(spec["ports"][0]["host_ip"], "127.0.0.2")

    def test_seed_fills_another_project(self):
        created = self.emu.control("POST", "seed", {"services": 6, "project": "crowd"})
        self.assertEqual(len(created["applications"]) + len(created["compose"]), 6)
        projects = self.emu.ok("project.all")
        self.assertEqual(projects[0]["name"], "crowd")
        env = projects[0]["environments"][0]
        self.assertEqual(len(env["applications"]) + len(env["compose"]), 6)

    def test_compose_service_lifecycle_with_a_bad_file(self):
        env = self.emu.ok("project.create", {"name": "c"})["environment"]["environmentId"]
        comp = self.emu.ok("compose.create", {"name": "ws", "environmentId": env,
                                              "composeType": "docker-compose", "appName": "devpod-ws"})
        self.assertRegex(comp["appName"], r"^devpod-ws-[a-z0-9]{6}$")
        status, err = self.emu.call("compose.start", {"composeId": comp["composeId"]})
        self.assertEqual(status, 500)
        updated = self.emu.ok("compose.update", {"composeId": comp["composeId"], "sourceType": "raw",
                                                 "composeFile": ""})
        self.assertEqual(updated["sourceType"], "raw")
        queued = self.emu.ok("compose.deploy", {"composeId": comp["composeId"]})
        self.assertEqual(queued, {"success": True, "message": "Deployment queued", "composeId": comp["composeId"]})
        one = lambda: self.emu.ok("compose.one", {"composeId": comp["composeId"]})
        self.emu.wait_for(lambda: one()["composeStatus"] == "error")
        self.assertEqual(one()["deployments"][0]["status"], "error")
        self.assertIn("empty compose file\nError: ❌ Docker command failed\n", self.log_of(one()["deployments"][0]))
        removed = self.emu.ok("compose.delete", {"composeId": comp["composeId"], "deleteVolumes": True})
        self.assertEqual(removed["composeId"], comp["composeId"])
        self.assertEqual(self.emu.control("GET", "state")["compose"], [])

    def test_compose_service_deploys_stops_and_starts(self):
        try:
            import workspace_runner.compose  # noqa: F401  (written alongside by the runner's author)
        except ImportError as e:
            self.skipTest(f"workspace_runner.compose unavailable: {e}")
        env = self.emu.ok("project.create", {"name": "c"})["environment"]["environmentId"]
        comp = self.emu.ok("compose.create", {"name": "ws", "environmentId": env,
                                              "composeType": "docker-compose", "appName": "dind"})
        compose_file = ("services:\n  ws:\n    image: debian:12\n    privileged: true\n"
                        "    environment:\n      GREETING: ${GREETING}\n"
                        "    ports:\n      - \"2500:22\"\n    volumes:\n      - home:/home\n"
                        "volumes:\n  home: {}\n")
        self.emu.ok("compose.update", {"composeId": comp["composeId"], "sourceType": "raw",
                                       "composeFile": compose_file, "env": "GREETING=hello"})
        self.emu.ok("compose.deploy", {"composeId": comp["composeId"]})
        one = lambda: self.emu.ok("compose.one", {"composeId": comp["composeId"]})
        self.emu.wait_for(lambda: one()["deployments"][0]["status"] != "running")
        self.assertEqual(one()["composeStatus"], "done", self.log_of(one()["deployments"][0]))
        workspaces = self.emu.control("GET", "workspaces")
        self.assertEqual(len(workspaces), 1)
        (key, ws), = workspaces.items()
        self.assertTrue(key.startswith(comp["appName"]))
        self.assertTrue(ws["spec"]["privileged"])
        self.assertIn(["GREETING", "hello"], ws["spec"]["env"])
        self.assertEqual(ws["spec"]["ports"][0]["published"], 2500)
        self.emu.ok("compose.stop", {"composeId": comp["composeId"]})
        self.assertEqual((one()["composeStatus"], self.emu.control("GET", "workspaces")[key]["state"]), ("idle", "exited"))
        self.emu.ok("compose.start", {"composeId": comp["composeId"]})
        self.assertEqual((one()["composeStatus"], self.emu.control("GET", "workspaces")[key]["state"]), ("done", "running"))
        containers = self.emu.ok("docker.getContainersByAppNameMatch",
                                 {"appName": comp["appName"], "appType": "docker-compose"})
        self.assertEqual([c["state"] for c in containers], ["running"])
        # `docker compose down --volumes` removes the project's volumes.
        self.assertEqual(self.emu.control("GET", "volumes"), [comp["appName"] + "_home"])
        self.emu.ok("compose.delete", {"composeId": comp["composeId"], "deleteVolumes": True})
        self.assertEqual(self.emu.control("GET", "volumes"), [])


if __name__ == "__main__":
    unittest.main()
