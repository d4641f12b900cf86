from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo region Twente: invented data, loaded through each context's services."""

    name = "baken.demo"
    label = "demo"
    verbose_name = _("Demo")
