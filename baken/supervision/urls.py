from django.urls import path

from baken.supervision import views

app_name = "supervision"
urlpatterns = [
    path("vergunningcheck/", views.public_check_view, name="public-check"),
    path("werk/toezicht/", views.business_list_view, name="businesses"),
    path("werk/toezicht/bedrijf/nieuw/", views.business_form_view, name="business-new"),
    path("werk/toezicht/bedrijf/<int:business_id>/", views.business_detail_view, name="business"),
    path(
        "werk/toezicht/bedrijf/<int:business_id>/wijzigen/",
        views.business_form_view,
        name="business-edit",
    ),
    path("werk/toezicht/huisvesting/", views.housing_list_view, name="housing-list"),
    path("werk/toezicht/huisvesting/nieuw/", views.housing_form_view, name="housing-new"),
    path(
        "werk/toezicht/huisvesting/inschrijvingen/",
        views.registrations_view,
        name="registrations",
    ),
    path("werk/toezicht/huisvesting/<int:housing_id>/", views.housing_detail_view, name="housing"),
    path(
        "werk/toezicht/huisvesting/<int:housing_id>/wijzigen/",
        views.housing_form_view,
        name="housing-edit",
    ),
    path(
        "werk/toezicht/inspectie/<int:inspection_id>/",
        views.inspection_detail_view,
        name="inspection",
    ),
    path(
        "werk/toezicht/inspectie/<int:inspection_id>/signaal/",
        views.inspection_signal_view,
        name="inspection-signal",
    ),
    path(
        "werk/toezicht/bedrijf/<int:business_id>/inspecties/",
        views.business_inspection_view,
        name="business-inspections",
    ),
    path(
        "werk/toezicht/inspectie/<int:inspection_id>/foto/",
        views.inspection_photo_view,
        name="inspection-photo",
    ),
    path(
        "werk/toezicht/inspectie/<int:inspection_id>/vervolg/",
        views.inspection_follow_up_view,
        name="inspection-follow-up",
    ),
    path("werk/toezicht/foto/<int:photo_id>/", views.photo_view, name="photo"),
    path("werk/toezicht/vervolg/", views.follow_up_list_view, name="follow-ups"),
    path(
        "werk/toezicht/vervolg/<int:follow_up_id>/klaar/",
        views.follow_up_done_view,
        name="follow-up-done",
    ),
]
