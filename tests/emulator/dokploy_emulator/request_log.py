"""The log of every /api/ request, for tests to assert what the client sent (never the API key)."""
from __future__ import annotations

import threading
from typing import Any, Optional


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self._seq = 0

    def add(self, method: str, path: str, procedure: Optional[str], query: dict, body: Any,
            status: Optional[int], schema_error: Optional[str], fault: Optional[str],
            api_key_present: bool) -> None:
        with self._lock:
            self._seq += 1
            self._entries.append({"seq": self._seq, "method": method, "path": path,
                                  "procedure": procedure, "query": query, "body": body,
                                  "status": status, "schema_error": schema_error, "fault": fault,
                                  "api_key_present": api_key_present})

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries = []
