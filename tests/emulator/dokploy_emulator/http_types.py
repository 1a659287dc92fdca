"""The request and response values passed between the HTTP server and the routers."""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional


@dataclasses.dataclass
class Request:
    method: str
    path: str                              # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]                # lower-case names
    body: bytes


@dataclasses.dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: Optional[str] = "application/json"
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    drop: bool = False                     # close the connection without answering


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(status: int, value: Any, content_type: str = "application/json") -> Response:
    return Response(status=status, body=json_bytes(value), content_type=content_type)
