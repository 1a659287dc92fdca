"""A Dokploy HTTP API emulator for the provider's tests: a real HTTP(S) server that answers as
Dokploy v0.24.0 to v0.30.2 do (docs/compatibility.md, "Differences between Dokploy versions") and
validates every request against the schemas of tests/emulator/reference/dokploy-openapi-subset.json.

Start it with the `tests/emulator/dokploy-emulator` script; `cli.py` documents the options and
`control.py` the test-only control API under /__emulator/.
"""
