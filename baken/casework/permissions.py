"""Object-level need-to-know for casework, as django-rules predicates.

The role matrix (``baken/accounts/permissions.py``) says *which kind* of thing a role may do; these
predicates say *which signal*: a coordinator sees the signals of their own region, a reporter sees
the signals they reported. Nobody else sees a signal's personal data.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from baken.accounts.permissions import PERMISSIONS


@rules.predicate
def coordinates_signal_region(user, signal) -> bool:
    if signal is None or not user.has_role(*PERMISSIONS["casework.triage"].roles):
        return False
    organisation = user.organisation
    return organisation is not None and organisation.region_id == signal.region_id


@rules.predicate
def reported_signal(user, signal) -> bool:
    return signal is not None and signal.reported_by_id == user.pk


rules.add_perm("casework.view_signal", coordinates_signal_region | reported_signal)
rules.add_perm("casework.triage_signal", coordinates_signal_region)


@rules.predicate
def is_case_member(user, case) -> bool:
    return case is not None and case.members.filter(user=user).exists()


@rules.predicate
def is_case_lead(user, case) -> bool:
    return case is not None and case.members.filter(user=user, role="lead").exists()


@rules.predicate
def coordinates_case_region(user, case) -> bool:
    if case is None or not user.has_role(*PERMISSIONS["casework.triage"].roles):
        return False
    organisation = user.organisation
    return organisation is not None and organisation.region_id == case.region_id


@rules.predicate
def case_is_internal(user, case) -> bool:
    return case is not None and case.confidentiality == "internal"


# A confidential case is for its team only; an internal one also for the region's coordinators.
rules.add_perm("casework.view_case", is_case_member | (coordinates_case_region & case_is_internal))
rules.add_perm("casework.manage_case", is_case_lead | (coordinates_case_region & case_is_internal))


@rules.predicate
def receives_referral(user, referral) -> bool:
    return (
        referral is not None
        and user.organisation_id is not None
        and referral.service.organisation_id == user.organisation_id
        and user.has_role(*PERMISSIONS["casework.handle_referrals"].roles)
    )


@rules.predicate
def follows_referral_case(user, referral) -> bool:
    return referral is not None and rules.has_perm("casework.view_case", user, referral.case)


rules.add_perm("casework.view_referral", receives_referral | follows_referral_case)
rules.add_perm("casework.answer_referral", receives_referral)
rules.add_perm("casework.withdraw_referral", follows_referral_case)


@rules.predicate
def chairs_table_region(user, meeting) -> bool:
    if meeting is None or not user.has_role(*PERMISSIONS["casustafel.chair"].roles):
        return False
    organisation = user.organisation
    return organisation is not None and organisation.region_id == meeting.table.region_id


@rules.predicate
def sits_at_table(user, meeting) -> bool:
    return (
        meeting is not None
        and user.organisation_id is not None
        and user.has_role(*PERMISSIONS["casustafel.participate"].roles)
        and meeting.table.participant_organisations.filter(pk=user.organisation_id).exists()
    )


@rules.predicate
def item_access_open(user, item) -> bool:
    return item is not None and timezone.now() <= item.access_until


@rules.predicate
def chairs_items_table(user, item) -> bool:
    return item is not None and chairs_table_region(user, item.meeting)


@rules.predicate
def sits_at_items_table(user, item) -> bool:
    return item is not None and (
        chairs_table_region(user, item.meeting) or sits_at_table(user, item.meeting)
    )


rules.add_perm("casustafel.view_meeting", chairs_table_region | sits_at_table)
rules.add_perm("casustafel.chair_meeting", chairs_table_region)
# Identity data of a case on the agenda: for the chair, and for participants only while the
# table needs it (until access_until). Police, OM and RIEC see identities only this way.
rules.add_perm(
    "casustafel.view_item", sits_at_items_table & (item_access_open | chairs_items_table)
)
