import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from networks.models import Goal, GoalProgress
from tests.factories import GoalFactory, GoalProgressFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def end_goal(network):
    return GoalFactory(network=network, title="Snellere toegang tot hulp")


@pytest.fixture
def operational(network, end_goal):
    return GoalFactory(
        network=network,
        operational=True,
        parent=end_goal,
        title="Meer aanvragen cliëntoverleg",
        unit="aanvragen",
        target_value=40,
    )


@pytest.fixture
def action(network, operational):
    return GoalFactory(network=network, kind=Goal.Kind.ACTION, parent=operational, title="Infosessie CLB's")


def smart_data(parent, /, **overrides):
    data = {
        "kind": Goal.Kind.OPERATIONAL,
        "parent": parent.pk if parent else "",
        "title": "Wachttijd onder 30 dagen",
        "level": Goal.Level.NETWORK,
        "status": Goal.Status.NOT_STARTED,
        "indicator": "Mediane wachttijd in dagen",
        "unit": "dagen",
        "baseline_value": "62",
        "target_value": "30",
        "deadline": "2027-12-31",
    }
    return {**data, **overrides}


# --- access --------------------------------------------------------------------------------------


def read_urls(network, goal):
    return [reverse("networks:goal-list", args=[network.pk]), reverse("networks:goal-detail", args=[goal.pk])]


def write_urls(network, goal):
    return [reverse("networks:goal-create", args=[network.pk]), reverse("networks:goal-edit", args=[goal.pk])]


class TestAccess:
    def test_member_reads_but_may_not_write(self, as_user, network, operational, member):
        client = as_user(member)
        for url in read_urls(network, operational):
            assert client.get(url).status_code == 200, url
        for url in write_urls(network, operational):
            assert client.get(url).status_code == 403, url
        progress_url = reverse("networks:goal-progress-add", args=[operational.pk])
        assert client.post(progress_url, {"value": "3"}).status_code == 403

    def test_manager_reads_and_writes(self, as_user, network, operational, manager):
        client = as_user(manager)
        for url in read_urls(network, operational) + write_urls(network, operational):
            assert client.get(url).status_code == 200, url

    def test_regional_staff_may_write(self, as_user, network, operational, regional_staff):
        assert as_user(regional_staff).get(write_urls(network, operational)[0]).status_code == 200

    @pytest.mark.parametrize("persona", ["outsider", "former_member"])
    def test_others_get_404_everywhere(self, request, as_user, network, operational, persona):
        client = as_user(request.getfixturevalue(persona))
        for url in read_urls(network, operational) + write_urls(network, operational):
            assert client.get(url).status_code == 404, url
        progress_url = reverse("networks:goal-progress-add", args=[operational.pk])
        assert client.post(progress_url, {"value": "3"}).status_code == 404
        assert not GoalProgress.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, network, operational):
        urls = [*read_urls(network, operational), *write_urls(network, operational)]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        progress_url = reverse("networks:goal-progress-add", args=[operational.pk])
        assert client.post(progress_url, {"value": "3"}).status_code == 302

    def test_member_sees_no_write_controls(self, as_user, network, operational, member):
        detail = as_user(member).get(reverse("networks:goal-detail", args=[operational.pk])).text
        assert "Meting toevoegen" not in detail
        assert "Bewerken" not in detail
        assert (
            "Nieuw einddoel" not in as_user(member).get(reverse("networks:goal-list", args=[network.pk])).text
        )

    def test_progress_endpoint_refuses_get(self, as_user, operational, manager):
        url = reverse("networks:goal-progress-add", args=[operational.pk])
        assert as_user(manager).get(url).status_code == 405


# --- the tree ------------------------------------------------------------------------------------


class TestGoalList:
    def test_nests_end_goal_operational_goal_and_action(self, as_user, network, action, member):
        text = as_user(member).get(reverse("networks:goal-list", args=[network.pk])).text
        end, operational, act = (
            text.index("Snellere toegang tot hulp"),
            text.index("Meer aanvragen cliëntoverleg"),
            text.index("Infosessie CLB&#x27;s"),
        )
        assert end < operational < act
        # the action sits in a list inside the operational goal's list item
        assert text.count('<ul class="goal-tree">') == 2

    def test_shows_latest_progress_against_target(self, as_user, network, operational, member):
        today = timezone.localdate()
        GoalProgressFactory(goal=operational, measured_on=today - datetime.timedelta(days=60), value=30)
        GoalProgressFactory(goal=operational, measured_on=today - datetime.timedelta(days=5), value=10)
        text = as_user(member).get(reverse("networks:goal-list", args=[network.pk])).text
        assert "<strong>10</strong> / 40 aanvragen" in text  # the latest by date, not the largest
        assert 'value="25"' in text  # 10 of 40 from a baseline of 0

    def test_shows_status_badges(self, as_user, network, end_goal, member):
        GoalFactory(network=network, operational=True, parent=end_goal, status=Goal.Status.AT_RISK)
        text = as_user(member).get(reverse("networks:goal-list", args=[network.pk])).text
        assert '<span class="badge status-starting">in gevaar</span>' in text

    def test_goals_of_other_networks_stay_out(self, as_user, network, other_network, end_goal, member):
        GoalFactory(network=other_network, title="Doel van elders")
        text = as_user(member).get(reverse("networks:goal-list", args=[network.pk])).text
        assert "Doel van elders" not in text

    @pytest.mark.parametrize("size", [2, 20])
    def test_queries_do_not_grow(self, as_user, network, manager, size, django_assert_num_queries):
        for index in range(size):
            operational = GoalFactory(network=network, operational=True, title=f"Operationeel {index}")
            GoalFactory(network=network, kind=Goal.Kind.ACTION, parent=operational)
            GoalProgressFactory.create_batch(2, goal=operational)
        client = as_user(manager)
        # session, user, network (visible + manage flag), all goals of the network with their
        # latest progress (subqueries), session save (savepoint, update, release)
        with django_assert_num_queries(7):
            response = client.get(reverse("networks:goal-list", args=[network.pk]))
        assert response.text.count("Operationeel ") >= size


# --- one goal ------------------------------------------------------------------------------------


class TestGoalDetail:
    def test_shows_subtree_progress_table_and_chart(self, as_user, end_goal, operational, action, member):
        GoalProgressFactory(goal=operational, measured_on=datetime.date(2025, 3, 1), value=12)
        text = as_user(member).get(reverse("networks:goal-detail", args=[end_goal.pk])).text
        assert "Meer aanvragen cliëntoverleg" in text
        assert "Infosessie CLB&#x27;s" in text
        op_text = as_user(member).get(reverse("networks:goal-detail", args=[operational.pk])).text
        assert "01/03/2025" in op_text
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in op_text
        assert 'class="target-line"' in op_text
        assert "30/06/2027" in op_text  # the deadline, as d/m/Y

    @pytest.mark.parametrize("size", [2, 20])
    def test_queries_do_not_grow(
        self, as_user, network, operational, manager, size, django_assert_num_queries
    ):
        for index in range(size):
            GoalFactory(network=network, kind=Goal.Kind.ACTION, parent=operational, title=f"Actie {index}")
            GoalProgressFactory(
                goal=operational, measured_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index)
            )
        client = as_user(manager)
        # session, user, goal (visible + manage flag, with parent and network), its measurements
        # with who recorded them, its subtree with latest progress, session save (savepoint,
        # update, release)
        with django_assert_num_queries(8):
            response = client.get(reverse("networks:goal-detail", args=[operational.pk]))
        assert response.text.count("<circle") == size


# --- writes --------------------------------------------------------------------------------------


class TestCreateGoal:
    def url(self, network):
        return reverse("networks:goal-create", args=[network.pk])

    def test_manager_creates_an_end_goal(self, as_user, network, manager):
        response = as_user(manager).post(
            self.url(network),
            {
                "kind": "end_goal",
                "title": "Geen jongere zonder plan",
                "level": "network",
                "status": "on_track",
            },
        )
        goal = Goal.objects.get(title="Geen jongere zonder plan")
        assert response.status_code == 302
        assert response.url == reverse("networks:goal-detail", args=[goal.pk])
        assert goal.network == network
        assert goal.created_by == manager.user
        event = AuditEvent.objects.get(action="goal.created")
        assert (event.object_id, event.network_id, event.actor) == (str(goal.pk), network.pk, manager.user)

    def test_manager_creates_a_smart_goal_with_a_decimal_comma(self, as_user, network, end_goal, manager):
        response = as_user(manager).post(self.url(network), smart_data(end_goal, target_value="12,5"))
        assert response.status_code == 302
        goal = Goal.objects.get(title="Wachttijd onder 30 dagen")
        assert (goal.parent, goal.target_value, goal.deadline) == (
            end_goal,
            Decimal("12.5"),
            datetime.date(2027, 12, 31),
        )

    def test_htmx_success_redirects_on_the_client(self, as_user, network, end_goal, manager):
        response = as_user(manager).post(self.url(network), smart_data(end_goal), headers=HTMX)
        assert response.status_code == 200
        assert response["HX-Redirect"].startswith("/")

    def test_parent_in_the_query_is_preselected(self, as_user, network, end_goal, manager):
        text = as_user(manager).get(self.url(network), {"parent": end_goal.pk}).text
        assert f'<option value="{end_goal.pk}" selected>' in text
        assert '<option value="operational" selected>' in text

    @pytest.mark.parametrize("parent", ["abc", "999999", "-1"])
    def test_garbage_parent_in_the_query_is_ignored(self, as_user, network, manager, parent):
        assert as_user(manager).get(self.url(network), {"parent": parent}).status_code == 200

    def test_parent_select_offers_only_this_networks_goals(
        self, as_user, network, other_network, end_goal, action, manager
    ):
        foreign = GoalFactory(network=other_network, title="Doel van elders")
        text = as_user(manager).get(self.url(network)).text
        assert f'value="{end_goal.pk}"' in text
        assert f'value="{foreign.pk}"' not in text
        assert f'value="{action.pk}"' not in text  # an action carries nothing

    def test_missing_smart_fields_are_refused(self, as_user, network, end_goal, manager):
        data = smart_data(end_goal, indicator="", target_value="", deadline="")
        response = as_user(manager).post(self.url(network), data, headers=HTMX)
        assert response.status_code == 422
        assert "Een operationeel doel is meetbaar: geef een indicator." in response.text
        assert "Geef de streefwaarde." in response.text
        assert "Een operationeel doel heeft een deadline." in response.text
        assert response.text.lstrip().startswith('<form id="goal-form"')  # the partial, for htmx
        assert Goal.objects.count() == 1
        assert not AuditEvent.objects.filter(action="goal.created").exists()

    def test_parent_of_another_network_is_refused(self, as_user, network, other_network, manager):
        foreign = GoalFactory(network=other_network)
        response = as_user(manager).post(self.url(network), smart_data(foreign))
        assert response.status_code == 422
        assert "Kies een einddoel of operationeel doel van dit netwerk." in response.text
        assert not Goal.objects.filter(network=network).exists()

    def test_action_under_an_end_goal_is_refused(self, as_user, network, end_goal, manager):
        data = {
            "kind": "action",
            "parent": end_goal.pk,
            "title": "Folder",
            "level": "network",
            "status": "on_track",
        }
        response = as_user(manager).post(self.url(network), data)
        assert response.status_code == 422
        assert "Een actie valt onder een operationeel doel." in response.text
        assert Goal.objects.count() == 1

    def test_operational_goal_without_parent_is_refused(self, as_user, network, manager):
        data = smart_data(None)
        response = as_user(manager).post(self.url(network), data)
        assert response.status_code == 422
        assert "Kies het doel waaronder dit valt." in response.text
        assert not Goal.objects.exists()

    @pytest.mark.parametrize(
        "overrides",
        [
            {"kind": "<script>"},
            {"level": "galaxy"},
            {"target_value": "veertig"},
            {"target_value": "1e400"},
            {"baseline_value": "99999999999999"},
            {"deadline": "31/02/2027"},
            {"title": "x" * 300},
            {"parent": "abc"},
        ],
    )
    def test_bad_input_gives_422_not_500(self, as_user, network, end_goal, manager, overrides):
        response = as_user(manager).post(self.url(network), smart_data(end_goal, **overrides))
        assert response.status_code == 422
        assert "Het formulier is niet bewaard." in response.text
        assert Goal.objects.count() == 1

    def test_number_message_is_dutch(self, as_user, network, end_goal, manager):
        response = as_user(manager).post(self.url(network), smart_data(end_goal, target_value="veertig"))
        assert "Geef de streefwaarde als getal, bv. 40 of 12,5." in response.text


class TestEditGoal:
    def url(self, goal):
        return reverse("networks:goal-edit", args=[goal.pk])

    def test_manager_changes_the_status(self, as_user, end_goal, operational, manager):
        data = smart_data(end_goal, title=operational.title, status=Goal.Status.AT_RISK, unit="aanvragen")
        data.update(
            indicator=operational.indicator, target_value="40", deadline="2027-06-30", baseline_value=""
        )
        response = as_user(manager).post(self.url(operational), data)
        assert response.status_code == 302
        operational.refresh_from_db()
        assert operational.status == Goal.Status.AT_RISK
        event = AuditEvent.objects.get(action="goal.updated")
        assert event.changed_fields == ["status"]

    def test_kind_of_a_goal_with_children_cannot_change(self, as_user, end_goal, operational, manager):
        data = {"kind": "operational", "parent": "", "title": end_goal.title, "level": "network"}
        response = as_user(manager).post(self.url(end_goal), {**data, "status": "on_track"})
        assert response.status_code == 422
        assert "de soort kan niet meer wijzigen" in response.text
        end_goal.refresh_from_db()
        assert end_goal.kind == Goal.Kind.END_GOAL
        assert not AuditEvent.objects.filter(action="goal.updated").exists()

    def test_a_goal_cannot_be_its_own_parent(self, as_user, operational, manager):
        text = as_user(manager).get(self.url(operational)).text
        assert f'<option value="{operational.pk}"' not in text

    def test_removing_smart_fields_is_refused(self, as_user, end_goal, operational, manager):
        data = smart_data(end_goal, title=operational.title, indicator="  ")
        response = as_user(manager).post(self.url(operational), data)
        assert response.status_code == 422
        assert "Een operationeel doel is meetbaar: geef een indicator." in response.text
        operational.refresh_from_db()
        assert operational.indicator == "Aantal aanvragen cliëntoverleg"


class TestRecordProgress:
    def url(self, goal):
        return reverse("networks:goal-progress-add", args=[goal.pk])

    def test_htmx_swaps_the_progress_section(self, as_user, operational, manager):
        response = as_user(manager).post(
            self.url(operational), {"measured_on": "2025-05-01", "value": "17,5", "note": "Q1"}, headers=HTMX
        )
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<section class="card" id="progress"')
        assert "De meting van 01/05/2025 is bewaard." in response.text
        assert "17,50" in response.text
        assert "<circle" in response.text  # the chart is redrawn
        progress = GoalProgress.objects.get()
        assert (progress.value, progress.recorded_by) == (Decimal("17.5"), manager.user)
        event = AuditEvent.objects.get(action="goal.progress_recorded")
        assert (event.object_id, event.network_id) == (str(progress.pk), operational.network_id)

    def test_plain_post_redirects_to_the_goal(self, as_user, operational, manager):
        response = as_user(manager).post(self.url(operational), {"measured_on": "2025-05-01", "value": "3"})
        assert response.status_code == 302
        assert response.url == reverse("networks:goal-detail", args=[operational.pk])

    def test_a_date_in_the_future_is_refused(self, as_user, operational, manager):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = as_user(manager).post(
            self.url(operational), {"measured_on": tomorrow.isoformat(), "value": "3"}, headers=HTMX
        )
        assert response.status_code == 422
        assert "Een meting kan niet in de toekomst liggen." in response.text
        assert response.text.lstrip().startswith('<section class="card" id="progress"')
        assert not GoalProgress.objects.exists()
        assert not AuditEvent.objects.filter(action="goal.progress_recorded").exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"measured_on": "2025-01-01", "value": ""}, "Geef de gemeten waarde."),
            ({"measured_on": "2025-01-01", "value": "veel"}, "Geef de waarde als getal, bv. 12 of 12,5."),
            ({"measured_on": "", "value": "3"}, "Geef de datum van de meting."),
            ({"measured_on": "gisteren", "value": "3"}, "Voer een geldige datum in."),
            ({"measured_on": "2025-01-01", "value": "NaN"}, "Geef de waarde als getal"),
        ],
    )
    def test_bad_input_is_refused_in_dutch(self, as_user, operational, manager, data, message):
        response = as_user(manager).post(self.url(operational), data)
        assert response.status_code == 422
        assert message in response.text
        assert not GoalProgress.objects.exists()
