from django.core.management.base import BaseCommand

from cases import demo as case_demo
from cases import demo_carousel, demo_learning, demo_planmakers
from cases import demo_crisis as crisis_demo
from instruments import demo_data as instrument_demo
from instruments import demo_engagements
from networks import demo as network_demo
from networks.models import Network


class Command(BaseCommand):
    help = "Load (or refresh) the demo networks, instruments, cases and one login per role. Idempotent."

    # Lives in the top app of the chain (DESIGN.md §4) because it loads every app's demo data.
    def handle(self, *args, **options) -> None:
        counts = network_demo.load()
        networks = {
            network.name: network
            for network in Network.objects.filter(name__in=[n[0] for n in network_demo.NETWORKS])
        }
        counts.update(instrument_demo.load(networks))
        counts.update(case_demo.load(networks))
        counts.update(crisis_demo.load(networks))
        counts.update(demo_planmakers.load(networks))
        counts.update(demo_learning.load(networks))
        counts.update(demo_carousel.load(networks))
        counts.update(demo_engagements.load(networks))
        # The modules bring organisations into their networks: seat them in the steering groups
        # now, so that a second load finds nothing left to do.
        network_demo.demo_steering.load(networks)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {organisations} organisations, {networks} networks, {users} demo logins, "
                "{referral_agreements} referral agreements, {cases} new cases, {trajectories} new planmaker trajectories.".format(
                    **counts
                )
            )
        )
