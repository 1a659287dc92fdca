"""Turns a Docker Compose file into WorkspaceSpec values with Docker Compose's own semantics, for
the subset a dev workspace uses.

What Compose does and this reproduces:
- YAML is read as go-yaml v3 reads it (YAML 1.2 core schema): `yes`/`no`/`on`/`off` stay strings,
  `22:22` is a string (not YAML 1.1's base-60 integer), only `true`/`false` are booleans.
- Variable interpolation after parsing, on every string value (never on keys): `$VAR`, `${VAR}`,
  `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`
  (defaults nest), `$$` is a literal `$`, a `$` followed by anything else stays as it is, and a
  malformed `${...}` is an error. Values come from the dotenv text (Dokploy writes the service's
  environment to the `.env` beside the compose file) and from an empty process environment; an
  unset variable becomes "" with Compose's warning.
- Container name `<project>-<service>-1` (or `container_name`), named volumes `<project>_<name>`
  (or the volume's `name:`; `external` volumes unscoped), `environment` entries without a value
  taken from the dotenv text or left out, a string `entrypoint`/`command` split like a shell.
- Published ports without an address publish on `host_ip` (the emulated server's address; Docker
  would use 0.0.0.0); `0.0.0.0`/`::` likewise; an explicit address is kept.
"""
from __future__ import annotations

import logging
import re
import shlex
import socket
from typing import Any, Callable, Optional

import yaml

from .api import PortBinding, RunnerError, VolumeMount, WorkspaceSpec

log = logging.getLogger(__name__)

_TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "secrets", "configs", "include", "models"}
# Every service property of the Compose specification: the ones not listed in _USED are accepted
# and ignored (a workspace does not need them); anything else is an error, as in Compose.
_SERVICE_KEYS = {
    "annotations", "attach", "build", "blkio_config", "cap_add", "cap_drop", "cgroup", "cgroup_parent",
    "command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_shares", "cpu_quota",
    "cpu_period", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "credential_spec",
    "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
    "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose", "extends",
    "external_links", "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init",
    "ipc", "isolation", "labels", "label_file", "links", "logging", "mac_address", "mem_limit",
    "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks",
    "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start",
    "pre_stop", "privileged", "profiles", "provider", "pull_policy", "read_only", "restart", "runtime",
    "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
    "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode",
    "uts", "volumes", "volumes_from", "working_dir",
}

_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")


# --- YAML as go-yaml v3 reads it ------------------------------------------------------------

class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types instead of YAML 1.1's."""


_Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    _Yaml12Loader.add_implicit_resolver(_tag, re.compile(_regexp), _first)


def _construct_int12(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_bool12(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    return loader.construct_scalar(node).lower() == "true"


_Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int12)
_Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool12)


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RunnerError(f"yaml: {where}{e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise RunnerError(f"yaml: {e}") from None


# --- dotenv, as compose-go's dotenv reads the .env file ---------------------------------------

def parse_dotenv(text: str, lookup: Optional[Callable[[str], Optional[str]]] = None) -> dict[str, str]:
    """KEY=VALUE (or KEY: VALUE) lines; `export ` prefix; `#` comment lines, and ` #` ends an
    unquoted value; single quotes literal; double quotes multi-line with \\n \\r \\" escapes;
    unquoted and double-quoted values expand ${VAR} from earlier lines. A bare KEY takes its value
    from `lookup` (the process environment, empty here) or is left out."""
    lookup = lookup or (lambda name: None)
    env: dict[str, str] = {}
    i, n = 0, len(text)

    def resolve(name: str) -> Optional[str]:
        return env[name] if name in env else lookup(name)

    while i < n:
        eol = text.find("\n", i)
        line_end = n if eol < 0 else eol
        line = text[i:line_end]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i = line_end + 1
            continue
        body = line.lstrip()
        if body.startswith("export ") or body.startswith("export\t"):
            body = body[7:].lstrip()
        offset = line_end - len(body)  # index of body in text
        m = re.match(r"([^=:\s]+)\s*([=:])?", body)
        if not m:
            raise RunnerError(f"failed to read .env: unexpected character in line {line!r}")
        key = m.group(1)
        if not m.group(2):
            value = lookup(key)
            if value is not None:
                env[key] = value
            i = line_end + 1
            continue
        rest_start = offset + m.end()
        while rest_start < n and text[rest_start] in " \t":
            rest_start += 1
        q = text[rest_start] if rest_start < n else ""
        if q in ("'", '"'):
            j = rest_start + 1
            buf = []
            while j < n and text[j] != q:
                if q == '"' and text[j] == "\\" and j + 1 < n:
                    buf.append(text[j:j + 2])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                raise RunnerError(f"failed to read .env: unterminated quoted value for {key}")
            raw = "".join(buf)
            if q == '"':  # \n and \r, and a backslash before anything but $ drops
                raw = re.sub(r"\\([^$])", lambda mm: {"n": "\n", "r": "\r"}.get(mm.group(1), mm.group(1)), raw,
                             flags=re.S)
                raw = _expand_dotenv(raw, resolve)
            env[key] = raw
            nl = text.find("\n", j)
            i = n if nl < 0 else nl + 1
        else:
            raw = text[rest_start:line_end].split(" #", 1)[0]  # an inline comment needs a space before
            env[key] = _expand_dotenv(raw.strip(), resolve)
            i = line_end + 1
    return env


def _expand_dotenv(value: str, resolve: Callable[[str], Optional[str]]) -> str:
    return _Interpolator(resolve, warn=lambda _msg: None, where=".env").sub(value)


# --- interpolation ---------------------------------------------------------------------------

class _Interpolator:
    def __init__(self, resolve: Callable[[str], Optional[str]], warn: Callable[[str], None], where: str):
        self.resolve = resolve
        self.warn = warn
        self.where = where
        self.warned: set[str] = set()

    def _invalid(self, text: str) -> RunnerError:
        return RunnerError(f"invalid interpolation format for {self.where}.\n"
                           f"You may need to escape any $ with another $.\n{text}")

    def sub(self, s: str) -> str:
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c != "$" or i + 1 >= n:
                out.append(c)
                i += 1
                continue
            nxt = s[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
            elif nxt == "{":
                end = self._closing(s, i + 2)
                if end < 0:
                    raise self._invalid(s)
                out.append(self._braced(s[i + 2:end], s))
                i = end + 1
            else:
                m = _NAME.match(s, i + 1)
                if m:
                    out.append(self._value(m.group(0)))
                    i = m.end()
                else:  # "$" followed by anything else is kept as it is
                    out.append("$")
                    i += 1
        return "".join(out)

    @staticmethod
    def _closing(s: str, start: int) -> int:
        depth, i = 1, start
        while i < len(s):
            if s.startswith("${", i):
                depth += 1
                i += 2
                continue
            if s[i] == "}":
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return -1

    def _value(self, name: str) -> str:
        value = self.resolve(name)
        if value is None:
            if name not in self.warned:
                self.warned.add(name)
                self.warn(f'The "{name}" variable is not set. Defaulting to a blank string.')
            return ""
        return value

    def _braced(self, body: str, whole: str) -> str:
        m = _NAME.match(body)
        if not m:
            raise self._invalid(whole)
        name, rest = m.group(0), body[m.end():]
        if not rest:
            return self._value(name)
        value = self.resolve(name)
        colon = rest.startswith(":")
        op = rest[1:2] if colon else rest[:1]
        arg = rest[2:] if colon else rest[1:]
        if op not in ("-", "?", "+"):
            raise self._invalid(whole)
        missing = value is None or (colon and value == "")
        if op == "-":
            return self.sub(arg) if missing else value
        if op == "+":
            return "" if missing else self.sub(arg)
        if missing:  # "?"
            reason = self.sub(arg)
            raise RunnerError(f"error while interpolating {self.where}:\nrequired variable {name} is missing a value"
                              + (f": {reason}" if reason else ""))
        return value

    def walk(self, node: Any, path: str) -> Any:
        if isinstance(node, str):
            saved, self.where = self.where, path
            try:
                return self.sub(node)
            finally:
                self.where = saved
        if isinstance(node, dict):
            return {k: self.walk(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
        if isinstance(node, list):
            return [self.walk(v, f"{path}.[]") for v in node]
        return node


# --- the compose model -----------------------------------------------------------------------

def normalize_project_name(name: str) -> str:
    """Compose lower-cases the project name and keeps [a-z0-9_-], starting with a letter or digit."""
    name = re.sub(r"[^a-z0-9_-]", "", name.lower())
    return re.sub(r"^[^a-z0-9]+", "", name)


def specs_from_compose(compose_text: str, project_name: str, host_ip: str = "127.0.0.1",
                       env_file_text: str = "", warn: Optional[Callable[[str], None]] = None
                       ) -> list[WorkspaceSpec]:
    """The workspaces `docker compose -p <project_name> up -d` would create, in file order.
    `warn` receives Compose's warnings (default: this module's logger). Raises RunnerError with a
    Compose-like message for what Compose would reject."""
    warn = warn or (lambda msg: log.warning("%s", msg))
    project = normalize_project_name(project_name)
    if not project:
        raise RunnerError(f"invalid project name {project_name!r}: must contain a letter or digit")
    doc = _load_yaml(compose_text)
    if doc is None:
        raise RunnerError("empty compose file")
    if not isinstance(doc, dict):
        raise RunnerError("Top-level object must be a mapping")
    for key in doc:
        if not isinstance(key, str) or (key not in _TOP_LEVEL and not key.startswith("x-")):
            raise RunnerError(f"(root) Additional property {key} is not allowed")
    dotenv = parse_dotenv(env_file_text)
    interp = _Interpolator(dotenv.get, warn, "")
    doc = interp.walk(doc, "")
    services = doc.get("services")
    if not services:
        raise RunnerError("no service selected" if isinstance(services, dict) or services is None
                          else "services must be a mapping")
    if not isinstance(services, dict):
        raise RunnerError("services must be a mapping")
    volumes_decl = doc.get("volumes") or {}
    if not isinstance(volumes_decl, dict):
        raise RunnerError("volumes must be a mapping")
    specs = []
    for name, svc in services.items():
        if svc is None:
            svc = {}
        if not isinstance(svc, dict):
            raise RunnerError(f"services.{name} must be a mapping")
        for key in svc:
            if key not in _SERVICE_KEYS and not str(key).startswith("x-"):
                raise RunnerError(f"services.{name} Additional property {key} is not allowed")
        specs.append(_service_spec(project, str(name), svc, volumes_decl, dotenv, host_ip))
    return specs


def _service_spec(project: str, name: str, svc: dict, volumes_decl: dict, dotenv: dict[str, str],
                  host_ip: str) -> WorkspaceSpec:
    where = f"services.{name}"
    image = svc.get("image")
    if not isinstance(image, str) or not image:
        raise RunnerError(f"service {name!r} has neither an image nor a build context specified: invalid compose project"
                          if "build" not in svc else f"{where}: build is not supported by the emulator, use an image")
    limits = ((svc.get("deploy") or {}).get("resources") or {}).get("limits") or {}
    memory = limits.get("memory", svc.get("mem_limit"))
    cpus = limits.get("cpus", svc.get("cpus"))
    user = svc.get("user")
    return WorkspaceSpec(
        key=str(svc.get("container_name") or f"{project}-{name}-1"),
        group=project,
        image=image,
        entrypoint=_argv(svc.get("entrypoint"), f"{where}.entrypoint"),
        command=_argv(svc.get("command"), f"{where}.command"),
        env=_environment(svc.get("environment"), dotenv, f"{where}.environment"),
        ports=tuple(p for spec in (svc.get("ports") or []) for p in _ports(spec, host_ip, f"{where}.ports")),
        volumes=tuple(_volume(v, project, volumes_decl, name) for v in (svc.get("volumes") or [])),
        privileged=_bool(svc.get("privileged", False), f"{where}.privileged"),
        working_dir=_opt_str(svc.get("working_dir")),
        user=None if user is None else str(user),
        memory_limit_bytes=None if memory is None else _bytes(memory, f"{where} memory limit"),
        nano_cpus=None if cpus is None else _nano_cpus(cpus, f"{where}.cpus"),
    )


def _opt_str(v: Any) -> Optional[str]:
    return None if v is None else str(v)


def _bool(v: Any, where: str) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    raise RunnerError(f"{where} must be a boolean")


def _scalar_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _argv(v: Any, where: str) -> Optional[tuple[str, ...]]:
    if v is None:
        return None
    if isinstance(v, str):
        try:
            return tuple(shlex.split(v))
        except ValueError as e:
            raise RunnerError(f"{where}: {e}") from None
    if isinstance(v, list):
        return tuple(_scalar_str(x) for x in v)
    raise RunnerError(f"{where} must be a string or a list")


def _environment(v: Any, dotenv: dict[str, str], where: str) -> tuple[tuple[str, str], ...]:
    env: dict[str, str] = {}
    if v is None:
        return ()
    if isinstance(v, dict):
        items = [(str(k), None if val is None else _scalar_str(val)) for k, val in v.items()]
    elif isinstance(v, list):
        items = []
        for entry in v:
            entry = _scalar_str(entry)
            k, eq, val = entry.partition("=")
            items.append((k, val if eq else None))
    else:
        raise RunnerError(f"{where} must be a mapping or a list")
    for k, val in items:
        if val is None:  # no value: taken from the environment Compose runs in, else left out
            val = dotenv.get(k)
            if val is None:
                env.pop(k, None)
                continue
        env[k] = val
    return tuple(sorted(env.items()))


def _port_range(text: str, where: str) -> list[int]:
    text = text.strip()
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if not m:
        raise RunnerError(f"{where}: invalid port {text!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if not (0 < lo <= hi <= 65535):
        raise RunnerError(f"{where}: invalid port range {text!r}")
    return list(range(lo, hi + 1))


def _free_port(host_ip: str) -> int:
    family = socket.AF_INET6 if ":" in host_ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host_ip, 0))
        return s.getsockname()[1]


def _bindings(ip: str, published: str, target: str, protocol: str, host_ip: str, where: str
              ) -> list[PortBinding]:
    if protocol not in ("tcp", "udp"):
        raise RunnerError(f"{where}: unsupported protocol {protocol!r}")
    ip = ip.strip("[]")
    if ip in ("", "0.0.0.0", "::"):
        ip = host_ip
    targets = _port_range(target, where)
    if not published:
        return [PortBinding(_free_port(ip), t, protocol, ip) for t in targets]
    pubs = _port_range(published, where)
    if len(pubs) == 1 and len(targets) == 1:
        return [PortBinding(pubs[0], targets[0], protocol, ip)]
    if len(pubs) != len(targets):
        # Compose picks one free port of a published range for a single target; keep the first.
        if len(targets) == 1:
            return [PortBinding(pubs[0], targets[0], protocol, ip)]
        raise RunnerError(f"{where}: port ranges don't match in length")
    return [PortBinding(p, t, protocol, ip) for p, t in zip(pubs, targets)]


def _ports(spec: Any, host_ip: str, where: str) -> list[PortBinding]:
    if isinstance(spec, dict):
        target = spec.get("target")
        if target is None:
            raise RunnerError(f"{where} target is required")
        published = spec.get("published")
        return _bindings(str(spec.get("host_ip") or ""), "" if published is None else _scalar_str(published),
                         _scalar_str(target), str(spec.get("protocol") or "tcp"), host_ip, where)
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = str(spec)
    if not isinstance(spec, str):
        raise RunnerError(f"{where}: invalid port {spec!r}")
    text, _, protocol = spec.partition("/")
    protocol = protocol or "tcp"
    m = re.fullmatch(r"(?:(\[[^\]]*\]|[^:]*):)??(?:([\d-]*):)?([\d-]+)", text)
    if not m:
        raise RunnerError(f"{where}: invalid port {spec!r}")
    ip, published, target = m.group(1) or "", m.group(2) or "", m.group(3)
    return _bindings(ip, published, target, protocol, host_ip, where)


def _named_volume_source(vol: str, project: str, volumes_decl: dict, service: str) -> str:
    if vol not in volumes_decl:
        raise RunnerError(f'service "{service}" refers to undefined volume {vol}: invalid compose project')
    decl = volumes_decl.get(vol) or {}
    if not isinstance(decl, dict):
        raise RunnerError(f"volumes.{vol} must be a mapping")
    ext = decl.get("external")
    if ext is True or isinstance(ext, dict):
        return str(decl.get("name") or (ext.get("name") if isinstance(ext, dict) else None) or vol)
    return str(decl.get("name") or f"{project}_{vol}")


def _volume(spec: Any, project: str, volumes_decl: dict, service: str) -> VolumeMount:
    where = f"services.{service}.volumes"
    if isinstance(spec, dict):
        kind = spec.get("type", "volume")
        target = spec.get("target")
        if not target:
            raise RunnerError(f"{where}: target is required")
        source = spec.get("source")
        read_only = bool(spec.get("read_only", False))
    elif isinstance(spec, str):
        parts = spec.split(":")
        mode = ""
        if len(parts) >= 3 or (len(parts) == 2 and parts[1] in ("ro", "rw")):
            mode = parts.pop()
        if len(parts) == 1:
            source, target = None, parts[0]
        else:
            source, target = ":".join(parts[:-1]), parts[-1]
        read_only = "ro" in mode.split(",")
        kind = "volume" if source is None or not source.startswith(("/", ".", "~")) else "bind"
    else:
        raise RunnerError(f"{where}: invalid volume {spec!r}")
    target = str(target)
    if not target.startswith("/"):
        raise RunnerError(f"{where}: invalid mount target {target!r}, must be an absolute path")
    if kind == "volume":
        if not source:  # anonymous: Compose keeps it across recreation; removed with `down -v`
            import hashlib
            digest = hashlib.sha256(f"{service}:{target}".encode()).hexdigest()[:16]
            return VolumeMount(f"{project}_anon_{digest}", target, "volume", read_only)
        return VolumeMount(_named_volume_source(str(source), project, volumes_decl, service), target,
                           "volume", read_only)
    if kind == "bind":
        source = str(source or "")
        if not source.startswith("/"):
            raise RunnerError(f"{where}: relative bind source {source!r} is not supported by the emulator")
        return VolumeMount(source, target, "bind", read_only)
    raise RunnerError(f"{where}: volume type {kind!r} is not supported by the emulator")


_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def _bytes(v: Any, where: str) -> int:
    """go-units RAMInBytes: binary multiples, optional b/ib suffix ("512m", "1.5GB", 1073741824)."""
    if isinstance(v, bool):
        raise RunnerError(f"{where}: invalid size {v!r}")
    if isinstance(v, (int, float)):
        return int(v)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s?([kKmMgGtTpP]?)[iI]?[bB]?\s*", str(v))
    if not m:
        raise RunnerError(f"{where}: invalid size: '{v}'")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def _nano_cpus(v: Any, where: str) -> int:
    try:
        cpus = float(v)
    except (TypeError, ValueError):
        raise RunnerError(f"{where}: invalid cpus {v!r}") from None
    if cpus < 0:
        raise RunnerError(f"{where}: invalid cpus {v!r}")
    return int(round(cpus * 1e9))
