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
]
