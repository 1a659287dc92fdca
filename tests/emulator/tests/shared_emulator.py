"""Set-up for the test classes that need one emulator with the default options. The tests import it
by its bare name: `unittest discover -s tests/emulator/tests` puts this folder on sys.path."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dokploy_emulator.testing import EmulatorProcess  # noqa: E402


class SharedEmulatorTest(unittest.TestCase):
    """One emulator per class, not per test, keeps the suite fast; the reset before each test keeps
    the tests independent."""

    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess().start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("POST", "reset")
