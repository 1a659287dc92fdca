"""Answers real Dokploy v0.30.2 gave to the API differential (tests/real/api_differential) where
the emulator first answered otherwise: kept here so that the everyday tier holds on to them."""
import unittest

import shared_emulator


class AnswersAsReal(shared_emulator.SharedEmulatorTest):
    def project(self) -> dict:
        return self.emu.ok("project.create", {"name": "as-real"})

    def test_create_answers_carry_the_inserted_rows(self):
        app = self.emu.new_application()
        port = self.emu.ok("port.create", {"applicationId": app["applicationId"], "publishedPort": 2222,
                                           "targetPort": 22})
        self.assertEqual({k: port[k] for k in ("publishedPort", "targetPort", "protocol", "publishMode")},
                         {"publishedPort": 2222, "targetPort": 22, "protocol": "tcp", "publishMode": "ingress"})
        mount = self.emu.ok("mounts.create", {"type": "volume", "volumeName": "v", "mountPath": "/data",
                                              "serviceId": app["applicationId"], "serviceType": "application"})
        self.assertEqual((mount["applicationId"], mount["libsqlId"], mount["volumeName"]),
                         (app["applicationId"], None, "v"))

    def test_column_defaults(self):
        app = self.emu.new_application()
        self.assertEqual((app["autoDeploy"], app["dockerfile"], app["networkIds"]), (True, "Dockerfile", []))
        env = self.project()["environment"]["environmentId"]
        comp = self.emu.ok("compose.create", {"name": "c", "environmentId": env})
        self.assertEqual((comp["createEnvFile"], comp["icon"], comp["serviceNetworks"]), (True, None, []))

    def test_updates_of_unknown_ids(self):
        status, err = self.emu.call("application.update", {"applicationId": "nope", "name": "x"})
        self.assertEqual((status, err["message"]), (400, "Error updating application"))
        self.assertEqual(self.emu.call("compose.update", {"composeId": "nope", "name": "x"}), (200, None))

    def test_environment_in_an_unknown_project_fails_on_the_insert(self):
        status, err = self.emu.call("environment.create", {"name": "x", "projectId": "nope"})
        self.assertEqual((status, err["code"]), (400, "BAD_REQUEST"))
        self.assertTrue(err["message"].startswith('Error creating the environment: Failed query: insert into "environment"'))
        self.assertIn("\nparams: ", err["message"])
        self.assertTrue(err["message"].endswith(",nope"))

    def test_stop_start_and_delete_answer_the_row_without_one_s_flags(self):
        app = self.emu.new_application()
        self.emu.ok("application.deploy", {"applicationId": app["applicationId"]})
        self.emu.wait_for(lambda: self.emu.ok("application.one", {"applicationId": app["applicationId"]})
                          ["applicationStatus"] == "done")
        container, = self.emu.ok("docker.getContainersByAppNameMatch", {"appName": app["appName"]})
        self.assertEqual((container["state"], container["status"]), ("running", "Up 2 seconds"))
        for procedure in ("application.stop", "application.start", "application.delete"):
            row = self.emu.ok(procedure, {"applicationId": app["applicationId"]})
            self.assertNotIn("hasGitProviderAccess", row, procedure)
            self.assertIn("deployments", row, procedure)

    def test_compose_delete_without_delete_volumes_deletes(self):
        env = self.project()["environment"]["environmentId"]
        comp = self.emu.ok("compose.create", {"name": "c", "environmentId": env})
        self.emu.ok("compose.delete", {"composeId": comp["composeId"]})
        self.assertEqual(self.emu.call("compose.one", {"composeId": comp["composeId"]})[0], 404)

    def test_project_one_lists_service_summaries_and_tags(self):
        app = self.emu.new_application()
        project_id = self.emu.ok("project.all")[0]["projectId"]
        project = self.emu.ok("project.one", {"projectId": project_id})
        self.assertEqual(project["projectTags"], [])
        summary, = project["environments"][0]["applications"]
        self.assertEqual(set(summary), {"name", "description", "appName", "createdAt", "serverId",
                                        "applicationStatus", "applicationId", "icon", "server"})
        self.assertEqual(summary["applicationId"], app["applicationId"])


if __name__ == "__main__":
    unittest.main()
