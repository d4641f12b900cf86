"""The technical administration under /beheer/: administrators only, second factor required.

The site and the model-admin base live in the kernel so that every context's ``admin.py`` can
use them; ``baken.web`` installs the site as Django's default (``WebConfig.default_site``).
"""

from __future__ import annotations

from urllib.parse import urlencode

import rules
from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baken.lib.access import mfa_is_required


class BakenAdminSite(admin.AdminSite):
    site_header = _("Baken — administration")
    site_title = _("Baken administration")
    index_title = _("Administration")

    def login(self, request, extra_context=None):
        """The administration has no login of its own: Baken's login (password, then the second
        factor, audited) is the only way in."""
        query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
        return redirect(f"{reverse('accounts:login')}?{query}")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if mfa_is_required() and not user.is_verified():
            return False
        return rules.has_perm("admin.access", user)


class BakenModelAdmin(admin.ModelAdmin):
    """Model permissions follow the role matrix, not Django's per-model permission rows."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request) -> bool:
        return rules.has_perm("admin.access", request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return rules.has_perm("admin.access", request.user)

    def has_add_permission(self, request) -> bool:
        return rules.has_perm("admin.access", request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.has_perm("admin.access", request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.has_perm("admin.access", request.user)
