from django.core.management.base import BaseCommand

from cms.site_structure import ensure_site_structure


class Command(BaseCommand):
    help = "Create locales, the home page, the course catalogue and the default site (safe to run again)."

    def handle(self, *args, **options):
        home = ensure_site_structure()
        self.stdout.write(self.style.SUCCESS(f"Site ready: home page #{home.pk}"))
