"""A Dokploy HTTP API emulator for the provider's tests: a real HTTP(S) server that follows
shared/reference/dokploy-api.md and the request schemas of dokploy-openapi-subset.json.

Start it with the `tests/emulator/dokploy-emulator` script; `cli.py` documents the options and
`control.py` the test-only control API under /__emulator/.
"""
