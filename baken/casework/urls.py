from django.urls import path

from baken.casework import views

app_name = "casework"
urlpatterns = [
    path("werk/meldingen/", views.signal_list_view, name="signal-list"),
    path("werk/meldingen/nieuw/", views.signal_create_view, name="signal-create"),
    path("werk/meldingen/triage/", views.triage_queue_view, name="triage-queue"),
    path("werk/meldingen/<uuid:signal_id>/", views.signal_detail_view, name="signal-detail"),
    path("werk/meldingen/<uuid:signal_id>/triage/", views.signal_triage_view, name="signal-triage"),
    path(
        "werk/meldingen/<uuid:signal_id>/aanvullen/",
        views.signal_add_information_view,
        name="signal-add",
    ),
    path("werk/berichten/", views.notification_list_view, name="notifications"),
    path("werk/export/<slug:kind>.<slug:fmt>", views.export_view, name="export"),
    path("werk/casussen/", views.case_list_view, name="case-list"),
    path("werk/casussen/<uuid:case_id>/", views.case_detail_view, name="case-detail"),
    path("werk/casussen/<uuid:case_id>/notitie/", views.case_note_view, name="case-note"),
    path("werk/casussen/<uuid:case_id>/taak/", views.case_task_view, name="case-task"),
    path("werk/casussen/<uuid:case_id>/team/", views.case_member_view, name="case-member"),
    path("werk/casussen/<uuid:case_id>/sluiten/", views.case_close_view, name="case-close"),
    path("werk/taken/<int:task_id>/klaar/", views.task_done_view, name="task-done"),
    path(
        "werk/casussen/<uuid:case_id>/documenten/",
        views.document_upload_view,
        name="document-upload",
    ),
    path(
        "werk/casussen/<uuid:case_id>/documenten/<int:document_id>/",
        views.document_download_view,
        name="document-download",
    ),
    path(
        "werk/casussen/<uuid:case_id>/doorverwijzen/",
        views.referral_create_view,
        name="referral-create",
    ),
    path("werk/doorverwijzingen/", views.referral_list_view, name="referral-list"),
    path("werk/casussen/<uuid:case_id>/opschalen/", views.escalate_view, name="case-escalate"),
    path("werk/casustafel/", views.case_table_view, name="case-table"),
    path("werk/casustafel/vergaderingen/nieuw/", views.meeting_plan_view, name="meeting-plan"),
    path(
        "werk/casustafel/vergaderingen/<int:meeting_id>/",
        views.meeting_detail_view,
        name="meeting-detail",
    ),
    path(
        "werk/casustafel/vergaderingen/<int:meeting_id>/agenda/",
        views.agenda_add_view,
        name="meeting-agenda",
    ),
    path(
        "werk/casustafel/agendapunten/<int:item_id>/besluit/", views.decision_view, name="decision"
    ),
    path("werk/doorverwijzingen/resultaten/", views.referral_results_view, name="referral-results"),
    path(
        "werk/doorverwijzingen/<uuid:referral_id>/",
        views.referral_detail_view,
        name="referral-detail",
    ),
    path(
        "werk/doorverwijzingen/<uuid:referral_id>/status/",
        views.referral_status_view,
        name="referral-status",
    ),
    path("melden/", views.anonymous_report_view, name="report"),
    path("melden/volgen/", views.anonymous_follow_view, name="report-follow"),
]
