from django.core.management import call_command
from django.core.management.base import BaseCommand

from cocreate.demo import DEMO_LOGINS, load_demo_data


class Command(BaseCommand):
    help = "Create the demo boards, logins and drafts (safe to run again)."
    # `make run` runs the system checks once, in migrate; runserver skips them (Procfile.dev).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate", action="store_true", help="Migrate first, in the same process (one Django start-up fewer)."
        )

    def handle(self, *args, **options):
        if options["migrate"]:
            call_command(
                "migrate", interactive=False, skip_checks=False, verbosity=options["verbosity"], stdout=self.stdout
            )
        created = load_demo_data()
        self.stdout.write("Demo data created." if created else "Demo data already present; logins kept.")
        self.stdout.write("Demo logins:\n" + DEMO_LOGINS)
