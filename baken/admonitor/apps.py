from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmonitorConfig(AppConfig):
    name = "baken.admonitor"
    label = "admonitor"
    verbose_name = _("Online-ad monitor")
    default_auto_field = "django.db.models.BigAutoField"
