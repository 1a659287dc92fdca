"""Command line of the workspace runner; see `python3 -m workspace_runner --help`."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
