"""The demo's draft in review, with its passage comments beside the text (under their paragraph on a phone):
every comment highlights its passage, and the page passes the checks at 1366 and 390 px."""

import pytest

from drafts.demo_passages import DRAFT_TITLE, PASSAGE_COMMENTS
from drafts.models import Draft
from tests.browser.harness import check_page

pytestmark = [pytest.mark.browser]


def test_the_demo_review_page_shows_its_passage_comments(open_as, live_server):
    draft = Draft.objects.get(title=DRAFT_TITLE)
    page, console = open_as("reviewer")
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    marks = page.locator("#draft-text mark.anchor")
    marks.first.wait_for()
    assert sorted(marks.all_inner_texts()) == sorted(quote for quote, *_ in PASSAGE_COMMENTS)
    assert page.locator(".thread.is-resolved").count() == 1
    assert page.locator(".thread .replies li").count() == 1
    check_page(page, "review-passages", console)
    page.locator("#draft-text .thread").first.wait_for()  # at 390 px the comments sit in the text
