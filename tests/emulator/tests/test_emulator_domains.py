"""domain.* procedures per Dokploy version, domains of compose services at deploy time, and the
emulated Traefik's routing, redirects and certificates (no workspaces: the runner is NullRunner,
so a routed request that reaches a service answers 502; the provider's integration tests forward
to real workspaces)."""
import http.client
import os
import socket
import ssl
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EmulatorProcess  # noqa: E402

COMPOSE = "services:\n  workspace:\n    image: debian:12\n"


class Domains(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess("--traefik-http", "127.0.0.1:0", "--traefik-https", "127.0.0.1:0",
                                  queue_delay_ms=20, deploy_duration_ms=20).start()
        cls.traefik = cls.emu.info["traefik"]

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("POST", "reset")
        self.emu.control("POST", "web-server-ip", {"ip": "203.0.113.10"})
        self.emu.control("POST", "version", {"version": "v0.30.2"})

    # ---- helpers ---------------------------------------------------------------------------
    def compose(self, file=COMPOSE):
        created = self.emu.ok("project.create", {"name": "p"})
        parent = ({"environmentId": created["environment"]["environmentId"]} if "environment" in created
                  else {"projectId": created["projectId"]})
        comp = self.emu.ok("compose.create", {"name": "ws", "composeType": "docker-compose",
                                              "appName": "devpod-ws", **parent})
        self.emu.ok("compose.update", {"composeId": comp["composeId"], "sourceType": "raw", "composeFile": file})
        return comp

    def deploy_compose(self, comp):
        self.emu.ok("compose.deploy", {"composeId": comp["composeId"]})
        one = lambda: self.emu.ok("compose.one", {"composeId": comp["composeId"]})
        self.emu.wait_for(lambda: one()["deployments"] and one()["deployments"][-1]["status"] != "running")
        return one()

    def get(self, host, path="/", secure=False, context=None):
        entry = self.traefik["https" if secure else "http"]
        if secure:
            conn = http.client.HTTPSConnection(entry["address"], entry["port"], timeout=10,
                                               context=context or ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection(entry["address"], entry["port"], timeout=10)
        try:
            conn.request("GET", path, headers={"Host": host})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def peer_certificate(self, server_name):
        """The certificate websecure presents for an SNI name, checked against the test CA:
        (subject CN, None) when it verifies, (None, reason) when it does not."""
        entry = self.traefik["https"]
        context = ssl.create_default_context(cafile=self.traefik["ca"])
        with socket.create_connection((entry["address"], entry["port"]), timeout=10) as raw:
            try:
                with context.wrap_socket(raw, server_hostname=server_name) as tls:
                    subject = dict(x[0] for x in tls.getpeercert()["subject"])
                    return subject.get("commonName"), None
            except ssl.SSLCertVerificationError as e:
                return None, e.verify_message

    # ---- the procedures ----------------------------------------------------------------------
    def test_application_domain_lifecycle_with_column_defaults(self):
        app = self.emu.new_application()
        row = self.emu.ok("domain.create", {"host": "web-m1.dev.test", "port": 3000, "https": True,
                                            "certificateType": "letsencrypt", "applicationId": app["applicationId"],
                                            "domainType": "application"})
        self.assertEqual((row["path"], row["internalPath"], row["stripPath"], row["forwardAuthEnabled"],
                          row["enabled"], row["serviceName"], row["composeId"]),
                         ("/", "/", False, False, True, None, None))
        self.assertIsInstance(row["uniqueConfigKey"], int)
        one = self.emu.ok("application.one", {"applicationId": app["applicationId"]})
        self.assertEqual([d["domainId"] for d in one["domains"]], [row["domainId"]])
        listed = self.emu.ok("domain.byApplicationId", {"applicationId": app["applicationId"]})
        self.assertEqual(listed[0]["application"]["appName"], app["appName"])
        self.assertEqual(self.emu.ok("domain.one", {"domainId": row["domainId"]})["host"], "web-m1.dev.test")
        updated = self.emu.ok("domain.update", {"domainId": row["domainId"], "host": "web-m1.dev.test", "port": 8080})
        self.assertEqual((updated["port"], updated["https"]), (8080, True))
        self.assertEqual(self.emu.ok("domain.delete", {"domainId": row["domainId"]})["domainId"], row["domainId"])
        status, err = self.emu.call("domain.delete", {"domainId": row["domainId"]})
        self.assertEqual((status, err["message"]), (404, "Domain not found"))

    def test_deleting_a_service_deletes_its_domains(self):
        comp = self.compose()
        self.emu.ok("domain.create", {"host": "a.dev.test", "composeId": comp["composeId"],
                                      "serviceName": "workspace", "domainType": "compose"})
        self.assertEqual(len(self.emu.ok("domain.byComposeId", {"composeId": comp["composeId"]})), 1)
        self.emu.ok("compose.delete", {"composeId": comp["composeId"], "deleteVolumes": True})
        self.assertEqual(self.emu.control("GET", "state")["domains"], [])

    def test_unknown_service_is_a_foreign_key_failure(self):
        status, err = self.emu.call("domain.create", {"host": "a.dev.test", "applicationId": "nope"})
        self.assertEqual(status, 400)
        self.assertTrue(err["message"].startswith('Failed query: insert into "domain"'), err["message"])

    def test_host_names_are_checked_from_v0_29_14_only(self):
        app = self.emu.new_application()
        bad = {"host": "under_score.dev.test", "applicationId": app["applicationId"]}
        status, err = self.emu.call("domain.create", bad)
        self.assertEqual((status, err["message"]), (400, "Input validation failed"))
        self.assertEqual(err["issues"][0]["path"], ["host"])
        self.assertIn("Underscores are not allowed", err["issues"][0]["message"])
        self.emu.control("POST", "version", {"version": "v0.26.0"})
        self.assertEqual(self.emu.ok("domain.create", bad)["host"], "under_score.dev.test")

    def test_forward_auth_exists_from_v0_29_14(self):
        app = self.emu.new_application()
        row = self.emu.ok("domain.create", {"host": "a.dev.test", "applicationId": app["applicationId"],
                                            "forwardAuthEnabled": True})
        self.assertTrue(row["forwardAuthEnabled"])
        self.emu.control("POST", "version", {"version": "v0.26.0"})
        row = self.emu.ok("domain.create", {"host": "b.dev.test", "applicationId": app["applicationId"],
                                            "forwardAuthEnabled": True})
        self.assertNotIn("forwardAuthEnabled", row)  # the key was dropped, the domain is unprotected

    def test_generated_names_follow_the_version(self):
        self.assertRegex(self.emu.ok("domain.generateDomain", {"appName": "web-m1"}),
                         r"^web-m1-[0-9a-f]{6}-203-0-113-10\.sslip\.io$")
        long_name = "n" * 50
        self.assertRegex(self.emu.ok("domain.generateDomain", {"appName": long_name}),
                         r"^n{40}-[0-9a-f]{6}-203-0-113-10\.sslip\.io$")
        self.emu.control("POST", "web-server-ip", {"ip": ""})
        self.assertRegex(self.emu.ok("domain.generateDomain", {"appName": "x"}),
                         r"^x-[0-9a-f]{6}-127-0-0-1\.sslip\.io$")  # the fallback of later versions
        self.emu.control("POST", "version", {"version": "v0.24.3"})
        self.assertRegex(self.emu.ok("domain.generateDomain", {"appName": long_name}),
                         r"^n{50}-[0-9a-f]{6}\.traefik\.me$")

    def test_can_generate_needs_a_server_id_because_empty_query_values_are_dropped(self):
        status, err = self.emu.call("domain.canGenerateTraefikMeDomains", {"serverId": ""})
        self.assertEqual((status, err["message"]), (400, "Input validation failed"))
        self.assertEqual(err["issues"][0]["path"], ["serverId"])
        status, err = self.emu.call("domain.canGenerateTraefikMeDomains", {"serverId": "nope"})
        self.assertEqual((status, err["message"]), (404, "Server not found"))

    def test_a_compose_domain_naming_no_service_fails_the_deploy(self):
        comp = self.compose()
        self.emu.ok("domain.create", {"host": "a.dev.test", "composeId": comp["composeId"],
                                      "serviceName": "web", "domainType": "compose"})
        one = self.deploy_compose(comp)
        self.assertEqual(one["composeStatus"], "error")
        # As Dokploy: the deployment's errorMessage stays null; its log says why.
        deployment = one["deployments"][-1]
        self.assertIsNone(deployment["errorMessage"])
        log = self.emu.ok("deployment.readLogs", {"deploymentId": deployment["deploymentId"], "tail": 50})
        self.assertIn('attached to service "web" which does not exist', log)

    # ---- the emulated Traefik ----------------------------------------------------------------
    def test_unknown_hosts_get_traefiks_404(self):
        status, _, body = self.get("nothing.dev.test")
        self.assertEqual((status, body), (404, b"404 page not found\n"))

    def test_a_compose_domain_routes_only_after_a_deploy(self):
        comp = self.compose()
        self.emu.ok("domain.create", {"host": "web-ws.dev.test", "composeId": comp["composeId"], "port": 3000,
                                      "serviceName": "workspace", "domainType": "compose"})
        self.assertEqual(self.get("web-ws.dev.test")[0], 404)  # labels come with the deploy
        self.assertEqual(self.deploy_compose(comp)["composeStatus"], "done")
        self.assertEqual(self.get("web-ws.dev.test")[0], 502)  # routed; NullRunner has nothing behind it
        self.emu.ok("compose.stop", {"composeId": comp["composeId"]})
        self.assertEqual(self.get("web-ws.dev.test")[0], 404)  # a stopped container has no router

    def test_an_application_domain_routes_at_once(self):
        app = self.emu.new_application()
        self.emu.ok("domain.create", {"host": "api-m1.dev.test", "applicationId": app["applicationId"]})
        self.assertEqual(self.get("API-M1.dev.test:80")[0], 502)

    def test_https_domains_redirect_from_web_and_get_a_certificate_by_sni(self):
        app = self.emu.new_application()
        self.emu.ok("domain.create", {"host": "web-m1.dev.test", "applicationId": app["applicationId"],
                                      "https": True, "certificateType": "letsencrypt"})
        status, headers, _ = self.get("web-m1.dev.test", "/a?b=1")
        self.assertEqual((status, headers.get("Location")), (301, "https://web-m1.dev.test/a?b=1"))
        self.assertEqual(self.peer_certificate("web-m1.dev.test"), ("web-m1.dev.test", None))
        self.assertEqual(self.get("web-m1.dev.test", secure=True)[0], 502)
        name, failure = self.peer_certificate("other.dev.test")
        self.assertIsNone(name)
        self.assertIn("self-signed", failure)
        self.assertEqual(self.get("other.dev.test", secure=True)[0], 404)

    def test_plain_http_domains_have_no_websecure_router(self):
        app = self.emu.new_application()
        self.emu.ok("domain.create", {"host": "web-m1.dev.test", "applicationId": app["applicationId"]})
        self.assertEqual(self.get("web-m1.dev.test", secure=True)[0], 404)


if __name__ == "__main__":
    unittest.main()
