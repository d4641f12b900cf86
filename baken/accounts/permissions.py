"""The permission matrix: what each role may see and do. The single source of truth.

Each permission names the roles that hold it. ``docs/permissions.md`` is generated from this
module (``baken permissions --markdown``) and a test fails when the two disagree; another test
walks every staff URL for every role against it. Permissions are registered with ``rules``
(django-rules: predicates, no extra tables), so ``user.has_perm(code)`` and ``{% has_perm %}``
answer from here. Object-level need-to-know (region, organisation, case membership) is added as
predicates by the contexts that own those objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from baken.accounts.models import Role

__all__ = ["PERMISSIONS", "Permission", "roles_with", "matrix_markdown"]

ALL_STAFF = frozenset(Role.values)


@dataclass(frozen=True)
class Permission:
    code: str
    description: str
    roles: frozenset[str]


def _perm(code: str, description: str, *roles: str) -> Permission:
    return Permission(code=code, description=description, roles=frozenset(roles))


PERMISSIONS: dict[str, Permission] = {
    p.code: p
    for p in [
        _perm("web.view_staff_home", "Open the staff start page", *ALL_STAFF),
        _perm(
            "directory.view",
            "Find organisations and services on the social map",
            *ALL_STAFF,
        ),
        _perm(
            "directory.edit",
            "Add and change organisations and services on the social map",
            Role.COORDINATOR,
            Role.ADMINISTRATOR,
        ),
        _perm(
            "directory.verify",
            "Mark a social-map entry as checked, and see what is due for checking",
            Role.COORDINATOR,
            Role.CASEWORKER,
            Role.ADMINISTRATOR,
        ),
        _perm(
            "casework.report_signal",
            "Report a signal and follow what became of one's own signals",
            Role.COORDINATOR,
            Role.COUNSELLOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.LIAISON,
            Role.SUPERVISOR,
        ),
        _perm(
            "casework.triage",
            "See the region's triage queue and every signal in it; triage signals",
            Role.COORDINATOR,
        ),
        _perm(
            "casework.work_cases",
            "Work on cases as a member of the case team; see one's tasks",
            Role.COORDINATOR,
            Role.COUNSELLOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.SUPERVISOR,
        ),
        _perm(
            "casework.refer",
            "Refer a person in one's case to a service; see the referrals one sent",
            Role.COORDINATOR,
            Role.COUNSELLOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.SUPERVISOR,
        ),
        _perm(
            "casework.view_referrals",
            "See referrals: those one sent, and those to one's own organisation",
            Role.COORDINATOR,
            Role.COUNSELLOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.SUPERVISOR,
        ),
        _perm(
            "casework.refer_without_consent",
            "Refer without the person's consent, with a documented reason (audited)",
            Role.COORDINATOR,
        ),
        _perm(
            "casework.handle_referrals",
            "Answer referrals to one's own organisation's services",
            Role.COORDINATOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
        ),
        _perm(
            "casework.view_referral_results",
            "See referral success rates per service",
            Role.COORDINATOR,
            Role.ANALYST,
            Role.PROGRAMME_MANAGER,
        ),
        _perm(
            "casustafel.escalate",
            "Escalate a case of one's own team to the casustafel (opschalen)",
            Role.COORDINATOR,
            Role.COUNSELLOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.SUPERVISOR,
        ),
        _perm(
            "casustafel.participate",
            "Take part in the casustafel for one's organisation: see the cases on its agenda, "
            "during the period the table needs them",
            Role.COORDINATOR,
            Role.CASEWORKER,
            Role.AANDACHTSFUNCTIONARIS,
            Role.LIAISON,
            Role.SUPERVISOR,
        ),
        _perm(
            "casustafel.chair",
            "Plan meetings, set the agenda, record decisions and actions",
            Role.COORDINATOR,
        ),
        _perm(
            "casework.export",
            "Download the region's signals (no personal data) and the anonymous national "
            "registration export",
            Role.COORDINATOR,
        ),
        _perm(
            "casework.view_notifications",
            "Receive notifications in Baken",
            *ALL_STAFF,
        ),
        _perm(
            "chat.answer",
            "Answer anonymous chats: accept, write, transfer, mark crisis, pass on as a signal",
            Role.COORDINATOR,
            Role.COUNSELLOR,
        ),
        _perm(
            "chat.supervise",
            "See the live chat queue and who is in which chat (no transcripts); answer "
            "messages left outside opening hours",
            Role.COORDINATOR,
            Role.COUNSELLOR,
        ),
        _perm(
            "portal.edit",
            "Write portal pages and their translations as drafts, and send them for review",
            Role.COORDINATOR,
            Role.COUNSELLOR,
        ),
        _perm(
            "portal.publish",
            "Review drafts of portal pages and publish them (never one's own draft)",
            Role.COORDINATOR,
        ),
        _perm(
            "insight.view",
            "See the region's dashboards and zicht figure and download their tables (counts "
            "only, nothing about a person)",
            Role.COORDINATOR,
            Role.ANALYST,
            Role.PROGRAMME_MANAGER,
        ),
        _perm(
            "supervision.licences",
            "Keep the register of licensed sex businesses: businesses, operators, licences",
            Role.SUPERVISOR,
        ),
        _perm(
            "supervision.inspect",
            "Keep the labour-migrant housing addresses, record inspections and pass their "
            "findings to casework as a signal",
            Role.SUPERVISOR,
        ),
        _perm(
            "programmes.manage",
            "Keep programmes and projects: funding, partners, planned and achieved results",
            Role.COORDINATOR,
            Role.PROGRAMME_MANAGER,
        ),
        _perm(
            "programmes.scenarios",
            "Write and change the scenario lessons (scenes, choices, a survivor's voice)",
            Role.COORDINATOR,
            Role.PROGRAMME_MANAGER,
            Role.EDUCATOR,
        ),
        _perm(
            "programmes.teach",
            "Give a scenario lesson to a class; record prevention activities, trainers and reach",
            Role.COORDINATOR,
            Role.PROGRAMME_MANAGER,
            Role.EDUCATOR,
        ),
        _perm(
            "admonitor.view_aggregates",
            "See the ad monitor's municipal view: advertisers per municipality and week, "
            "movement, licensed share (counts only)",
            Role.COORDINATOR,
            Role.SUPERVISOR,
            Role.ANALYST,
            Role.PROGRAMME_MANAGER,
        ),
        _perm(
            "admonitor.investigate",
            "Open the ad monitor's clusters and their ads (every look-up audited)",
            Role.SUPERVISOR,
            Role.LIAISON,
        ),
        _perm(
            "admonitor.review",
            "Review clusters as no concern, watch or signal; a signal goes to casework",
            Role.SUPERVISOR,
            Role.LIAISON,
        ),
        _perm(
            "admonitor.ingest",
            "Upload files of ads into the monitor and follow their progress",
            Role.SUPERVISOR,
            Role.ADMINISTRATOR,
        ),
        _perm(
            "audit.view",
            "Search the audit trail",
            Role.COORDINATOR,
            Role.ADMINISTRATOR,
        ),
        _perm(
            "accounts.view_staff",
            "See the staff of every organisation and their roles",
            Role.COORDINATOR,
            Role.ADMINISTRATOR,
        ),
        _perm(
            "admin.access",
            "Use the technical administration (/beheer/)",
            Role.ADMINISTRATOR,
        ),
    ]
}


def roles_with(code: str) -> frozenset[str]:
    return PERMISSIONS[code].roles


@rules.predicate
def _is_active_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _holds(code: str):
    allowed = PERMISSIONS[code].roles

    @rules.predicate(name=f"holds:{code}")
    def predicate(user) -> bool:
        return user.has_role(*allowed)

    return _is_active_staff & predicate


for _code in PERMISSIONS:
    if not rules.perm_exists(_code):
        rules.add_perm(_code, _holds(_code))


def matrix_markdown() -> str:
    """The matrix as a Markdown table, the body of docs/permissions.md."""
    roles = list(Role)
    header = "| permission | what it allows | " + " | ".join(r.value for r in roles) + " |"
    rule = "| --- | --- | " + " | ".join(":-:" for _ in roles) + " |"
    lines = [header, rule]
    for perm in PERMISSIONS.values():
        cells = " | ".join("✔" if r.value in perm.roles else "" for r in roles)
        lines.append(f"| `{perm.code}` | {perm.description} | {cells} |")
    return "\n".join(lines) + "\n"
