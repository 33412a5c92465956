from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Calls and proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.setup import ROLE_HOOKS

        from .roles import ensure_commissioning_roles

        if ensure_commissioning_roles not in ROLE_HOOKS:
            ROLE_HOOKS.append(ensure_commissioning_roles)
