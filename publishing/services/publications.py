"""Acting on one publication from the log: retry it, or read the post back from its platform."""

from django.utils import timezone

from cocreate.errors import Conflict
from drafts.models import DraftEvent
from drafts.services import draft_transition
from publishing.adapters import AdapterError, NoAdapter
from publishing.links import http_url
from publishing.models import Publication, PublicationState
from publishing.services.credentials import adapter_for


def publication_retry(*, publication_id: int, actor) -> DraftEvent:
    """The log's retry button: the draft's failed -> scheduled transition (permission-checked and audited
    there), which sends only the failed channels again, now."""
    from publishing.selectors import publication_get_for_user

    publication = publication_get_for_user(actor, publication_id)
    if publication.state != PublicationState.FAILED:
        raise Conflict(f"Only a failed publication can be retried; this one is {publication.get_state_display()}.")
    return draft_transition(draft_id=publication.draft_id, name="retry", actor=actor)


def publication_check(*, publication_id: int, actor) -> Publication:
    """Read a published post back from its platform: is it still there, and where? Managers only (it uses
    the channel's credentials). The answer is stored on the publication; a platform that cannot be reached
    changes nothing and says so (409)."""
    from publishing.selectors import publication_get_for_user, require_manager

    publication = publication_get_for_user(actor, publication_id)
    require_manager(actor, publication.draft.board)
    if publication.state != PublicationState.PUBLISHED or not publication.platform_post_id:
        raise Conflict("Only a published post can be checked on its platform.")
    try:
        adapter = adapter_for(publication.channel)
    except NoAdapter as problem:
        raise Conflict(str(problem)) from None
    if not adapter.can_fetch():
        raise Conflict(f"{publication.channel.get_kind_display()} does not let us read a post back.")
    try:
        status = adapter.fetch(publication.platform_post_id)
    except AdapterError as problem:
        raise Conflict(f"Could not check the post: {problem.message}") from None
    publication.checked_at = timezone.now()
    publication.live = status.live
    publication.check_detail = (status.detail or ("The post is live." if status.live else "The post is gone."))[:300]
    fields = ["checked_at", "live", "check_detail", "updated_at"]
    if http_url(status.url) and status.url != publication.platform_url:
        publication.platform_url = http_url(status.url)
        fields.append("platform_url")
    publication.save(update_fields=fields)
    return publication
