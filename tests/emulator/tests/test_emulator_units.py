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

    def test_required_keys_are_reported_once_each(self):
        issues = self.issues("application.saveDockerProvider", "v0.30.2", {"applicationId": "a"})
        self.assertEqual(sorted(i["path"][0] for i in issues),
                         ["dockerImage", "password", "registryUrl", "username"])
        self.assertTrue(all(i["message"] == "Required" for i in issues))

    def test_issue_shapes_follow_zod(self):
        issue, = self.issues("port.create", "v0.30.2", {"applicationId": "a", "publishedPort": "x",
                                                         "targetPort": 22, "protocol": "tcp",
                                                         "publishMode": "host"})
        self.assertEqual((issue["code"], issue["expected"], issue["received"]), ("invalid_type", "number", "string"))
        issue, = self.issues("port.create", "v0.30.2", {"applicationId": "a", "publishedPort": 1,
                                                         "targetPort": 22, "protocol": "sctp",
                                                         "publishMode": "host"})
        self.assertEqual(issue["code"], "invalid_enum_value")
        issue, = self.issues("application.create", "v0.30.2", {"name": "", "environmentId": "e"})
        self.assertEqual(issue["code"], "too_small")

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
