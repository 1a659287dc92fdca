"""tRPC-style errors as Dokploy's OpenAPI handler (trpc-to-openapi) serialises them."""
from __future__ import annotations

from typing import Any, Optional

# tRPC error codes and the HTTP statuses trpc-to-openapi maps them to.
HTTP_STATUS = {
    "PARSE_ERROR": 400,
    "BAD_REQUEST": 400,
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "METHOD_NOT_SUPPORTED": 405,
    "TIMEOUT": 408,
    "CONFLICT": 409,
    "PRECONDITION_FAILED": 412,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "UNPROCESSABLE_CONTENT": 422,
    "TOO_MANY_REQUESTS": 429,
    "CLIENT_CLOSED_REQUEST": 499,
    "INTERNAL_SERVER_ERROR": 500,
    "NOT_IMPLEMENTED": 501,
}

CODE_FOR_STATUS = {
    400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
    405: "METHOD_NOT_SUPPORTED", 408: "TIMEOUT", 409: "CONFLICT", 412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 422: "UNPROCESSABLE_CONTENT",
    429: "TOO_MANY_REQUESTS", 499: "CLIENT_CLOSED_REQUEST", 500: "INTERNAL_SERVER_ERROR",
    501: "NOT_IMPLEMENTED",
}


class ApiError(Exception):
    """A TRPCError thrown by a procedure: becomes the JSON error body below."""

    def __init__(self, code: str, message: str, issues: Optional[list] = None,
                 zod_error: Optional[dict] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.issues = issues
        self.zod_error = zod_error

    @property
    def status(self) -> int:
        return HTTP_STATUS.get(self.code, 500)


def not_found(what: str) -> ApiError:
    return ApiError("NOT_FOUND", f"{what} not found")


def error_body(code: str, message: str, path: Optional[str], issues: Optional[list] = None,
               zod_error: Optional[dict] = None) -> dict[str, Any]:
    """trpc-to-openapi answers `{...errorShape, message, code, issues}`; Dokploy's errorFormatter
    adds data.zodError. Key order follows that spread; `path` is absent when no procedure matched
    (JSON drops undefined) and `stack` is absent in production builds."""
    data: dict[str, Any] = {"code": code, "httpStatus": HTTP_STATUS.get(code, 500)}
    if path is not None:
        data["path"] = path
    data["zodError"] = zod_error
    body: dict[str, Any] = {"message": message, "code": code, "data": data}
    if issues is not None:
        body["issues"] = issues
    return body
