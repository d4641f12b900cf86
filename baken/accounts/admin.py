from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from baken.accounts import services
from baken.accounts.models import AuthenticatorApp, RecoveryCodes, RoleAssignment, User
from baken.accounts.views import step_up_redirect
from baken.audit.services import AuditAction, audit_read, audit_record
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

    # Roles, passwords and accounts are how Baken is protected: every form that changes them asks
    # for password and second factor again first (step-up, security issue 13).
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return step_up_redirect(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return step_up_redirect(request) or super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        # Deleting accounts in bulk would pass the step-up by; one at a time it does not.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def user_change_password(self, request, id, form_url=""):
        return step_up_redirect(request) or super().user_change_password(request, id, form_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and request.method == "GET":
            audit_read(user, purpose="administration")
        return super().change_view(request, object_id, form_url, extra_context)


class _SecondFactorAdmin(BakenModelAdmin):
    """An administrator resets a lost phone or used-up codes by deleting the device (after the
    step-up); nobody sees or sets a seed or code here. The user sets up again at the next login.
    """

    list_display = ["user", "name", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        return step_up_redirect(request) or super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        # A lost phone: whoever has it may have a session too; every session of the user ends.
        services.other_sessions_end(user=obj.user)

    def log_deletions(self, request, queryset):
        for device in queryset:
            audit_record(
                action=AuditAction.UPDATE,
                object_type="accounts.User",
                object_id=device.user_id,
                fields=["second_factor"],
                purpose="second factor reset by an administrator",
            )
        return super().log_deletions(request, queryset)


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(_SecondFactorAdmin):
    pass


@admin.register(RecoveryCodes)
class RecoveryCodesAdmin(_SecondFactorAdmin):
    pass
