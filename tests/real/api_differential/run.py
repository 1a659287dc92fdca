#!/usr/bin/env python3
"""Entry point of the API differential test (see main.py): real Dokploy against the emulator."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from api_differential.main import entry  # noqa: E402

entry()
