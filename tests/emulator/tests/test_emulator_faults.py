"""Injected faults: status codes, Retry-After, dropped connections, truncated JSON, slow answers."""
import http.client
import json
import socket
import time
import unittest

import shared_emulator


class Faults(shared_emulator.SharedEmulatorTest):
    def fault(self, **spec):
        return self.emu.control("POST", "faults", spec)["faultId"]

    def test_status_with_retry_after_header(self):
        fid = self.fault(procedure="project.all", match="nth", nth=1,
                         action={"status": 429, "retry_after": 2})
        status, headers, body = self.emu.raw("GET", "/api/project.all", headers={"x-api-key": "test-token"})
        self.assertEqual((status, headers["retry-after"]), (429, "2"))
        self.assertEqual(json.loads(body)["code"], "TOO_MANY_REQUESTS")
        self.assertEqual(self.emu.ok("project.all"), [])  # only the first call
        faulted = [r for r in self.emu.control("GET", "requests") if r["status"] == 429]
        self.assertEqual([r["fault"] for r in faulted], [fid])

    def test_faults_act_before_auth(self):
        self.fault(procedure="project.all", action={"status": 502, "body": "<html>bad gateway</html>",
                                                    "content_type": "text/html"}, times=1)
        status, headers, body = self.emu.raw("GET", "/api/project.all")
        self.assertEqual((status, headers["content-type"], body), (502, "text/html", b"<html>bad gateway</html>"))

    def test_nth_counts_calls_to_that_procedure_only(self):
        self.fault(procedure="settings.getDokployVersion", match="nth", nth=2, action={"status": 503})
        self.emu.ok("project.all")
        self.assertEqual(self.emu.call("settings.getDokployVersion")[0], 200)
        self.assertEqual(self.emu.call("settings.getDokployVersion")[0], 503)
        self.assertEqual(self.emu.call("settings.getDokployVersion")[0], 200)

    def test_always_with_times(self):
        self.fault(procedure="*", match="always", times=2, action={"status": 500})
        codes = [self.emu.call("project.all")[0] for _ in range(3)]
        self.assertEqual(codes, [500, 500, 200])

    def test_drop_closes_the_connection_without_an_answer(self):
        self.fault(procedure="project.all", match="nth", nth=1, action={"drop": True})
        conn = self.emu.connection()
        try:
            conn.request("GET", "/api/project.all", headers={"x-api-key": "test-token"})
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
                conn.getresponse()
        finally:
            conn.close()
        self.assertEqual(self.emu.call("project.all")[0], 200)

    def test_malformed_json(self):
        self.fault(procedure="project.all", match="nth", nth=1, action={"malformed": True})
        status, _, body = self.emu.raw("GET", "/api/project.all", headers={"x-api-key": "test-token"})
        self.assertEqual(status, 200)
        with self.assertRaises(ValueError):
            json.loads(body)

    def test_delay_makes_a_client_read_time_out(self):
        self.fault(procedure="project.all", match="nth", nth=1, action={"delay_ms": 600})
        conn = self.emu.connection(timeout=0.2)
        started = time.monotonic()
        try:
            conn.request("GET", "/api/project.all", headers={"x-api-key": "test-token"})
            with self.assertRaises(socket.timeout):
                conn.getresponse()
        finally:
            conn.close()
        self.assertLess(time.monotonic() - started, 0.5)
        started = time.monotonic()
        self.fault(procedure="project.all", match="nth", nth=1, action={"delay_ms": 300})
        self.assertEqual(self.emu.call("project.all")[0], 200)  # slow, then a normal answer
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_bad_fault_specs_are_refused(self):
        status, _, _ = self.emu.raw("POST", "/__emulator/faults", b'{"procedure":"x","action":{"explode":1}}',
                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 400)

    def test_clearing_faults(self):
        self.fault(procedure="*", action={"status": 500})
        self.emu.control("DELETE", "faults")
        self.assertEqual(self.emu.call("project.all")[0], 200)

    def test_tokens_can_be_added_through_the_control_api(self):
        self.assertEqual(self.emu.call("project.all", token="second")[0], 401)
        self.emu.control("POST", "tokens", {"token": "second"})
        self.assertEqual(self.emu.call("project.all", token="second")[0], 200)


if __name__ == "__main__":
    unittest.main()
