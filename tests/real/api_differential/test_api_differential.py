"""The differential's own logic: shapes, value paths and the comparison must report differences
(a comparison that never finds one would let the emulator drift unnoticed)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from api_differential.compare import compare  # noqa: E402
from api_differential.engine import Record, pick  # noqa: E402
from api_differential.shapes import describe, differences, shape_of  # noqa: E402


def record(status: int, body, pinned=None, index: int = 1) -> Record:
    return Record(index=index, label="one", procedure="application.one", method="GET", request={},
                  status=status, shape=shape_of(body), pinned=pinned or {}, excerpt="")


class ShapeTest(unittest.TestCase):
    def test_equal_shapes_ignore_values(self):
        self.assertEqual(differences(shape_of({"a": "x", "b": [1, 2]}), shape_of({"a": "y", "b": [3]})), [])

    def test_null_against_string_is_a_difference(self):
        self.assertEqual(differences(shape_of({"env": None}), shape_of({"env": "A=1"})),
                         ["env: real says null, emulator says string"])

    def test_missing_and_extra_keys(self):
        found = differences(shape_of({"a": 1, "b": 2}), shape_of({"b": 2, "c": 3}))
        self.assertEqual(found, ["the answer: the emulator lacks a", "the answer: the emulator adds c"])

    def test_arrays_are_the_union_of_their_elements(self):
        shape = shape_of([{"a": 1}, {"a": None, "b": "x"}])
        self.assertEqual(describe(shape["array"]["object"]["a"]), "null | number")
        self.assertEqual(describe(shape["array"]["object"]["b"]), "absent | string")
        self.assertEqual(differences(shape, shape_of([{"a": 1, "b": "x"}])),
                         ["[].a: real says null | number, emulator says number",
                          "[].b: real says absent | string, emulator says string"])

    def test_empty_array_against_a_filled_one(self):
        self.assertEqual(differences(shape_of({"d": []}), shape_of({"d": [{"x": 1}]})),
                         ["d: real says [], emulator says array of object{x}"])

    def test_nested_paths(self):
        self.assertEqual(differences(shape_of({"e": [{"p": {"q": 1}}]}), shape_of({"e": [{"p": {"q": "1"}}]})),
                         ["e[].p.q: real says number, emulator says string"])


class PickTest(unittest.TestCase):
    def test_paths(self):
        body = {"ports": [{"portId": "p1"}, {"portId": "p2"}], "status": "done"}
        self.assertEqual(pick(body, "status"), "done")
        self.assertEqual(pick(body, "ports.0.portId"), "p1")
        self.assertEqual(pick(body, "ports[].portId"), ["p1", "p2"])
        self.assertEqual(pick([{"a": 1}], "[].a"), [1])
        self.assertEqual(pick(body, ""), body)
        self.assertEqual(pick(body, "missing"), "<absent>")


class CompareTest(unittest.TestCase):
    def test_agreeing_runs(self):
        self.assertEqual(compare([record(200, {"a": "x"}, {"a": "x"})], [record(200, {"a": "x"}, {"a": "x"})]), [])

    def test_status_difference(self):
        found = compare([record(404, {"message": "m"})], [record(500, {"message": "m"})])
        self.assertEqual(len(found), 1)
        self.assertTrue(found[0].startswith("step 1 application.one (one): real says HTTP 404, emulator says HTTP 500"))

    def test_pinned_value_difference(self):
        found = compare([record(200, {"s": "done"}, {"s": "done"})], [record(200, {"s": "error"}, {"s": "error"})])
        self.assertEqual(found, ['step 1 application.one (one): s: real says "done", emulator says "error"'])


if __name__ == "__main__":
    unittest.main()
