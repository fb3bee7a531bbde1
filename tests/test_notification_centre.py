"""The notification centre's pages and API: order and paging, the open-redirect guard, marking read, the bell's
fragment, preferences (validation, all or nothing), @mention candidates, and constant query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contributors.notifications.kinds import Delivery, Kind, Timing
from contributors.notifications.links import safe_path
from contributors.notifications.models import DigestSchedule, Notification, NotificationPreference
from contributors.notifications.selectors import inbox_page, mention_candidates
from contributors.notifications.services import notification_mark_read, notify, preferences_update
from tests.factories import make_draft
from tests.matrix_agreements import make_agreement

pytestmark = pytest.mark.django_db


def tell(personas, user, n: int, *, url="/drafts/1/", actor=None) -> int:
    return notify(
        kind=Kind.SUBMITTED,
        recipients=[user],
        source=f"test:{n}",
        title=f"Notification {n}",
        body="Please have a look.",
        url=url,
        actor=actor or personas.contributor,
        board=personas.board,
    )[0]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str, **headers) -> int:
    client.get(url, **headers)  # warm per-process caches (content types, guardian)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


# --- Order and paging ------------------------------------------------------------------------------------------


def test_unread_come_first_then_read_each_newest_first_and_pages_walk_both_ways(personas):
    reviewer = personas.reviewer
    ids = [tell(personas, reviewer, n) for n in range(7)]
    for pk in ids[1:4]:
        notification_mark_read(user=reviewer, notification_id=pk)
    unread, read = [ids[6], ids[5], ids[4], ids[0]], [ids[3], ids[2], ids[1]]
    walked, page = [], inbox_page(reviewer, size=3)
    pages = [page]
    while True:
        walked += [row.pk for row in page.rows]
        if not page.after:
            break
        page = inbox_page(reviewer, size=3, after=page.after)
        pages.append(page)
    assert walked == unread + read
    back = inbox_page(reviewer, size=3, before=pages[-1].before)
    assert [row.pk for row in back.rows] == [row.pk for row in pages[-2].rows]
    assert [row.pk for row in inbox_page(reviewer, unread_only=True, size=10).rows] == unread


def test_a_person_sees_only_their_own_notifications(personas):
    tell(personas, personas.reviewer, 1)
    mine = tell(personas, personas.manager, 2)
    assert [row.pk for row in inbox_page(personas.manager).rows] == [mine]
    assert inbox_page(personas.admin).rows == []
    response = logged_in(personas.admin).get("/api/notifications/")
    assert response.json()["results"] == []


def test_a_broken_cursor_is_a_clear_400_in_the_api_and_the_first_page_on_the_page(personas):
    tell(personas, personas.reviewer, 1)
    client = logged_in(personas.reviewer)
    response = client.get("/api/notifications/?after=garbage")
    assert response.status_code == 400
    assert "page link is broken" in response.json()["cursor"][0]
    page = client.get("/notifications/?after=garbage")
    assert page.status_code == 200
    assert "Notification 1" in page.content.decode()


# --- Opening: never an open redirect ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/drafts/1/\nLocation: https://evil.example",
        "",
        "drafts/1/",
    ],
)
def test_opening_a_notification_whose_url_is_not_a_path_here_lands_on_the_centre(personas, stored):
    pk = tell(personas, personas.reviewer, 1)
    Notification.objects.filter(pk=pk).update(url=stored)
    response = logged_in(personas.reviewer).get(f"/notifications/{pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert Notification.objects.get(pk=pk).read_at is not None


def test_opening_marks_read_and_lands_on_the_page(personas):
    pk = tell(personas, personas.reviewer, 1, url="/drafts/7/#comment-3")
    response = logged_in(personas.reviewer).get(f"/notifications/{pk}/open/")
    assert (response.status_code, response["Location"]) == (302, "/drafts/7/#comment-3")
    assert Notification.objects.get(pk=pk).read_at is not None
    assert safe_path("/drafts/7/?tab=x") == "/drafts/7/?tab=x"


def test_another_persons_notification_is_a_404_to_open_or_mark(personas):
    pk = tell(personas, personas.reviewer, 1)
    client = logged_in(personas.manager)
    assert client.get(f"/notifications/{pk}/open/").status_code == 404
    assert client.post(f"/notifications/{pk}/read/").status_code == 404
    assert logged_in(personas.admin).post(f"/api/notifications/{pk}/read/").status_code == 404
    assert Notification.objects.get(pk=pk).read_at is None


# --- Marking read, the bell ------------------------------------------------------------------------------------


def test_mark_read_and_all_read_with_htmx_and_without(personas):
    reviewer = personas.reviewer
    first, second, third = (tell(personas, reviewer, n) for n in range(3))
    client = logged_in(reviewer)
    response = client.post(f"/notifications/{first}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "notifications-changed" in response["HX-Trigger"]
    assert "Mark read" not in response.content.decode()
    response = client.post(f"/notifications/{second}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    response = client.post("/notifications/read-all/", {"next": "/notifications/?show=unread"})
    assert response["Location"] == "/notifications/?show=unread"
    assert not Notification.objects.filter(recipient=reviewer, read_at=None).exists()
    body = client.get("/notifications/?show=unread").content.decode()
    assert "all caught up" in body


def test_the_bell_fragment_names_the_count_and_says_99_plus_past_99(personas):
    client = logged_in(personas.reviewer)
    assert "Notifications</span>" in client.get("/notifications/bell/").content.decode()
    tell(personas, personas.reviewer, 1)
    assert "Notifications, 1 unread" in client.get("/notifications/bell/").content.decode()
    Notification.objects.bulk_create(
        [
            Notification(recipient=personas.reviewer, kind=Kind.COMMENT, title="x", url="/", source=f"bulk:{n}")
            for n in range(120)
        ]
    )
    assert "Notifications, 99+ unread" in client.get("/notifications/bell/").content.decode()
    page = client.get("/profile/").content.decode()
    assert "Notifications, 99+ unread" in page


def test_a_signed_out_bell_poll_swaps_nothing(client):
    assert client.get("/notifications/bell/", HTTP_HX_REQUEST="true").status_code == 204
    assert client.get("/notifications/bell/").status_code == 302


# --- Query counts ----------------------------------------------------------------------------------------------


def many(personas, user, count: int, start: int) -> None:
    for n in range(start, start + count):
        pk = tell(personas, user, n, actor=personas.manager if n % 2 else personas.contributor)
        if n % 3 == 0:
            notification_mark_read(user=user, notification_id=pk)


def test_the_centre_the_bell_and_the_api_list_cost_the_same_queries_however_many(personas):
    reviewer = personas.reviewer
    many(personas, reviewer, 3, 0)
    client = logged_in(reviewer)
    urls = ["/notifications/", "/notifications/?show=unread", "/notifications/bell/", "/notifications/bell/latest/"]
    urls += ["/api/notifications/", "/api/notifications/?unread=1"]
    small = {url: queries(client, url) for url in urls}
    many(personas, reviewer, 60, 3)
    large = {url: queries(client, url) for url in urls}
    assert large == small
    # The bell's poll: the session, the user, and one query of its own.
    assert small["/notifications/bell/"] == 3


def test_the_bell_adds_no_query_to_a_full_page(personas):
    client = logged_in(personas.reviewer)
    before = queries(client, "/profile/")
    many(personas, personas.reviewer, 10, 0)
    assert queries(client, "/profile/") == before


# --- Preferences -----------------------------------------------------------------------------------------------


def test_preferences_update_is_all_or_nothing_and_names_each_wrong_value(personas):
    user = personas.reviewer
    with pytest.raises(ValidationError) as caught:
        preferences_update(
            user=user,
            kinds={"comment": {"delivery": "email"}, "mention": {"delivery": "pigeon"}, "nope": {"timing": "now"}},
            digest_hour=24,
            digest_time_zone="Mars/Olympus",
        )
    errors = caught.value.message_dict
    assert set(errors) == {"mention.delivery", "nope", "digest_hour", "digest_time_zone"}
    assert "in_app" in errors["mention.delivery"][0]
    assert not NotificationPreference.objects.filter(user=user).exists()  # comment was valid but not written
    assert not DigestSchedule.objects.filter(user=user).exists()


def test_preferences_update_stores_choices_and_a_default_as_no_row(personas):
    user = personas.reviewer
    preferences_update(user=user, kinds={"comment": {"delivery": Delivery.EMAIL, "timing": Timing.NOW}}, digest_hour=7)
    row = NotificationPreference.objects.get(user=user)
    assert (row.kind, row.delivery, row.timing) == ("comment", "email", "now")
    assert DigestSchedule.objects.get(user=user).hour == 7
    preferences_update(user=user, kinds={"comment": {"delivery": Delivery.BOTH, "timing": Timing.DIGEST}})
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_the_preferences_page_saves_and_shows_errors_without_saving(personas):
    client = logged_in(personas.reviewer)
    page = client.get("/notifications/preferences/").content.decode()
    for kind in Kind:
        assert f'name="{kind.value}-delivery"' in page
    form = {f"{k.value}-delivery": "both" for k in Kind} | {f"{k.value}-timing": "now" for k in Kind}
    form |= {"digest_hour": "9", "digest_time_zone": "Europe/Copenhagen", "mention-delivery": "pigeon"}
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()
    form["mention-delivery"] = "none"
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=personas.reviewer, kind="mention").delivery == "none"
    assert DigestSchedule.objects.get(user=personas.reviewer).time_zone == "Europe/Copenhagen"


def test_the_preferences_api_patches_only_what_it_names_and_explains_refusals(personas):
    client = logged_in(personas.reviewer)
    body = client.get("/api/notification-preferences/").json()
    assert [row["kind"] for row in body["kinds"]] == list(Kind.values)
    assert body["digest"] == {"hour": 8, "time_zone": personas.board.time_zone, "is_default": True}
    response = client.patch(
        "/api/notification-preferences/",
        {"kinds": [{"kind": "comment", "timing": "now"}], "digest": {"time_zone": "Europe/Paris"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    comment = next(row for row in response.json()["kinds"] if row["kind"] == "comment")
    assert (comment["delivery"], comment["timing"], comment["is_default"]) == ("both", "now", False)
    assert response.json()["digest"] == {"hour": 8, "time_zone": "Europe/Paris", "is_default": False}
    for bad, field in [
        ({"kinds": [{"kind": "comment", "delivery": "pigeon"}]}, "kinds"),
        ({"kinds": [{"kind": "comment"}]}, "kinds"),
        ({"kinds": [{"kind": "comment", "timing": "now"}, {"kind": "comment", "timing": "digest"}]}, "kinds"),
        ({"digest": {"hour": 25}}, "digest"),
        ({"digest": {"time_zone": "Mars/Olympus"}}, "digest_time_zone"),
    ]:
        response = client.patch("/api/notification-preferences/", bad, content_type="application/json")
        assert response.status_code == 400, bad
        assert field in response.json(), response.json()
    assert NotificationPreference.objects.get(user=personas.reviewer).timing == "now"


# --- @mentions ---------------------------------------------------------------------------------------------


def test_mention_candidates_are_the_people_who_may_see_the_draft(personas):
    draft = make_draft(personas.board, personas.contributor, title="Launch post")
    names = [c.username for c in mention_candidates(draft, "", writer=personas.reviewer)]
    assert names == ["contributor", "manager"]  # not the writer, not the outsider, not the site admin
    assert [c.username for c in mention_candidates(draft, "man", writer=personas.reviewer)] == ["manager"]
    other = make_draft(personas.board, personas.reviewer, title="Reviewer's own")
    # Another contributor's draft is not the contributor's to see: they are not offered.
    assert "contributor" not in [c.username for c in mention_candidates(other, "", writer=personas.manager)]
    make_agreement(personas.board)
    assert mention_candidates(draft, "", writer=personas.admin) == []  # nobody has signed


def test_the_mentions_endpoint_answers_only_someone_who_may_see_the_draft(personas):
    draft = make_draft(personas.board, personas.contributor, title="Launch post")
    response = logged_in(personas.reviewer).get(f"/drafts/{draft.pk}/mentions/?q=con")
    assert response.json() == {"results": [{"username": "contributor", "display_name": ""}]}
    assert logged_in(personas.outsider).get(f"/drafts/{draft.pk}/mentions/?q=con").status_code == 404
