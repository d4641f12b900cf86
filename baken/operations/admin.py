"""Administrators read the outbox and the job runs in the admin (read-only: they are records)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from baken.lib.admin import BakenModelAdmin
from baken.operations.models import Heartbeat, JobRun, OutboundMail


class _ReadOnly(BakenModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(_ReadOnly):
    list_display = ["job", "started_at", "finished_at", "status", "summary"]
    list_filter = ["job", "status"]


@admin.register(OutboundMail)
class OutboundMailAdmin(_ReadOnly):
    list_display = ["created_at", "to", "subject", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]


@admin.register(Heartbeat)
class HeartbeatAdmin(_ReadOnly):
    list_display = ["role", "seen_at", "running_since", "host"]
