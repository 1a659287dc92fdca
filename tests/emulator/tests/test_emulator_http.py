"""The emulator's HTTP surface: auth, routing, content types, validation, keep-alive."""
import json
import unittest

import shared_emulator


class HttpSurface(shared_emulator.SharedEmulatorTest):
    def test_missing_or_wrong_key_gets_the_exact_unauthorized_bytes(self):
        for headers in ({}, {"x-api-key": "wrong"}, {"Authorization": "Bearer test-token"}):
            status, hdrs, body = self.emu.raw("GET", "/api/project.all", headers=headers)
            self.assertEqual(status, 401)
            self.assertEqual(body, b'{"message":"Unauthorized"}')
            self.assertTrue(hdrs["content-type"].startswith("application/json"))

    def test_bearer_token_is_ignored_and_x_api_key_works(self):
        status, _, body = self.emu.raw("GET", "/api/settings.getDokployVersion",
                                       headers={"x-api-key": "test-token", "Authorization": "Bearer nonsense"})
        self.assertEqual((status, json.loads(body)), (200, "v0.30.2"))

    def test_health_needs_no_auth(self):
        status, _, body = self.emu.raw("GET", "/api/health")
        self.assertEqual((status, json.loads(body)), (200, {"ok": True}))

    def test_unknown_procedure_and_wrong_method_are_404_with_trpc_body(self):
        for method, path in (("GET", "/api/application.nope"), ("POST", "/api/application.one"),
                             ("GET", "/api/application.deploy")):
            headers = {"x-api-key": "test-token", "Content-Type": "application/json"}
            status, _, body = self.emu.raw(method, path, b"{}" if method == "POST" else None, headers)
            self.assertEqual(status, 404, path)
            err = json.loads(body)
            self.assertEqual(err["code"], "NOT_FOUND")
            self.assertEqual(err["data"]["httpStatus"], 404)

    def test_unknown_procedure_without_key_is_401_first(self):
        status, _, body = self.emu.raw("GET", "/api/nothing.here")
        self.assertEqual((status, body), (401, b'{"message":"Unauthorized"}'))

    def test_mutation_without_json_content_type_is_415(self):
        status, _, body = self.emu.raw("POST", "/api/project.create", b'{"name":"x"}',
                                       {"x-api-key": "test-token", "Content-Type": "text/plain"})
        self.assertEqual(status, 415)
        self.assertEqual(json.loads(body)["code"], "UNSUPPORTED_MEDIA_TYPE")

    def test_broken_json_is_rejected_by_the_body_parser(self):
        status, _, body = self.emu.raw("POST", "/api/project.create", b'{"name":',
                                       {"x-api-key": "test-token", "Content-Type": "application/json"})
        self.assertEqual((status, body), (400, b"Invalid JSON"))

    def test_validation_failure_lists_issues_and_is_logged(self):
        self.emu.control("DELETE", "requests")
        status, err = self.emu.call("application.saveEnvironment", {"applicationId": "x", "env": "A=1"})
        self.assertEqual(status, 400)
        self.assertEqual(err["message"], "Input validation failed")
        self.assertEqual(err["code"], "BAD_REQUEST")
        self.assertEqual(sorted(i["path"][0] for i in err["issues"]),
                         ["buildArgs", "buildSecrets", "createEnvFile"])
        self.assertIn("buildArgs", err["data"]["zodError"]["fieldErrors"])
        log = self.emu.control("GET", "requests")
        self.assertEqual(len(log), 1)
        self.assertIn("buildSecrets", log[0]["schema_error"])
        self.assertTrue(log[0]["api_key_present"])
        self.assertNotIn("test-token", json.dumps(log))

    def test_nullable_required_keys_must_still_be_present(self):
        app = self.emu.new_application()
        status, err = self.emu.call("application.saveDockerProvider",
                                    {"applicationId": app["applicationId"], "dockerImage": "x"})
        self.assertEqual(status, 400)
        self.assertEqual(sorted(i["path"][0] for i in err["issues"]), ["password", "registryUrl", "username"])

    def test_unknown_input_keys_are_dropped_not_rejected(self):
        created = self.emu.ok("project.create", {"name": "p", "surprise": 1})
        self.assertNotIn("surprise", created["project"])
        log = self.emu.control("GET", "requests")
        self.assertIsNone(log[-1]["schema_error"])

    def test_query_parameters_are_validated(self):
        status, err = self.emu.call("application.one", {})
        self.assertEqual(status, 400)
        self.assertEqual(err["issues"][0]["path"], ["applicationId"])
        status, err = self.emu.call("application.one", {"applicationId": "missing"})
        self.assertEqual((status, err["message"]), (404, "Application not found"))

    def test_deploy_answers_200_with_an_empty_json_body(self):
        app = self.emu.new_application()
        status, hdrs, body = self.emu.raw("POST", "/api/application.deploy",
                                          json.dumps({"applicationId": app["applicationId"]}).encode(),
                                          {"x-api-key": "test-token", "Content-Type": "application/json"})
        self.assertEqual((status, body, hdrs["content-length"]), (200, b"", "0"))
        self.assertEqual(hdrs["content-type"], "application/json")

    def test_two_requests_share_one_connection(self):
        conn = self.emu.connection()
        try:
            for _ in range(3):
                status, value = self.emu.call("settings.getDokployVersion", conn=conn)
                self.assertEqual((status, value), (200, "v0.30.2"))
            sock = conn.sock
            self.assertIsNotNone(sock)
            self.emu.call("project.all", conn=conn)
            self.assertIs(conn.sock, sock)  # http.client reopens on close: same socket = kept alive
        finally:
            conn.close()

    def test_app_name_gets_a_random_suffix_and_duplicates_conflict(self):
        app = self.emu.new_application(appName="devpod-abc")
        self.assertRegex(app["appName"], r"^devpod-abc-[a-z0-9]{6}$")
        self.emu.control("POST", "app-name-suffix", {"suffix": "zzzzzz"})
        try:
            env = self.emu.ok("project.create", {"name": "dup"})["environment"]["environmentId"]
            self.emu.ok("application.create", {"name": "a", "appName": "same", "environmentId": env})
            status, err = self.emu.call("application.create", {"name": "b", "appName": "same", "environmentId": env})
        finally:
            self.emu.control("POST", "app-name-suffix", {"suffix": None})
        self.assertEqual((status, err["code"]), (409, "CONFLICT"))
        self.assertEqual(err["message"], "Service with this 'AppName' already exists")

    def test_app_name_without_base_uses_generated_words(self):
        env = self.emu.ok("project.create", {"name": "gen"})["environment"]["environmentId"]
        app = self.emu.ok("application.create", {"name": "x", "environmentId": env})
        self.assertRegex(app["appName"], r"^app-[a-z-]+-[a-z0-9]{6}$")


if __name__ == "__main__":
    unittest.main()
