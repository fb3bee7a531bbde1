"""The e-mail newsletter through the publishing pipeline, against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from drafts.services import draft_transition
from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.email import Fault, SmtpStandIn
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due

USER = "newsletter"
PASSWORD = "smtp-stand-in-password"
READERS = ["ann@example.com", "ben@example.com", "cy@example.com"]

# The stand-in allows AUTH without TLS (a local submission server); aiosmtpd warns about that, rightly.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def smtp():
    stand_in = SmtpStandIn(user=USER, password=PASSWORD)
    stand_in.start()
    yield stand_in
    stand_in.stop()


def newsletter(board, smtp, name="Newsletter", password=PASSWORD, recipients=READERS, **settings) -> Channel:
    options = {
        "host": "127.0.0.1",
        "port": smtp.port,
        "user": USER,
        "security": "none",
        "from": "news@cocreate.example",
        "recipients": recipients,
        **settings,
    }
    return make_channel(board, "email", name=name, settings=options, credentials={"password": password})


@pytest.fixture
def scheduled(personas, draft, smtp):
    newsletter(personas.board, smtp)
    advance(draft, "scheduled", personas)
    return draft


def test_it_mails_every_recipient_once_with_a_stable_message_id(scheduled, smtp):
    assert run_due() == ["published"]
    assert [m["To"] for m in smtp.messages] == READERS
    assert smtp.envelopes == [("news@cocreate.example", [reader]) for reader in READERS]
    first = smtp.messages[0]
    assert first["Subject"] == scheduled.title
    assert first["From"] == "news@cocreate.example"
    # The text part is the rendered text (Markdown syntax gone), the HTML part the rendered Markdown.
    assert first.get_body(("plain",)).get_content().strip() == "Some markdown body."
    assert "<strong>markdown</strong>" in first.get_body(("html",)).get_content()
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(set(ids)) == 3
    assert all(i.startswith("<cocreate.") and i.endswith("@cocreate.example>") for i in ids)
    scheduled.refresh_from_db()
    assert scheduled.state == "published"


def test_it_fails_at_once_on_a_wrong_password(personas, draft, smtp):
    newsletter(personas.board, smtp, password="wrong")
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=draft)
    assert "refused the login: 535" in publication.last_error
    assert PublicationAttempt.objects.get().status_code == 535
    assert smtp.messages == []


def test_it_retries_a_4xx_reply_later_without_mailing_anyone_twice(scheduled, smtp):
    smtp.script = [Fault(), Fault(reply="451 4.3.0 Try again later")]  # ann gets it, ben is deferred
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert "451 4.3.0 Try again later" in publication.last_error
    assert "[delivered: ann@example.com, cy@example.com]" in publication.last_error
    first_ids = {m["To"]: m["Message-ID"] for m in smtp.messages}
    assert run_due(at=publication.due_at) == ["published"]
    assert sorted(m["To"] for m in smtp.messages) == sorted(READERS)  # each exactly once
    assert {m["To"]: m["Message-ID"] for m in smtp.messages}.items() >= first_ids.items()
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]


def test_it_keeps_the_message_id_of_a_recipient_across_attempts(scheduled, smtp):
    smtp.script = [Fault(reply="452 4.3.1 Insufficient system storage")] * 3
    assert run_due() == ["pending"]
    assert smtp.messages == []
    publication = Publication.objects.get(draft=scheduled)
    assert run_due(at=publication.due_at) == ["published"]
    adapter = adapter_for(publication.channel)
    post = services.post_for(publication)
    assert [m["Message-ID"] for m in smtp.messages] == [adapter._message(post, r)["Message-ID"] for r in READERS]


def test_it_fails_on_a_5xx_refused_recipient_but_still_mails_the_others(scheduled, smtp):
    smtp.refuse = {"ben@example.com": "550 5.1.1 No such user"}
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "ben@example.com was refused: 550 5.1.1 No such user" in publication.last_error
    assert "[delivered: ann@example.com, cy@example.com]" in publication.last_error
    assert sorted(m["To"] for m in smtp.messages) == ["ann@example.com", "cy@example.com"]
    scheduled.refresh_from_db()
    assert scheduled.state == "failed"


def test_it_treats_a_4xx_refused_recipient_as_temporary(scheduled, smtp):
    smtp.refuse = {"cy@example.com": "450 4.2.1 Mailbox busy"}
    assert run_due() == ["pending"]
    smtp.refuse = {}
    assert run_due(at=Publication.objects.get(draft=scheduled).due_at) == ["published"]
    assert sorted(m["To"] for m in smtp.messages) == sorted(READERS)


def test_it_does_not_resend_a_message_the_server_may_have_taken(scheduled, smtp, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    smtp.script = [Fault(delay=1.0)]  # ann's message is stored, the 250 comes too late
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "may have been delivered" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert [m["To"] for m in smtp.messages] == ["ann@example.com", "ben@example.com", "cy@example.com"]
    assert "[delivered: ben@example.com, cy@example.com]" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == []


def test_it_resends_only_the_unconfirmed_recipient_when_a_manager_retries(personas, scheduled, smtp, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    smtp.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    draft_transition(draft_id=scheduled.pk, name="retry", actor=personas.manager)
    assert run_due() == ["published"]
    assert sorted(m["To"] for m in smtp.messages) == sorted([*READERS, "ann@example.com"])
    ann = smtp.to("ann@example.com")
    assert ann[0]["Message-ID"] == ann[1]["Message-ID"]  # the same message: her mail client can recognise it


def test_it_retries_when_the_server_cannot_be_reached(personas, draft, smtp):
    newsletter(personas.board, smtp, port=1)  # nothing listens there
    advance(draft, "scheduled", personas)
    assert run_due() == ["pending"]
    assert "Could not reach the SMTP server" in Publication.objects.get(draft=draft).last_error


def test_it_refuses_to_schedule_without_recipients_or_with_a_bad_address(personas, draft, smtp):
    # channel_create refuses these now; channels stored before it did, or edited outside it, are still caught.
    for name, recipients in (("Empty", []), ("Typo", ["ann@example.com", "not-an-address"])):
        good = newsletter(personas.board, smtp, name=name)
        Channel.objects.filter(pk=good.pk).update(settings={**good.settings, "recipients": recipients})
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Empty: The e-mail channel has no recipients.",
        "Typo: 'not-an-address' is not an e-mail address.",
    ]


def test_it_tests_the_connection_with_the_login(personas, smtp):
    assert adapter_for(newsletter(personas.board, smtp)).test_connection() == (
        f"The SMTP server 127.0.0.1:{smtp.port} accepted the login of {USER}."
    )
    with pytest.raises(AdapterError) as refused:
        adapter_for(newsletter(personas.board, smtp, name="Bad", password="wrong")).test_connection()
    assert refused.value.permanent
    assert refused.value.status_code == 535
    assert smtp.messages == []


# --- Images -------------------------------------------------------------------------------------------------


def test_it_sends_images_inline_with_cid_references_and_alt_text(personas, draft, smtp):
    newsletter(personas.board, smtp)
    first = add_image(draft, alt_text='A "pink" square')
    second = add_image(draft, alt_text="A blue square", color=(0, 0, 200))
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    assert [m["To"] for m in smtp.messages] == READERS
    message = smtp.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Some markdown body."  # as without images
    html = message.get_body(("html",)).get_content()
    related = [part for part in message.walk() if part.get_content_maintype() == "image"]
    assert [part.get_content() for part in related] == [first.data, second.data]
    cids = [part["Content-ID"].strip("<>") for part in related]
    assert f'<img src="cid:{cids[0]}" alt="A &quot;pink&quot; square"' in html
    assert f'<img src="cid:{cids[1]}" alt="A blue square"' in html
    assert all(part.get_content_disposition() == "inline" for part in related)
    assert "<strong>markdown</strong>" in html
    # The same Content-IDs for every recipient and attempt.
    assert [p["Content-ID"] for p in smtp.messages[2].walk() if p.get_content_maintype() == "image"] == [
        f"<{cid}>" for cid in cids
    ]


def test_a_draft_without_images_has_a_text_and_an_html_part_and_nothing_inline(scheduled, smtp):
    assert run_due() == ["published"]
    message = smtp.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert [part for part in message.walk() if part.get_content_maintype() == "image"] == []


def test_a_temporary_refusal_with_images_is_retried_without_mailing_anyone_twice(personas, draft, smtp):
    newsletter(personas.board, smtp)
    add_image(draft)
    advance(draft, "scheduled", personas)
    smtp.script = [Fault(reply="451 4.3.0 Try again later")]
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=draft)
    assert run_due(at=publication.due_at) == ["published"]
    assert sorted(m["To"] for m in smtp.messages) == sorted(READERS)
    assert all(m.get_body(("html",)) is not None for m in smtp.messages)


def test_a_refused_login_with_images_fails_at_once(personas, draft, smtp):
    newsletter(personas.board, smtp, password="wrong")
    add_image(draft)
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    assert smtp.messages == []


def test_a_newsletter_cannot_be_checked_and_the_channel_needs_its_server_and_readers(personas):
    assert not adapter_for(Channel(kind="email")).can_fetch()
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="email", name="News", settings={}, credentials={}
        )
    assert refused.value.message_dict == {"settings": ["E-mail newsletter needs these settings: host, recipients."]}


def test_a_long_list_of_refused_recipients_does_not_hide_who_already_has_the_newsletter(personas, draft, smtp):
    busy = [f"reader{n:03}@example.com" for n in range(60)]
    newsletter(personas.board, smtp, recipients=["ann@example.com", *busy, "cy@example.com"])
    advance(draft, "scheduled", personas)
    smtp.refuse = {address: "450 4.2.1 Mailbox busy, try again later" for address in busy}
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=draft)
    assert len(publication.last_error) == 2000  # the log keeps the first 2,000 characters
    assert publication.last_error.startswith("[delivered: ann@example.com, cy@example.com] ")
    smtp.refuse = {}
    assert run_due(at=publication.due_at) == ["published"]
    assert sorted(m["To"] for m in smtp.messages) == sorted(["ann@example.com", *busy, "cy@example.com"])


def test_a_delivered_marker_cut_off_by_the_log_limit_still_counts_its_whole_addresses(personas, draft, smtp):
    channel = newsletter(personas.board, smtp)
    advance(draft, "scheduled", personas)
    publication = Publication.objects.get(draft=draft)
    PublicationAttempt.objects.create(
        publication=publication,
        number=1,
        outcome="transient",
        message="[delivered: ann@example.com, ben@exa",
        started_at=timezone.now(),
    )
    done = adapter_for(channel)._delivered_before(services.post_for(publication))
    assert done == {"ann@example.com"}
