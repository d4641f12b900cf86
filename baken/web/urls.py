from django.urls import path

from baken.web import views

app_name = "web"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("toegankelijkheid/", views.accessibility_view, name="accessibility"),
    path("taal/<str:code>/", views.language_choose_view, name="language"),
    path("health/", views.health_view, name="health"),
    path("health/live", views.health_live_view, name="health-live"),
    path("health/ready", views.health_ready_view, name="health-ready"),
    path("metrics", views.metrics_view, name="metrics"),
    path("werk/", views.staff_home_view, name="staff-home"),
]
