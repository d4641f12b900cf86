"""Canned answers, opening hours and closed days are kept in the administration (/beheer/).
Conversations are not: their text is for the counsellors in them, not for administrators."""

from django.contrib import admin

from baken.chat import models
from baken.lib.admin import BakenModelAdmin


@admin.register(models.CannedAnswer)
class CannedAnswerAdmin(BakenModelAdmin):
    list_display = ["title", "language", "position"]
    list_filter = ["language"]
    search_fields = ["title", "text"]


@admin.register(models.OpeningHours)
class OpeningHoursAdmin(BakenModelAdmin):
    list_display = ["weekday", "opens_at", "closes_at"]


@admin.register(models.ClosedDay)
class ClosedDayAdmin(BakenModelAdmin):
    list_display = ["date", "reason"]
