from django.contrib import admin

from baken.audit.models import AuditEvent
from baken.lib.admin import BakenModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(BakenModelAdmin):
    """Read-only: nobody changes or deletes the trail, administrators included."""

    list_display = ["occurred_at", "actor_name", "action", "object_type", "object_id", "result"]
    list_filter = ["action", "result"]
    search_fields = ["actor_name", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
