from django.core.management.base import BaseCommand

from cocreate.demo import DEMO_LOGINS, load_demo_data


class Command(BaseCommand):
    help = "Create the demo boards, logins and drafts (safe to run again)."

    def handle(self, *args, **options):
        created = load_demo_data()
        self.stdout.write("Demo data created." if created else "Demo data already present; logins refreshed.")
        self.stdout.write("Demo logins:\n" + DEMO_LOGINS)
