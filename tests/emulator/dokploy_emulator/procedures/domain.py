"""domain.* procedures: the host names Traefik routes to a service's port
(apps/dokploy/server/api/routers/domain.ts, packages/server/src/services/domain.ts). An
application's domains apply at once (Dokploy writes Traefik's file configuration); a compose
service's become Traefik labels at its next deploy (see traefik.py)."""
from __future__ import annotations

import secrets

from .. import views
from ..errors import ApiError, not_found
from . import Call, mutation, query


def _domain(emu, domain_id: str) -> dict:
    domain = emu.model.domains.get(domain_id)
    if domain is None:
        raise not_found("Domain")
    return domain


def _normalise(inp: dict) -> dict:
    out = dict(inp)
    if isinstance(out.get("port"), float) and out["port"].is_integer():
        out["port"] = int(out["port"])  # an integer column
    return out


def _check_service(emu, inp: dict) -> None:
    """createDomain's insert fails on the foreign keys; the router's catch makes drizzle's error a
    BAD_REQUEST (seen on v0.30.2: 'Failed query: insert into "domain" (...) values (...)\nparams: ...')."""
    for column, table in (("applicationId", emu.model.applications), ("composeId", emu.model.compose)):
        if inp.get(column) and inp[column] not in table:
            raise ApiError("BAD_REQUEST", f'Failed query: insert into "domain" ("domainId", "host", ...) values '
                                          f'(...) returning ...\nparams: {inp.get("host")},{inp[column]}')


@mutation("domain.create")
def domain_create(emu, inp: dict, call: Call):
    model = emu.model
    with model.lock:
        _check_service(emu, inp)
        return views.domain_row(model.create_domain(_normalise(inp)), call.features)


@query("domain.one")
def domain_one(emu, inp: dict, call: Call):
    with emu.model.lock:
        return views.domain_with_service(emu.model, _domain(emu, inp["domainId"]), call.features, "application")


@query("domain.byApplicationId")
def domain_by_application(emu, inp: dict, call: Call):
    with emu.model.lock:
        return [views.domain_with_service(emu.model, d, call.features, "application")
                for d in emu.model.domains_of("applicationId", inp["applicationId"])]


@query("domain.byComposeId")
def domain_by_compose(emu, inp: dict, call: Call):
    with emu.model.lock:
        return [views.domain_with_service(emu.model, d, call.features, "compose")
                for d in emu.model.domains_of("composeId", inp["composeId"])]


@mutation("domain.update")
def domain_update(emu, inp: dict, call: Call):
    with emu.model.lock:
        domain = _domain(emu, inp["domainId"])
        for key, value in _normalise(inp).items():
            if key != "domainId" and key in domain:
                domain[key] = value.strip() if key == "host" else value
        return views.domain_row(domain, call.features)


@mutation("domain.delete")
def domain_delete(emu, inp: dict, call: Call):
    with emu.model.lock:
        domain = _domain(emu, inp["domainId"])
        del emu.model.domains[inp["domainId"]]
        return views.domain_row(domain, call.features)


def _server_ip(emu, server_id: str) -> str:
    if server_id:
        server = emu.model.servers.get(server_id)
        if server is None:
            raise not_found("Server")
        return server["ipAddress"]
    return emu.model.web_server_ip


@mutation("domain.generateDomain")
def domain_generate(emu, inp: dict, call: Call):
    """generateRandomDomain(): "<name>-<6 hex>[-<ip with dashes>].<traefik.me|sslip.io>"."""
    f = call.features
    with emu.model.lock:
        ip = _server_ip(emu, inp.get("serverId") or "")
    if not ip and f.generated_domain_suffix == "sslip.io":
        ip = "127.0.0.1"  # later versions fall back to loopback
    name = inp["appName"][:40] if f.generated_name_cut else inp["appName"]
    slug = ip.replace(".", "-").replace(":", "-")
    return f"{name}-{secrets.token_hex(3)}{'-' + slug if slug else ''}.{f.generated_domain_suffix}"


@query("domain.canGenerateTraefikMeDomains")
def domain_can_generate(emu, inp: dict, call: Call):
    """The IP address generated names would carry: the server's, else the web server's ("" when
    unset; the organization owner's serverIp in v0.26.0 and before, null when unset)."""
    with emu.model.lock:
        ip = _server_ip(emu, inp["serverId"])
    if not ip and not call.features.domain_sso_columns:
        return None
    return ip
