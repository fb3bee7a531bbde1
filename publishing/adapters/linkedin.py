"""LinkedIn Posts API: POST /rest/posts as a member or an organization.

Channel settings: {"author": "urn:li:organization:123" or "urn:li:person:abc", "version": "YYYYMM"
(LinkedIn-Version, default below), "api": "https://api.linkedin.com"}. Credentials: {"access_token"}.
A refused token (401) is permanent: LinkedIn tokens are renewed by signing in again.

Success is 201 with an empty body and the post's URN in the `x-restli-id` header. `commentary` is "little
text": the reserved characters are escaped with a backslash so the text shows as written.

Duplicates: LinkedIn refuses a commentary it has just seen with 422 DUPLICATE_POST. There is no idempotency
key, so the adapter does not deduplicate (a timed-out post is not resent automatically). The choice made:
  * on a publication's first attempt, DUPLICATE_POST is a permanent failure: the earlier post is someone
    else's (another publication or a hand-made post), and claiming it as ours would be wrong;
  * on a later attempt (an earlier one was made, e.g. a 5xx after LinkedIn had stored the post, or a manual
    retry after a timeout), the duplicate is most likely our own earlier request: the publication counts as
    published, and the adapter looks the post up among the author's latest posts to record its URN.
"""

import re
from urllib.parse import quote

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, is_resend, send

PLATFORM = "LinkedIn"
MAX_CHARACTERS = 3000
DEFAULT_VERSION = "202511"
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def escape_little_text(text: str) -> str:
    return RESERVED.sub(r"\\\1", text)


def _answer(response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _input_error_codes(answer: dict) -> list[str]:
    details = answer.get("errorDetails") or {}
    return [str(e.get("code", "")) for e in details.get("inputErrors", []) if isinstance(e, dict)]


def _error(response) -> AdapterError:
    answer = _answer(response)
    detail = answer.get("message") or response.text[:300].strip()
    code = answer.get("code") or ", ".join(_input_error_codes(answer))
    text = " ".join(part for part in (f"{code}:" if code else "", detail) if part)
    message = f"{PLATFORM} answered {response.status_code}" + (f": {text}" if text else "")
    transient = response.status_code == 429 or response.status_code >= 500
    retry_after = None
    if response.headers.get("Retry-After", "").isdigit():
        retry_after = float(response.headers["Retry-After"])
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class LinkedInAdapter(Adapter):
    kind = "linkedin"
    deduplicates = False

    @property
    def api(self) -> str:
        return self.channel.settings.get("api", "https://api.linkedin.com").rstrip("/")

    @property
    def author(self) -> str:
        return self.channel.settings.get("author", "")

    def _headers(self) -> dict:
        token = self.channel.credentials.get("access_token", "")
        if not token:
            raise AdapterError("The LinkedIn channel has no access token.", permanent=True)
        return {
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": str(self.channel.settings.get("version", DEFAULT_VERSION)),
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.author.startswith(("urn:li:person:", "urn:li:organization:")):
            problems.append("The LinkedIn channel has no author URN (urn:li:person:… or urn:li:organization:…).")
        if not self.channel.credentials.get("access_token"):
            problems.append("The LinkedIn channel has no access token.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        if len(post.text) > MAX_CHARACTERS:
            problems.append(f"LinkedIn posts are at most {MAX_CHARACTERS} characters; this one has {len(post.text)}.")
        return problems

    def _result(self, urn: str) -> PublishResult:
        return PublishResult(post_id=urn, url=f"https://www.linkedin.com/feed/update/{urn}" if urn else "")

    def _recent_posts(self, count: int = 20) -> list[dict]:
        response = send(
            "GET",
            f"{self.api}/rest/posts?q=author&author={quote(self.author, safe='')}&count={count}&sortBy=LAST_MODIFIED",
            platform=PLATFORM,
            headers={**self._headers(), "X-RestLi-Method": "FINDER"},
        )
        if response.status_code >= 400:
            raise _error(response)
        return [e for e in _answer(response).get("elements", []) if isinstance(e, dict)]

    def publish(self, post: Post) -> PublishResult:
        commentary = escape_little_text(post.text)
        body = {
            "author": self.author,
            "commentary": commentary,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        response = send("POST", f"{self.api}/rest/posts", platform=PLATFORM, headers=self._headers(), json=body)
        if response.status_code in (200, 201):
            urn = response.headers.get("x-restli-id", "")
            if not urn:
                raise AdapterError("LinkedIn answered 201 without an x-restli-id.", ambiguous=True)
            return self._result(urn)
        if response.status_code == 422 and "DUPLICATE_POST" in _input_error_codes(_answer(response)):
            if not is_resend(post):
                raise AdapterError(
                    "LinkedIn refused the post as a duplicate (DUPLICATE_POST): the same text was posted recently.",
                    permanent=True,
                    status_code=422,
                )
            try:
                mine = [e for e in self._recent_posts() if e.get("commentary") == commentary]
            except AdapterError:
                mine = []
            return self._result(str(mine[0].get("id", "")) if mine else "")
        raise _error(response)

    def test_connection(self) -> str:
        self._recent_posts(count=1)
        return f"LinkedIn accepted the token and can read the posts of {self.author}."
