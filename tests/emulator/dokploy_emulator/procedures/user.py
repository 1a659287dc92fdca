"""user.* procedures: the one owner every emulated API key belongs to."""
from __future__ import annotations

from . import Call, query


def _user(emu) -> dict:
    m = emu.model
    return {"id": m.user_id, "name": "Emulator Owner", "email": "owner@emulator.invalid",
            "emailVerified": True, "image": None, "createdAt": m.created_at,
            "updatedAt": m.created_at, "twoFactorEnabled": False, "role": "owner"}


@query("user.get")
def user_get(emu, inp: dict, call: Call):
    m = emu.model
    return {"id": m.member_id, "organizationId": m.organization_id, "userId": m.user_id,
            "role": "owner", "createdAt": m.created_at, "teamId": None, "isDefault": True,
            "canCreateProjects": True, "canAccessToSSHKeys": True, "canCreateServices": True,
            "canDeleteProjects": True, "canDeleteServices": True, "canAccessToDocker": True,
            "canAccessToAPI": True, "canAccessToGitProviders": True,
            "canAccessToTraefikFiles": True, "accessedProjects": [], "accessedEnvironments": [],
            "accessedServices": [], "user": _user(emu)}


@query("user.session")
def user_session(emu, inp: dict, call: Call):
    m = emu.model
    return {"session": {"id": m.member_id, "userId": m.user_id,
                        "activeOrganizationId": m.organization_id, "expiresAt": None},
            "user": _user(emu)}
