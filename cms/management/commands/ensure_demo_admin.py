import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEMO_ADMIN_USER", "admin"))
        parser.add_argument("--password", default=os.environ.get("DEMO_ADMIN_PASSWORD", "learn-anywhere-2026"))

    def handle(self, *args, **options):
        port = os.environ.get("PORT", "8000")
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=options["username"], defaults={"email": "admin@example.org"})
        user.is_staff = user.is_superuser = True
        user.set_password(options["password"])
        user.save()
        self.stdout.write(self.style.SUCCESS(
            f"\n  Site:  http://127.0.0.1:{port}/\n"
            f"  Admin: http://127.0.0.1:{port}/admin/  user: {options['username']}  password: {options['password']}\n"
        ))
