from django.urls import path

from baken.insight import views

app_name = "insight"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("zicht/", views.zicht_view, name="zicht"),
    path("schatting/", views.estimate_view, name="estimate"),
    path("zicht.<slug:fmt>", views.zicht_download_view, name="zicht-download"),
    path("<slug:dashboard>/", views.dashboard_view, name="dashboard"),
    path("<slug:dashboard>/<slug:chart>.<slug:fmt>", views.download_view, name="download"),
]
