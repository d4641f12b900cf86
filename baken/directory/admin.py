from django.contrib import admin

from baken.directory import models
from baken.lib.admin import BakenModelAdmin


class LanguageInline(admin.TabularInline):
    model = models.Language
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = models.Schedule
    extra = 0


class CapacityInline(admin.TabularInline):
    model = models.Capacity
    extra = 0


class ServicePhoneInline(admin.TabularInline):
    model = models.Phone
    fk_name = "service"
    exclude = ["organisation"]
    extra = 0


class PopulationInline(admin.TabularInline):
    model = models.MunicipalityPopulation
    extra = 0


@admin.register(models.Region)
class RegionAdmin(BakenModelAdmin):
    list_display = ["name", "code"]


@admin.register(models.Municipality)
class MunicipalityAdmin(BakenModelAdmin):
    list_display = ["name", "cbs_code", "region"]
    list_filter = ["region"]
    inlines = [PopulationInline]


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(BakenModelAdmin):
    list_display = ["name", "taxonomy", "code"]
    list_filter = ["taxonomy"]


@admin.register(models.Organisation)
class OrganisationAdmin(BakenModelAdmin):
    list_display = ["name", "organisation_type", "region", "last_verified_at"]
    list_filter = ["organisation_type", "region"]
    search_fields = ["name", "alternate_name"]


@admin.register(models.Service)
class ServiceAdmin(BakenModelAdmin):
    list_display = ["name", "organisation", "status", "last_verified_at"]
    list_filter = ["status"]
    search_fields = ["name", "organisation__name"]
    filter_horizontal = ["service_areas", "taxonomy_terms"]
    inlines = [LanguageInline, ScheduleInline, CapacityInline, ServicePhoneInline]


@admin.register(models.Location)
class LocationAdmin(BakenModelAdmin):
    list_display = ["name", "organisation", "municipality", "address_is_confidential"]
    list_filter = ["address_is_confidential"]
