from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .setup import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, sender=self)
