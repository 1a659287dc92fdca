"""One Dokploy API call the way the provider makes it: GET with query parameters for queries, POST
with a JSON body for mutations, the key in `x-api-key`. Answers are kept whole (status, content
type, parsed body) so that error answers can be compared as well as successes."""
from __future__ import annotations

import dataclasses
import http.client
import json
import urllib.parse
from typing import Any, Optional

EMPTY = object()   # the body of a 200 answer with no content (a mutation that returns undefined)
OWN_KEY = "<the client's key>"


@dataclasses.dataclass
class Answer:
    status: int
    content_type: str
    body: Any              # parsed JSON, EMPTY, or the text of a non-JSON body
    is_json: bool


class ApiClient:
    def __init__(self, base_url: str, key: str, timeout: float = 180.0) -> None:
        split = urllib.parse.urlsplit(base_url)
        if split.scheme != "http":
            raise ValueError(f"only http:// is supported here: {base_url}")
        self.host = split.hostname or "127.0.0.1"
        self.port = split.port or 80
        self.key = key
        self.timeout = timeout  # Dokploy's development mode compiles a route on its first call

    def call(self, procedure: str, method: str, payload: Optional[dict],
             key: Optional[str] = OWN_KEY, raw_body: Optional[bytes] = None) -> Answer:
        """`key`: the client's own by default, another one, or None for none at all."""
        key = self.key if key is OWN_KEY else key
        headers = {"x-api-key": key} if key else {}
        path = "/api/" + procedure
        body: Optional[bytes] = None
        if method == "GET":
            if payload:
                path += "?" + urllib.parse.urlencode(
                    {k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()})
        else:
            headers["Content-Type"] = "application/json"
            body = raw_body if raw_body is not None else json.dumps(payload or {}).encode()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            content_type = response.getheader("Content-Type") or ""
            return _answer(response.status, content_type, data)
        finally:
            conn.close()


def _answer(status: int, content_type: str, data: bytes) -> Answer:
    if not data:
        return Answer(status, content_type, EMPTY, False)
    text = data.decode("utf-8", "replace")
    try:
        return Answer(status, content_type, json.loads(text), True)
    except ValueError:
        return Answer(status, content_type, text, False)
