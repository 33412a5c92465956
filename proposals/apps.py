from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Calls and proposals"
    default_auto_field = "django.db.models.BigAutoField"
