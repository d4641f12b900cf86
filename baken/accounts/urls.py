from django.urls import path

from baken.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.login_code_view, name="login-code"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/tweede-factor/", views.mfa_setup_view, name="mfa-setup"),
    path("sessie/", views.session_keepalive_view, name="session-keepalive"),
    path("medewerkers/", views.staff_list_view, name="staff-list"),
    path("medewerkers/<int:user_id>/", views.staff_detail_view, name="staff-detail"),
]
