"""Contributor profiles (page and API), avatar uploads, and the opt-in public portfolio."""

import io
import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from contributors.profiles import selectors
from contributors.profiles.demo import ALICE_BIO, ALICE_LINKS, load_demo
from contributors.profiles.models import BoardPortfolioPolicy, Profile
from contributors.profiles.services import board_portfolio_policy_set, profile_update
from contributors.services import board_role_grant
from drafts.models import Draft
from drafts.services import draft_coauthors_set, draft_transition
from tests.factories import BoardFactory, advance, make_draft, member


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(size=(32, 32), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def png_upload(name="me.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def publish(board, author, admin, title: str) -> Draft:
    """A draft walked to `published` on any board (a site admin approves and schedules)."""
    draft = make_draft(board, author, title=title)
    draft_transition(draft_id=draft.pk, name="submit", actor=author)
    draft_transition(draft_id=draft.pk, name="approve", actor=admin)
    draft_transition(draft_id=draft.pk, name="schedule", actor=admin, publish_at=timezone.now() + timedelta(hours=1))
    draft_transition(draft_id=draft.pk, name="mark_published", actor=None)
    draft.refresh_from_db()
    return draft


def opt_in(user) -> Profile:
    return profile_update(user=user, actor=user, portfolio_public=True)


# --- Editing one's profile ---------------------------------------------------------------------------------


def test_it_saves_the_profile_from_the_page(personas):
    client = Client()
    client.force_login(personas.contributor)
    data = {
        "display_name": "Connie Contributor",
        "bio": "I write about launches.",
        "links": "https://example.com/connie\nhttp://blog.example.org/\n",
        "portfolio_public": "on",
    }

    response = client.post("/profile/", data)

    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    personas.contributor.refresh_from_db()
    profile = personas.contributor.profile
    assert personas.contributor.display_name == "Connie Contributor"
    assert profile.bio == "I write about launches."
    assert profile.links == ["https://example.com/connie", "http://blog.example.org/"]
    assert profile.portfolio_public is True
    page = client.get("/profile/").content.decode()
    assert "I write about launches." in page
    assert "https://example.com/connie" in page


def test_it_refuses_links_that_are_not_web_addresses_on_the_page(personas):
    client = Client()
    client.force_login(personas.contributor)

    response = client.post("/profile/", {"bio": "Hello", "links": "javascript:alert(1)"})

    assert response.status_code == 400
    assert "javascript:alert(1): not a web address" in response.content.decode()
    assert not Profile.objects.filter(user=personas.contributor).exists()


def test_it_reads_and_patches_the_own_profile_through_the_api(personas):
    client = APIClient()
    client.force_authenticate(personas.contributor)
    assert client.get("/api/profile/").json()["bio"] == ""

    response = client.patch(
        "/api/profile/",
        {"display_name": "Connie", "bio": "Hi!", "links": ["https://example.com"], "portfolio_public": True},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["username"] == "contributor"
    assert body["display_name"] == "Connie"
    assert body["links"] == ["https://example.com"]
    assert body["portfolio_url"] == "/people/contributor/"
    assert client.get("/api/profile/").json()["bio"] == "Hi!"


def test_it_changes_only_the_fields_a_patch_sends(personas):
    profile_update(user=personas.contributor, actor=personas.contributor, bio="Kept", links=["https://a.example"])
    client = APIClient()
    client.force_authenticate(personas.contributor)

    response = client.patch("/api/profile/", {"portfolio_public": True}, format="json")

    assert response.json()["bio"] == "Kept"
    assert response.json()["links"] == ["https://a.example"]
    assert response.json()["portfolio_public"] is True


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (["ftp://example.com/file"], "not a web address"),
        (["not a url"], "not a web address"),
        ([f"https://example.com/{n}" for n in range(6)], "At most 5 links"),
    ],
)
def test_it_refuses_bad_links_through_the_api(personas, links, message):
    client = APIClient()
    client.force_authenticate(personas.contributor)

    response = client.patch("/api/profile/", {"links": links}, format="json")

    assert response.status_code == 400
    assert message in " ".join(response.json()["links"])


def test_it_lets_nobody_else_edit_a_profile(personas):
    with pytest.raises(PermissionDenied):
        profile_update(user=personas.contributor, actor=personas.manager, bio="Hijacked")
    profile_update(user=personas.contributor, actor=personas.admin, bio="Moderated")
    assert personas.contributor.profile.bio == "Moderated"


# --- Avatars ------------------------------------------------------------------------------------------------


def test_it_accepts_a_real_png_and_stores_it_as_png_in_media_root(personas, media_root):
    client = APIClient()
    client.force_authenticate(personas.contributor)

    response = client.patch("/api/profile/", {"avatar": png_upload()}, format="multipart")

    assert response.status_code == 200, response.json()
    profile = Profile.objects.get(user=personas.contributor)
    stored = media_root / profile.avatar.name
    assert stored.is_file()
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (32, 32))
    assert response.json()["avatar_url"].startswith("/people/contributor/avatar/")


def test_it_accepts_an_avatar_from_the_page_and_serves_it_to_its_owner(personas):
    client = Client()
    client.force_login(personas.contributor)

    response = client.post("/profile/", {"bio": "", "links": "", "avatar": png_upload()})

    assert response.status_code == 302
    served = client.get("/people/contributor/avatar/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    # Not opted in: nobody else gets the picture.
    assert Client().get("/people/contributor/avatar/").status_code == 404


def test_it_refuses_a_text_file_named_png(personas, media_root):
    client = APIClient()
    client.force_authenticate(personas.contributor)
    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")

    response = client.patch("/api/profile/", {"avatar": fake}, format="multipart")

    assert response.status_code == 400
    assert "not an image" in " ".join(response.json()["avatar"])
    assert not (media_root / "avatars").exists()


def test_it_refuses_an_avatar_over_the_byte_limit(personas, settings):
    settings.PROFILE_AVATAR_MAX_BYTES = 2_000
    noisy = Image.frombytes("RGB", (64, 64), random.Random(0).randbytes(64 * 64 * 3))  # incompressible
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 2_000
    client = APIClient()
    client.force_authenticate(personas.contributor)

    response = client.patch(
        "/api/profile/", {"avatar": SimpleUploadedFile("big.png", out.getvalue())}, format="multipart"
    )

    assert response.status_code == 400
    assert "larger than 2,000 bytes" in " ".join(response.json()["avatar"])


def test_it_refuses_an_avatar_with_too_many_pixels(personas):
    client = Client()
    client.force_login(personas.contributor)

    response = client.post("/profile/", {"avatar": png_upload(size=(2000, 10))})

    assert response.status_code == 400
    assert "2000x10 pixels" in response.content.decode()
    assert not Profile.objects.filter(user=personas.contributor).exclude(avatar="").exists()


def test_it_deletes_the_replaced_avatar_file(personas, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = profile_update(user=personas.contributor, actor=personas.contributor, avatar=png_upload()).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        second = profile_update(user=personas.contributor, actor=personas.contributor, avatar=png_upload()).avatar.name

    assert first != second
    assert not (media_root / first).exists()
    assert (media_root / second).is_file()


# --- The public portfolio ---------------------------------------------------------------------------------


def test_it_lists_only_published_pieces_from_boards_that_allow_portfolios(personas):
    contributor, admin = personas.contributor, personas.admin
    shown = publish(personas.board, contributor, admin, "Shown launch post")
    in_review = make_draft(personas.board, contributor, title="Still in review")
    advance(in_review, "review", personas)
    make_draft(personas.board, contributor, title="Just an idea")
    private_board = BoardFactory(name="Private board")
    board_role_grant(board=private_board, user=contributor, role="contributor")
    publish(private_board, contributor, admin, "Secret partner piece")
    board_portfolio_policy_set(board=private_board, actor=admin, allow_portfolios=False)
    opt_in(contributor)

    page = Client().get("/people/contributor/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Shown launch post" in html
    assert "Launch" in html
    assert "Still in review" not in html
    assert "Just an idea" not in html
    assert "Secret partner piece" not in html
    api = Client().get("/api/people/contributor/portfolio/").json()
    assert [piece["title"] for piece in api["pieces"]] == ["Shown launch post"]
    assert api["pieces"][0]["board"] == "Launch"
    assert api["pieces"][0]["published_at"] == shown.publish_at.isoformat().replace("+00:00", "Z")


def test_it_lists_co_authored_pieces_with_the_publish_time(personas):
    writer = member(personas.board, "contributor", username="writer")
    draft = make_draft(personas.board, personas.contributor, title="Written together")
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    advance(draft, "published", personas)
    opt_in(writer)

    pieces = list(selectors.portfolio_pieces(writer))

    assert [piece.title for piece in pieces] == ["Written together"]
    assert pieces[0].published_at == draft.publish_at


def test_it_falls_back_to_the_published_event_time_without_a_publish_at(personas):
    draft = make_draft(personas.board, personas.contributor, title="Published at once")
    advance(draft, "published", personas)
    Draft.objects.filter(pk=draft.pk).update(publish_at=None)
    event = draft.events.get(target="published")

    (piece,) = selectors.portfolio_pieces(personas.contributor)

    assert piece.published_at == event.created_at


def test_it_hides_a_board_once_its_manager_opts_out_and_shows_it_again_after(personas):
    advance(make_draft(personas.board, personas.contributor, title="Launch piece"), "published", personas)
    opt_in(personas.contributor)
    client = Client()
    client.force_login(personas.manager)

    assert client.post("/boards/launch/portfolio/", {}).status_code == 302
    assert "Launch piece" not in Client().get("/people/contributor/").content.decode()
    assert BoardPortfolioPolicy.objects.get(board=personas.board).updated_by == personas.manager

    assert client.post("/boards/launch/portfolio/", {"allow_portfolios": "on"}).status_code == 302
    assert "Launch piece" in Client().get("/people/contributor/").content.decode()


def test_it_lets_only_managers_change_the_board_setting_through_the_api(personas):
    contributor = APIClient()
    contributor.force_authenticate(personas.contributor)
    manager = APIClient()
    manager.force_authenticate(personas.manager)
    url = f"/api/boards/{personas.board.pk}/portfolio-policy/"

    assert contributor.get(url).json() == {"allow_portfolios": True}
    assert contributor.patch(url, {"allow_portfolios": False}, format="json").status_code == 403
    assert manager.patch(url, {"allow_portfolios": False}, format="json").json() == {"allow_portfolios": False}
    assert contributor.get(url).json() == {"allow_portfolios": False}


def test_it_answers_404_until_the_contributor_opts_in(personas):
    advance(make_draft(personas.board, personas.contributor, title="Launch piece"), "published", personas)
    profile_update(user=personas.contributor, actor=personas.contributor, bio="Hello")

    assert Client().get("/people/contributor/").status_code == 404
    assert Client().get("/api/people/contributor/portfolio/").status_code == 404
    assert Client().get("/people/nobody-at-all/").status_code == 404

    opt_in(personas.contributor)
    assert Client().get("/people/contributor/").status_code == 200


def test_it_answers_404_for_a_deactivated_contributor(personas):
    opt_in(personas.contributor)
    personas.contributor.is_active = False
    personas.contributor.save()

    assert Client().get("/people/contributor/").status_code == 404


def test_it_shows_an_opted_in_portfolio_to_anonymous_visitors_with_the_avatar(personas):
    profile_update(
        user=personas.contributor,
        actor=personas.contributor,
        display_name="Connie",
        bio="Launch writer",
        links=["https://example.com/connie"],
        avatar=png_upload(),
        portfolio_public=True,
    )

    page = Client().get("/people/contributor/")
    api = APIClient().get("/api/people/contributor/portfolio/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Connie" in html
    assert "Launch writer" in html
    assert 'href="https://example.com/connie"' in html
    assert api.status_code == 200
    assert api.json()["display_name"] == "Connie"
    assert Client().get(api.json()["avatar_url"]).status_code == 200


def test_it_escapes_titles_and_bios_and_shows_a_sanitized_excerpt(personas):
    draft = make_draft(
        personas.board,
        personas.contributor,
        title="<script>alert('t')</script>",
        body="**Bold** move <script>steal()</script> & more",
    )
    advance(draft, "published", personas)
    profile_update(
        user=personas.contributor, actor=personas.contributor, bio="<img src=x onerror=alert(1)>", portfolio_public=True
    )

    html = Client().get("/people/contributor/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    # Raw HTML is text in the one Markdown dialect: the excerpt shows it as typed, escaped.
    assert '<p class="excerpt">Bold move &lt;script&gt;steal()&lt;/script&gt; &amp; more</p>' in html
    assert "<script>steal" not in html
    (piece,) = Client().get("/api/people/contributor/portfolio/").json()["pieces"]
    assert piece["excerpt"] == "Bold move <script>steal()</script> & more"


def test_it_runs_a_constant_number_of_queries_however_many_pieces(personas, django_assert_num_queries):
    writer = member(personas.board, "contributor", username="writer")
    opt_in(personas.contributor)

    def add_pieces(count: int) -> None:
        for n in range(count):
            draft = make_draft(personas.board, personas.contributor, title=f"Piece {n}")
            draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
            advance(draft, "published", personas)

    client = Client()
    add_pieces(2)
    client.get("/people/contributor/")  # warm the process-wide caches (content types)
    with django_assert_num_queries(2):
        response = client.get("/people/contributor/")
    assert response.content.decode().count('class="piece-title"') == 2

    add_pieces(8)
    with django_assert_num_queries(2):
        response = client.get("/people/contributor/")
    assert response.content.decode().count('class="piece-title"') == 10
    with django_assert_num_queries(2):
        assert len(client.get("/api/people/contributor/portfolio/").json()["pieces"]) == 10


def test_it_loads_the_demo_profile_idempotently(personas):
    alice = member(personas.board, "contributor", username="alice")
    publish(personas.board, alice, personas.admin, "Teaser")

    load_demo(boards={"launch": personas.board}, users={"alice": alice})
    load_demo(boards={"launch": personas.board}, users={"alice": alice})

    assert Profile.objects.filter(user=alice).count() == 1
    profile = Profile.objects.get(user=alice)
    assert profile.bio == ALICE_BIO
    assert profile.links == ALICE_LINKS
    assert profile.portfolio_public is True
    assert "Teaser" in Client().get("/people/alice/").content.decode()


# --- Admin ----------------------------------------------------------------------------------------------------


def test_it_edits_a_profile_in_the_admin_through_the_service_checks(personas):
    profile = profile_update(user=personas.contributor, actor=personas.contributor, bio="Before")
    client = Client()
    client.force_login(personas.admin)
    url = f"/admin/profiles/profile/{profile.pk}/change/"
    assert client.get(url).status_code == 200

    refused = client.post(url, {"bio": "After", "links": '["javascript:alert(1)"]', "portfolio_public": "on"})
    assert refused.status_code == 200
    assert "not a web address" in refused.content.decode()
    profile.refresh_from_db()
    assert profile.bio == "Before"

    saved = client.post(url, {"bio": "After", "links": '["https://example.com"]', "portfolio_public": "on"})
    assert saved.status_code == 302
    profile.refresh_from_db()
    assert (profile.bio, profile.links, profile.portfolio_public) == ("After", ["https://example.com"], True)


def test_it_sets_a_board_portfolio_policy_in_the_admin(personas):
    client = Client()
    client.force_login(personas.admin)

    response = client.post("/admin/profiles/boardportfoliopolicy/add/", {"board": personas.board.pk})

    assert response.status_code == 302
    policy = BoardPortfolioPolicy.objects.get(board=personas.board)
    assert policy.allow_portfolios is False
    assert policy.updated_by == personas.admin
    assert not selectors.board_allows_portfolios(personas.board)
