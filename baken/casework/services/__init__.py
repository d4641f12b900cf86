"""Casework's public API: every other context changes casework only through these functions.

Signals come in from staff (``signal_create``), anonymous citizens (``signal_create_anonymous``),
the chat, the ad monitor, inspections and partner systems (``signal_create_idempotent``); the
coordinator triages them (``signal_triage``), cases follow, with referrals and the casustafel.
Each function runs in one transaction, checks and locks the rows whose state it changes inside
it, and sends its notifications after commit.

One module per part of the work; this package re-exports them as one API (``__all__``). Reads
live in ``baken.casework.selectors`` and are re-exported here for the other contexts.
"""

from __future__ import annotations

from baken.casework.selectors import (
    case_persons_for,
    cases_for,
    escalations_waiting,
    item_persons_for,
    meetings_for,
    referral_results_per_service,
    referrals_overdue,
    referrals_received,
    referrals_sent,
    signal_persons_for,
    signals_in_triage_queue,
    signals_reported_by,
    tasks_of,
    victim_sources_by_pseudonym,
)
from baken.casework.services.cases import (
    case_close,
    case_member_add,
    case_open_from_signal,
    task_complete,
    task_create,
    timeline_add,
)
from baken.casework.services.casustafel import (
    action_complete,
    agenda_add,
    decision_record,
    escalation_request,
    meeting_plan,
)
from baken.casework.services.documents import DocumentRefused, document_add, document_read
from baken.casework.services.intake import (
    IdempotencyConflict,
    PersonData,
    PersonMatch,
    receipt_code_new,
    signal_add_information,
    signal_create,
    signal_create_anonymous,
    signal_create_idempotent,
    signal_find_by_receipt,
)
from baken.casework.services.notifications import notification_send
from baken.casework.services.referrals import (
    ReferralError,
    referral_create,
    referral_send_reminders,
    referral_transition,
)
from baken.casework.services.rekeying import RepseudonymiseReport, persons_repseudonymise
from baken.casework.services.retention import PurgeReport, retention_purge
from baken.casework.services.triage import SignalAlreadyTriaged, person_matches, signal_triage

__all__ = [
    "RepseudonymiseReport",
    "persons_repseudonymise",
    "action_complete",
    "agenda_add",
    "case_close",
    "case_member_add",
    "case_open_from_signal",
    "case_persons_for",
    "cases_for",
    "decision_record",
    "document_add",
    "document_read",
    "DocumentRefused",
    "escalation_request",
    "escalations_waiting",
    "IdempotencyConflict",
    "item_persons_for",
    "meeting_plan",
    "meetings_for",
    "notification_send",
    "person_matches",
    "PersonData",
    "PersonMatch",
    "PurgeReport",
    "receipt_code_new",
    "referral_create",
    "referral_results_per_service",
    "referral_send_reminders",
    "referral_transition",
    "ReferralError",
    "referrals_overdue",
    "referrals_received",
    "referrals_sent",
    "retention_purge",
    "signal_add_information",
    "signal_create",
    "signal_create_anonymous",
    "signal_create_idempotent",
    "signal_find_by_receipt",
    "signal_persons_for",
    "signal_triage",
    "SignalAlreadyTriaged",
    "signals_in_triage_queue",
    "signals_reported_by",
    "task_complete",
    "task_create",
    "tasks_of",
    "timeline_add",
    "victim_sources_by_pseudonym",
]
