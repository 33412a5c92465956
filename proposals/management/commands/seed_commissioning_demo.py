from django.core.management.base import BaseCommand

from proposals.demo import DEMO_PASSWORD, seed_commissioning_demo
from proposals.models import CallPage


class Command(BaseCommand):
    help = "Demo learning-demand topics, an open call and proposals, with users to sign in as."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a call already exists.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if options["if_empty"] and CallPage.objects.exists():
            self.stdout.write("Calls already exist; nothing to do.")
            return
        demo = seed_commissioning_demo(options["seed"])
        self.stdout.write(self.style.SUCCESS(
            f"Commissioning demo ready: {len(demo['topics'])} topics, call “{demo['call'].title}”.\n"
            f"  Sign in (password {DEMO_PASSWORD}): call-manager, reviewer1–reviewer4, member1–member4"
            " (institution members), learner1–learner30."
        ))
