from django.urls import path
from django.views.i18n import JavaScriptCatalog

from baken.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.login_code_view, name="login-code"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/tweede-factor/", views.mfa_setup_view, name="mfa-setup"),
    path("account/bevestigen/", views.step_up_view, name="step-up"),
    path("account/wachtwoord/", views.password_change_view, name="password-change"),
    path("account/passkeys/naam/", views.passkey_name_view, name="passkey-name"),
    path("account/passkeys/verwijderen/", views.passkey_remove_view, name="passkey-remove"),
    # django-otp-webauthn's ceremonies (JSON, called by its script) and that script's texts.
    path(
        "account/passkeys/registratie/begin/",
        views.PasskeyRegisterBeginView.as_view(),
        name="passkey-register-begin",
    ),
    path(
        "account/passkeys/registratie/klaar/",
        views.PasskeyRegisterCompleteView.as_view(),
        name="passkey-register-complete",
    ),
    path(
        "inloggen/passkey/begin/", views.PasskeyLoginBeginView.as_view(), name="passkey-login-begin"
    ),
    path(
        "inloggen/passkey/klaar/",
        views.PasskeyLoginCompleteView.as_view(),
        name="passkey-login-complete",
    ),
    path(
        "passkeys/teksten.js",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="passkey-texts",
    ),
    path("sessie/", views.session_keepalive_view, name="session-keepalive"),
    path("medewerkers/", views.staff_list_view, name="staff-list"),
    path("medewerkers/<int:user_id>/", views.staff_detail_view, name="staff-detail"),
]
