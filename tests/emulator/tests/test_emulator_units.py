"""In-process checks of the emulator's pure parts: dotenv parsing, parseInt, schema adaptation."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator import dotenv  # noqa: E402
from dokploy_emulator.schemas import SchemaBook, ValidationFailed  # noqa: E402
from dokploy_emulator.specs import js_parse_int  # noqa: E402
from dokploy_emulator.versions import features_for, parse_version  # noqa: E402


class Dotenv(unittest.TestCase):
    def test_parses_like_npm_dotenv(self):
        text = ("A=1\r\nexport B = two words \nC=\"x\\ny\"\nD=a#b\nE='q#w'\n# comment\nF=\n"
                "G=\"multi\nline\"\nnot a line\nH=x=y==\nA=last\n")
        self.assertEqual(dotenv.parse(text), {"A": "last", "B": "two words", "C": "x\ny", "D": "a",
                                              "E": "q#w", "F": "", "G": "multi\nline", "H": "x=y=="})

    def test_references_resolve_or_fail(self):
        self.assertEqual(dotenv.prepare_environment_variables("A=${{project.P}}-${{B}}\nB=b", "P=p"),
                         [("A", "p-b"), ("B", "b")])
        with self.assertRaisesRegex(dotenv.EnvReferenceError, "project.MISSING"):
            dotenv.prepare_environment_variables("A=${{project.MISSING}}", "")


class ParseInt(unittest.TestCase):
    def test_behaves_like_javascript(self):
        for text, value in (("2g", 2), ("1000000000", 1000000000), (" 12abc", 12), ("abc", None),
                            ("", None), (None, None), ("-5", -5), ("0x10", 16), ("1.5e9", 1)):
            self.assertEqual(js_parse_int(text), value, text)


class Schemas(unittest.TestCase):
    book = SchemaBook()

    def issues(self, procedure, version, value):
        try:
            self.book.validate(procedure, features_for(version), value)
        except ValidationFailed as e:
            return e.issues
        return []

    def test_versions_parse(self):
        self.assertEqual(parse_version("v0.30.2"), (0, 30, 2))
        self.assertEqual(parse_version("0.25"), (0, 25, 0))
        with self.assertRaises(ValueError):
            parse_version("latest")

    def test_required_keys_are_reported_once_each_in_the_inputs_order(self):
        for version, message in (("v0.26.1", "Required"),
                                 ("v0.30.2", "Invalid input: expected nonoptional, received undefined")):
            issues = self.issues("application.saveDockerProvider", version, {"applicationId": "a"})
            self.assertEqual([i["path"][0] for i in issues], ["dockerImage", "username", "password", "registryUrl"])
            self.assertTrue(all(i["message"] == message for i in issues), version)

    def test_issue_shapes_follow_zod_3_before_v0_30(self):
        issue, = self.issues("port.create", "v0.26.1", {"applicationId": "a", "publishedPort": "x",
                                                         "targetPort": 22, "protocol": "tcp",
                                                         "publishMode": "host"})
        self.assertEqual((issue["code"], issue["expected"], issue["received"]), ("invalid_type", "number", "string"))
        issue, = self.issues("port.create", "v0.26.1", {"applicationId": "a", "publishedPort": 1,
                                                         "targetPort": 22, "protocol": "sctp",
                                                         "publishMode": "host"})
        self.assertEqual(issue["code"], "invalid_enum_value")
        issue, = self.issues("application.create", "v0.26.1", {"name": "", "environmentId": "e"})
        self.assertEqual(issue["code"], "too_small")

    def test_issue_shapes_follow_zod_4_from_v0_30(self):
        # As real Dokploy v0.30.2 answers them.
        issues = self.issues("port.create", "v0.30.2", {"applicationId": "a", "publishedPort": "x",
                                                         "targetPort": 22})
        self.assertEqual(issues, [{"expected": "number", "code": "invalid_type", "path": ["publishedPort"],
                                   "message": "Invalid input: expected number, received string"}])
        issue, = self.issues("port.create", "v0.30.2", {"applicationId": "a", "publishedPort": 1,
                                                         "targetPort": 22, "protocol": "sctp"})
        self.assertEqual(issue, {"code": "invalid_value", "values": ["tcp", "udp"], "path": ["protocol"],
                                 "message": 'Invalid option: expected one of "tcp"|"udp"'})
        issue, = self.issues("application.create", "v0.30.2", {"name": "", "environmentId": "e"})
        self.assertEqual(issue, {"origin": "string", "code": "too_small", "minimum": 1, "inclusive": True,
                                 "path": ["name"], "message": "Too small: expected string to have >=1 characters"})
        self.assertEqual([(i["path"], i["expected"]) for i in
                          self.issues("application.saveEnvironment", "v0.30.2", {"applicationId": "a", "env": 7})],
                         [(["env"], "string"), (["buildArgs"], "nonoptional"), (["buildSecrets"], "nonoptional"),
                          (["createEnvFile"], "nonoptional")])

    def test_defaults_fill_missing_keys(self):
        for version in ("v0.26.1", "v0.30.2"):
            value = self.book.validate("port.create", features_for(version),
                                       {"applicationId": "a", "publishedPort": 1, "targetPort": 2})
            self.assertEqual((value["publishMode"], value["protocol"]), ("ingress", "tcp"), version)

    def test_v0_30_coerces_booleans_and_numbers_in_bodies(self):
        value = self.book.validate("compose.delete", features_for("v0.30.2"), {"composeId": "c"})
        self.assertIs(value["deleteVolumes"], False)  # Boolean(undefined)
        self.assertEqual(self.issues("compose.delete", "v0.26.1", {"composeId": "c"})[0]["path"], ["deleteVolumes"])
        # Keys of `.required()` inputs are not coerced.
        self.assertEqual(self.issues("port.create", "v0.30.2", {"applicationId": "a", "publishedPort": "12",
                                                                "targetPort": 2})[0]["path"], ["publishedPort"])

    def test_unknown_keys_are_stripped_even_in_nested_objects(self):
        value = self.book.validate("application.update", features_for("v0.30.2"),
                                   {"applicationId": "a", "bogus": 1,
                                    "healthCheckSwarm": {"Test": ["CMD"], "Extra": 1}})
        self.assertNotIn("bogus", value)

    def test_every_subset_procedure_has_a_schema_or_no_input(self):
        for path in self.book.document["paths"]:
            self.book.schema_for(path.lstrip("/"), features_for("v0.30.2"))


if __name__ == "__main__":
    unittest.main()
