"""Pinterest (API v5): one pin per publication, `POST {url}/v5/pins` with a Bearer token (scopes `pins:write`,
`boards:read`, `pins:read`).

Channel settings: {"board_id": "...", "link": "https://..." (optional: where the pin leads), "url":
"https://api.pinterest.com" (the default)}. Credentials: {"token": "..."}.

A pin needs an image: the draft's first image goes as `media_source` `image_base64` (re-encoded when it is
over 10 MB, which keeps the JSON body a sane size; Pinterest itself takes bigger images), with its alt text
as `alt_text`. The draft's title is the pin's `title` (at most 100 characters), the post text its
`description` (800), the channel's link its `link` (2048). Further images are not sent (a pin is one image).

Pinterest has no idempotency key: a repeated request makes a second pin. So every pin carries a marker in its
private `note` ("cocreate:<the publication's idempotency key>", not shown to the public), and before any
resend (an earlier attempt exists: a timeout, a 5xx, a worker lost mid-send) the adapter lists the board's
pins (`GET /v5/boards/{board_id}/pins`, a bounded number of pages) and, when a pin carries the marker, takes
it as the published one. When the board has more pins than the adapter pages through, whether the earlier
attempt posted cannot be told: the attempt fails for a person to check the board, never resent blindly.
With that lookup a resend cannot double-post, so the adapter counts as deduplicating.

Checking a post (fetch): `GET /v5/pins/{pin_id}` answers 200 with the pin while it exists, 404 once it is
deleted.

Errors are `{"code", "message"}`: 400/401/403/404 permanent, 429 and 5xx temporary (the wait from
`Retry-After`, or the rate-limit reset header, when given).
"""

import base64
from urllib.parse import quote

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    is_resend,
    rate_limit_reset_seconds,
    send,
)
from publishing.adapters.images import fit_image

PLATFORM = "Pinterest"
DEFAULT_URL = "https://api.pinterest.com"
MAX_TITLE = 100
MAX_DESCRIPTION = 800
MAX_LINK = 2048
MAX_ALT_TEXT = 500
MAX_IMAGE_BYTES = 10 * 1024 * 1024
LOOKUP_PAGE_SIZE = 100
LOOKUP_PAGES = 10  # at most this many pages of the board are searched for an earlier attempt's pin


def marker_for(idempotency_key: str) -> str:
    """What the pin's private note carries, so a resend can find the pin an earlier attempt made."""
    return f"cocreate:{idempotency_key}"


def _answer(response):
    try:
        return response.json()
    except ValueError:
        return {}


def _error(response) -> AdapterError:
    answer = _answer(response)
    answer = answer if isinstance(answer, dict) else {}
    detail = str(answer.get("message") or "") or response.text[:300].strip()
    if answer.get("code") is not None:
        detail += f" (code {answer['code']})"
    message = f"{PLATFORM} answered {response.status_code}" + (f": {detail}" if detail else "")
    transient = response.status_code == 429 or response.status_code >= 500
    retry_after = None
    if response.headers.get("Retry-After", "").strip().isdigit():
        retry_after = float(response.headers["Retry-After"])
    elif response.status_code == 429:
        retry_after = rate_limit_reset_seconds(response.headers)
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class PinterestAdapter(Adapter):
    kind = "pinterest"
    deduplicates = True  # by the marker lookup before every resend

    settings_fields = (
        ConfigField(
            "board_id",
            "The id of the board the pins go to, e.g. 549755885175: GET /v5/boards lists yours.",
            required=True,
        ),
        ConfigField("link", "Where each pin leads, e.g. https://example.com/spring (optional).", type="link"),
        ConfigField("url", "The API's address: https://api.pinterest.com (the default).", type="url", locates=True),
    )
    credential_fields = (
        ConfigField(
            "token",
            "An access token with the scopes pins:read, pins:write and boards:read, from your app at "
            "developers.pinterest.com (OAuth, or the app's generated token).",
            required=True,
        ),
    )

    @property
    def api(self) -> str:
        return str(self.channel.settings.get("url") or DEFAULT_URL).rstrip("/")

    @property
    def board_id(self) -> str:
        return str(self.channel.settings.get("board_id") or "").strip()

    @property
    def link(self) -> str:
        return str(self.channel.settings.get("link") or "").strip()

    def _request(self, method: str, path: str, *, allow: tuple[int, ...] = (), **kwargs):
        token = self.channel.credentials.get("token", "")
        if not token:
            raise AdapterError("The Pinterest channel has no access token.", permanent=True)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        response = send(method, f"{self.api}{path}", platform=PLATFORM, headers=headers, **kwargs)
        if response.status_code >= 400 and response.status_code not in allow:
            raise _error(response)
        return response

    def text_limit(self) -> int:
        return MAX_DESCRIPTION  # the pin's description; its title is the draft's title

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.board_id:
            problems.append("The Pinterest channel has no board id.")
        if not self.channel.credentials.get("token"):
            problems.append("The Pinterest channel has no access token.")
        if self.link and (not self.link.startswith(("https://", "http://")) or len(self.link) > MAX_LINK):
            problems.append(f"The Pinterest channel's link must be an http(s) URL of at most {MAX_LINK} characters.")
        if not post.images:
            problems.append("Pinterest pins need an image: add one to the draft.")
        if len(post.title) > MAX_TITLE:
            problems.append(f"Pinterest pin titles are at most {MAX_TITLE} characters; this one has {len(post.title)}.")
        if self.text_length(post) > MAX_DESCRIPTION:
            problems.append(
                f"Pinterest pin descriptions are at most {MAX_DESCRIPTION} characters; this one has {len(post.text)}."
            )
        if post.images and len(post.images[0].alt_text) > MAX_ALT_TEXT:
            problems.append(
                f"The alt text of the pin's image is {len(post.images[0].alt_text)} characters; "
                f"Pinterest allows at most {MAX_ALT_TEXT}."
            )
        return problems

    def _result(self, pin: dict) -> PublishResult:
        pin_id = str(pin.get("id", ""))
        return PublishResult(post_id=pin_id, url=f"https://www.pinterest.com/pin/{pin_id}/")

    def _find(self, marker: str) -> dict | None:
        """The board's pin carrying the marker, None when the whole board was searched and none does."""
        bookmark = None
        for _ in range(LOOKUP_PAGES):
            params = {"page_size": LOOKUP_PAGE_SIZE}
            if bookmark:
                params["bookmark"] = bookmark
            page = _answer(self._request("GET", f"/v5/boards/{self.board_id}/pins", params=params))
            page = page if isinstance(page, dict) else {}
            for pin in page.get("items") or []:
                if isinstance(pin, dict) and pin.get("note") == marker:
                    return pin
            bookmark = page.get("bookmark")
            if not bookmark:
                return None
        raise AdapterError(
            f"An earlier attempt may have made this pin, and the board has more than "
            f"{LOOKUP_PAGES * LOOKUP_PAGE_SIZE} pins to search: check the board on Pinterest, then retry.",
            permanent=True,
        )

    def publish(self, post: Post) -> PublishResult:
        if not post.images:
            raise AdapterError("Pinterest pins need an image: add one to the draft.", permanent=True)
        marker = marker_for(post.idempotency_key)
        if is_resend(post):
            existing = self._find(marker)
            if existing:
                return self._result(existing)
        upload = fit_image(post.images[0], max_bytes=MAX_IMAGE_BYTES, platform=PLATFORM)
        body = {
            "board_id": self.board_id,
            "title": post.title,
            "description": post.text,
            "note": marker,
            "media_source": {
                "source_type": "image_base64",
                "content_type": upload.content_type,
                "data": base64.b64encode(upload.data).decode("ascii"),
            },
        }
        if self.link:
            body["link"] = self.link
        if upload.alt_text:
            body["alt_text"] = upload.alt_text
        response = self._request("POST", "/v5/pins", json=body)
        pin = _answer(response)
        if not isinstance(pin, dict) or not pin.get("id"):
            raise AdapterError(f"Pinterest answered {response.status_code} without a pin id.", ambiguous=True)
        return self._result(pin)

    def fetch(self, post_id: str) -> PostStatus:
        response = self._request("GET", f"/v5/pins/{quote(str(post_id), safe='')}", allow=(404,))
        if response.status_code == 404:
            return PostStatus(live=False, detail="Deleted on Pinterest.")
        pin = _answer(response)
        if not isinstance(pin, dict) or not pin.get("id"):
            raise AdapterError(f"Pinterest answered {response.status_code} without a pin.")
        return PostStatus(live=True, url=self._result(pin).url, detail="Live on Pinterest.")

    def test_connection(self) -> str:
        account = _answer(self._request("GET", "/v5/user_account"))
        username = account.get("username", "") if isinstance(account, dict) else ""
        board = _answer(self._request("GET", f"/v5/boards/{self.board_id}")) if self.board_id else {}
        name = board.get("name", "") if isinstance(board, dict) else ""
        where = f" and can see the board {name!r}" if name else ""
        return f"Pinterest accepted the token of {username or 'the account'}{where}."
