"""Idempotent set-up run after every migrate: role groups and their permissions."""


def ensure_roles_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # cms migrates before the other apps' permissions exist; make them all first.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    from wagtail.models import Collection

    if not Collection.objects.using(using).exists():
        # A test database flush empties Wagtail's tree as well; the roles are made again once it exists.
        return

    from catalogue.roles import ensure_platform_editors

    ensure_platform_editors()
    for hook in ROLE_HOOKS:
        hook()


# Other apps append their own role set-up here (e.g. call managers, reviewers).
ROLE_HOOKS: list = []
