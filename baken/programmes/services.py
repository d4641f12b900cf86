"""Programmes and projects: saving with the funding rules, and what the portal shows."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from baken.audit.services import AuditAction, audit_record
from baken.programmes.models import Project

__all__ = ["project_save", "projects_public"]


def project_save(*, project: Project, partners=None) -> Project:
    """Check the funding rules (a subsidy needs its ceiling and years; money from elsewhere needs
    its explanation) and the period, then store."""
    project.full_clean()
    project.updated_at = timezone.now()
    with transaction.atomic():
        project.save()
        if partners is not None:
            project.partners.set(partners)
    audit_record(
        action=AuditAction.UPDATE,
        object_type="programmes.Project",
        object_id=project.pk,
        fields=["funding", "budget", "funding_explanation"],
        purpose="programmes",
    )
    return project


def projects_public():
    return (
        Project.objects.filter(public=True)
        .select_related("programme", "owner")
        .prefetch_related("partners", "results")
    )
