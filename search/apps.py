from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "marketplace_search"
    verbose_name = "Marketplace search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
