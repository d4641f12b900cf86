from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "baken.programmes"
    label = "programmes"
    verbose_name = _("Programmes and prevention")
    default_auto_field = "django.db.models.BigAutoField"
