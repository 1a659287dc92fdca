"""Environment text as Dokploy turns it into a container's Env: npm `dotenv` parse() (v16) plus the
`${{project.X}}` / `${{environment.X}}` / `${{X}}` references of prepareEnvironmentVariables().

Choice documented here: Dokploy does not split lines on the first '=' itself; it hands the text to
dotenv, so the emulator ports dotenv's line regex instead of Docker's --env-file rules. That means,
like the real server: `export ` prefixes are allowed, `#` starts a comment in an UNQUOTED value
(`P=a#b` yields `a`), surrounding quotes are removed, `\\n` is expanded only inside double quotes,
quoted values may span lines, a later duplicate key wins, and malformed lines are skipped silently.
"""
from __future__ import annotations

import re
from typing import Optional

# dotenv v16 lib/main.js LINE, translated: JS `(?:^|^)` is `^`; `[\w.-]` is ASCII there.
_LINE = re.compile(
    r"^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)("
    r"\s*'(?:\\'|[^'])*'|\s*\"(?:\\\"|[^\"])*\"|\s*`(?:\\`|[^`])*`|[^#\r\n]+"
    r")?\s*(?:#.*)?$",
    re.MULTILINE | re.ASCII,
)
_QUOTED = re.compile(r"^(['\"`])([\s\S]*)\1$", re.MULTILINE)


def parse(src: Optional[str]) -> dict[str, str]:
    """dotenv.parse(): key -> value, insertion order of first appearance, last value wins."""
    out: dict[str, str] = {}
    text = re.sub(r"\r\n?", "\n", src or "")
    for match in _LINE.finditer(text):
        key = match.group(1)
        value = (match.group(2) or "").strip()
        maybe_quote = value[:1]
        value = _QUOTED.sub(r"\2", value)
        if maybe_quote == '"':
            value = value.replace("\\n", "\n").replace("\\r", "\r")
        out[key] = value
    return out


class EnvReferenceError(Exception):
    pass


def prepare_environment_variables(service_env: Optional[str], project_env: Optional[str] = None,
                                  environment_env: Optional[str] = None) -> list[tuple[str, str]]:
    """prepareEnvironmentVariables(): the service's variables with `${{project.X}}`,
    `${{environment.X}}` and `${{X}}` (another service variable) resolved; an unknown reference
    fails the deploy with Dokploy's message."""
    project_vars = parse(project_env)
    environment_vars = parse(environment_env)
    service_vars = parse(service_env)
    result: list[tuple[str, str]] = []
    for key, value in service_vars.items():
        def project_ref(m: re.Match) -> str:
            if m.group(1) in project_vars:
                return project_vars[m.group(1)]
            raise EnvReferenceError(f"Invalid project environment variable: project.{m.group(1)}")

        def environment_ref(m: re.Match) -> str:
            if m.group(1) in environment_vars:
                return environment_vars[m.group(1)]
            raise EnvReferenceError(f"Invalid environment variable: environment.{m.group(1)}")

        def service_ref(m: re.Match) -> str:
            if m.group(1) in service_vars:
                return service_vars[m.group(1)]
            raise EnvReferenceError(f"Invalid service environment variable: {m.group(1)}")

        resolved = re.sub(r"\$\{\{project\.(.*?)\}\}", project_ref, value)
        resolved = re.sub(r"\$\{\{environment\.(.*?)\}\}", environment_ref, resolved)
        resolved = re.sub(r"\$\{\{(.*?)\}\}", service_ref, resolved)
        result.append((key, resolved))
    return result
