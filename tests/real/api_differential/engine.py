"""Runs a scripted sequence of API calls against one Dokploy (real or emulated) and records, per
step, what the comparison needs: the status code, the answer's shape and the values the provider
depends on. Ids and names made by earlier steps are substituted into later requests."""
from __future__ import annotations

import copy
import dataclasses
import http.client
import time
from typing import Any, Callable, Optional

from .client import EMPTY, Answer, ApiClient
from .shapes import Shape, shape_of

# Procedure names after the router that are queries (GET); everything else is a mutation (POST).
_QUERIES = {"all", "one", "byProjectId", "listByServiceId", "getDokployVersion",
            "getServiceContainersByAppName", "getContainersByAppNameMatch", "allByCompose",
            "readLogs", "byApplicationId", "byComposeId"}

WRONG_KEY = "dpp-api-differential-wrong-key"


@dataclasses.dataclass(frozen=True)
class Ref:
    """A value an earlier step saved, e.g. Ref("applicationId")."""
    name: str


@dataclasses.dataclass
class Step:
    label: str                         # what the step checks, e.g. "unknown id"
    procedure: str
    payload: Any = None                # dict with Ref values, or None
    method: Optional[str] = None       # default: GET for queries, POST for mutations
    key: str = "valid"                 # "valid" | "wrong" | "none"
    pin: tuple[str, ...] = ()          # paths whose values must agree too (see pick())
    save: dict[str, str] = dataclasses.field(default_factory=dict)  # name -> path in the answer
    creates: Optional[str] = None      # "project" | "application" | "compose": cleaned up at the end
    select: Optional[Callable[["Context", Any], Any]] = None  # the part of the answer compared
    until: Optional[Callable[[Any], bool]] = None  # poll until the answer satisfies this
    # Emulator only: a fault for this call (the emulator cannot know that an image is missing).
    emulator_fault: Optional[dict] = None

    @property
    def http_method(self) -> str:
        if self.method:
            return self.method
        if self.procedure == "health":
            return "GET"
        return "GET" if self.procedure.rsplit(".", 1)[-1] in _QUERIES else "POST"


@dataclasses.dataclass
class Record:
    index: int
    label: str
    procedure: str
    method: str
    request: Any                       # the payload with Refs shown as {name}
    status: int
    shape: Shape
    pinned: dict[str, Any]
    excerpt: str                       # the start of the body, for the report
    body: Any = None                   # the compared answer (JSON), for the records on disk


ID_COLUMNS = {"project": "projectId", "application": "applicationId", "compose": "composeId"}


class Context:
    """What one run of the sequence has made so far."""

    def __init__(self, target: str, tag: str, image: str, missing_image: str) -> None:
        self.target = target               # "real" | "emulator"
        self.tag = tag
        self.image = image
        self.missing_image = missing_image
        self.values: dict[str, Any] = {}
        self.created: list[tuple[str, str]] = []  # (kind, id), oldest first

    def resolve(self, template: Any) -> Any:
        if isinstance(template, Ref):
            return self.values.get(template.name, f"missing-{template.name}")
        if isinstance(template, dict):
            return {k: self.resolve(v) for k, v in template.items()}
        if isinstance(template, list):
            return [self.resolve(v) for v in template]
        return template


def shown(template: Any) -> Any:
    if isinstance(template, Ref):
        return "{" + template.name + "}"
    if isinstance(template, dict):
        return {k: shown(v) for k, v in template.items()}
    if isinstance(template, list):
        return [shown(v) for v in template]
    return template


_NOTHING = "<absent>"


def pick(value: Any, path: str) -> Any:
    """The value at `a.b` (`""`: the whole answer, `a.0`: an element); `a[].b` collects from
    every element, `[].b` from every element of an answer that is a list."""
    if path == "":
        return value
    head, _, rest = path.partition(".")
    each = head.endswith("[]")
    name = head[:-2] if each else head
    if isinstance(value, list) and name.isdigit():
        inner = value[int(name)] if int(name) < len(value) else _NOTHING
    elif isinstance(value, dict) and name:
        inner = value.get(name, _NOTHING)
    elif name:
        inner = _NOTHING
    else:
        inner = value
    if each:
        if not isinstance(inner, list):
            return _NOTHING
        return [pick(item, rest) for item in inner]
    if inner is _NOTHING:
        return _NOTHING
    return pick(inner, rest)


def body_shape(answer: Answer) -> Shape:
    if answer.body is EMPTY:
        return {"empty": None}
    if not answer.is_json:
        return {"text": None}
    return shape_of(answer.body)


class Target:
    """One Dokploy the sequence runs against."""

    def __init__(self, name: str, client: ApiClient, poll_interval_s: float, poll_limit_s: float,
                 add_fault: Optional[Callable[[dict], None]] = None,
                 error_artefacts: tuple[str, ...] = ()) -> None:
        self.name = name
        self.client = client
        self.poll_interval_s = poll_interval_s
        self.poll_limit_s = poll_limit_s
        self.add_fault = add_fault
        # Keys (`a.b`) of error bodies that belong to how this server runs, not to the API.
        self.error_artefacts = error_artefacts

    def send(self, step: Step, ctx: Context) -> Answer:
        key = {"valid": self.client.key, "wrong": WRONG_KEY, "none": None}[step.key]
        payload = ctx.resolve(step.payload)
        return self.client.call(step.procedure, step.http_method, payload, key=key)


def run_step(index: int, step: Step, target: Target, ctx: Context, log: Callable[[str], None]) -> Record:
    if step.emulator_fault is not None and target.add_fault is not None:
        target.add_fault(step.emulator_fault)
    answer = target.send(step, ctx)
    if step.until is not None:
        deadline = time.monotonic() + target.poll_limit_s
        while answer.status == 200 and not step.until(answer.body):
            if time.monotonic() > deadline:
                log(f"{target.name}: step {index} {step.procedure} did not reach its final state in "
                    f"{target.poll_limit_s:.0f} s; comparing the last answer")
                break
            time.sleep(target.poll_interval_s)
            answer = target.send(step, ctx)
    if answer.status == 200 and answer.is_json:
        for name, path in step.save.items():
            value = pick(answer.body, path)
            if value is not _NOTHING:
                ctx.values[name] = value
        if step.creates:
            created_id = pick(answer.body, ID_COLUMNS[step.creates])
            if isinstance(created_id, str) and created_id != _NOTHING:
                ctx.created.append((step.creates, created_id))
    body = answer.body
    if step.select is not None and answer.status == 200 and answer.is_json:
        body = step.select(ctx, body)
    if answer.status != 200 and isinstance(body, dict):
        body = _without(body, target.error_artefacts)
    compared = Answer(answer.status, answer.content_type, body, answer.is_json)
    text = "" if answer.body is EMPTY else (str(answer.body) if not answer.is_json else repr(body))
    return Record(index=index, label=step.label, procedure=step.procedure, method=step.http_method,
                  request=shown(step.payload), status=answer.status, shape=body_shape(compared),
                  pinned={path: _pinned_value(compared, path) for path in step.pin},
                  excerpt=text[:300], body=body if compared.is_json else None)


def _without(body: dict, paths: tuple[str, ...]) -> dict:
    body = copy.deepcopy(body)
    for path in paths:
        *parents, last = path.split(".")
        holder: Any = body
        for name in parents:
            holder = holder.get(name) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(last, None)
    return body


def _pinned_value(answer: Answer, path: str) -> Any:
    if answer.is_json:
        return pick(answer.body, path)
    return "<empty body>" if answer.body is EMPTY else answer.body


def run_sequence(steps: list[Step], target: Target, ctx: Context,
                 log: Callable[[str], None]) -> list[Record]:
    records = []
    for index, step in enumerate(steps, start=1):
        try:
            record = run_step(index, step, target, ctx, log)
        except (OSError, http.client.HTTPException) as e:  # no answer (a timeout, a reset): a difference in itself, not the end
            record = Record(index=index, label=step.label, procedure=step.procedure, method=step.http_method,
                            request=shown(step.payload), status=0, shape={"no answer": None},
                            pinned={}, excerpt=f"no answer: {e!r}")
        log(f"{target.name}: step {index} {step.procedure} ({step.label}) -> {record.status}")
        records.append(record)
    return records
