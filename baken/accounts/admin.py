from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from baken.accounts.models import RoleAssignment, User
from baken.audit.services import audit_read
from baken.lib.admin import BakenModelAdmin


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class BakenUserAdmin(BakenModelAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation__organisation_type"]
    fieldsets = [
        *(UserAdmin.fieldsets or ())[:2],
        ("Baken", {"fields": ["organisation"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and request.method == "GET":
            audit_read(user, purpose="administration")
        return super().change_view(request, object_id, form_url, extra_context)
