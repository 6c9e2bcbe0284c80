from django.core.management.base import BaseCommand

from networks import demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo networks, organisations and one login per role. Idempotent."

    def handle(self, *args, **options) -> None:
        counts = demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {organisations} organisations, {networks} networks, {users} demo logins.".format(
                    **counts
                )
            )
        )
