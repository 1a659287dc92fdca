"""Real Dokploy against the emulator: the same scripted API calls, compared by status, shape and the values the provider reads."""
