"""Facebook page (Graph API): POST /{version}/{page-id}/feed with a Page access token.

Channel settings: {"page_id": "123", "version": "v21.0", "api": "https://graph.facebook.com"}.
Credentials: {"page_access_token"}. The token goes in the form body (or the Authorization header for reads),
never in a URL that could be logged.

Graph errors are classified by their `error.code`, not the HTTP status (rate limits often come as 400/403):
  190 (and 102) invalid/expired token: permanent, the page must be connected again;
  4, 17, 32, 613, 80001 (80000-80014, the business use case limits): temporary, waiting for
      `estimated_time_to_regain_access` (minutes) from the X-Business-Use-Case-Usage header when given;
  1, 2 and `is_transient`: temporary; 506 duplicate status: see below; anything else: permanent.

No idempotency key: the adapter does not deduplicate (a timed-out post is not resent automatically). A 506
duplicate on a publication's first attempt is a permanent failure (the text is someone else's post); on a
later attempt it is taken to be our own earlier request that went through, so the publication counts as
published and the post is looked up in the page's feed to record its id.

Images: one path for one image or many. Each image is first uploaded as an unpublished photo,
`POST /{page-id}/photos` (multipart `source`, `published=false`, the alt text as `alt_text_custom`,
*unverified* at upload time), re-encoded to fit Facebook's 4 MB per photo; then the post is made on
`/{page-id}/feed` with `message` and `attached_media[i]={"media_fbid": id}`. (A single image could go
straight to /photos with a `caption`, but that makes a different kind of post, with its own id and error
paths; one path keeps a post with one image like a post with three.) Uploads come before the post, so a
failed or timed-out upload never leaves a post: it is retried like any temporary error (a refused token,
code 190, is permanent), and the unpublished photos of an attempt that did not post stay invisible. The
channel's `link` setting is sent only with posts without images (Facebook shows either a link card or
photos).

Read-back (`fetch`): `GET /{post-id}?fields=permalink_url,is_published` with the page token. 200 is live
with its `permalink_url` (a post made unpublished on the page, `is_published: false`, is not); error code 100
with subcode 33 ("object does not exist, cannot be loaded due to missing permissions") or a 404 means the post
is gone (deleted, or removed by Facebook). Other errors are classified as for a post (190 permanent, rate
limits temporary).
"""

import json

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    is_resend,
    send,
)
from publishing.adapters.images import fit_image, uploading_media

PLATFORM = "Facebook"
DEFAULT_VERSION = "v21.0"
MAX_CHARACTERS = 63206
MAX_PHOTO_BYTES = 4 * 1024 * 1024
AUTH_CODES = {102, 190}
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80000, 80015)}
TRANSIENT_CODES = {1, 2}
DUPLICATE_CODE = 506
MISSING_OBJECT = (100, 33)  # code 100, subcode 33: the object does not exist (or cannot be loaded)


def business_use_case_wait(headers) -> float | None:
    """Seconds until access is regained, from X-Business-Use-Case-Usage (minutes per business object)."""
    raw = headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in (usage.values() if isinstance(usage, dict) else [])
        for entry in (entries if isinstance(entries, list) else [entries])
        if isinstance(entry, dict)
    ]
    return max(minutes) * 60 if minutes else None


def _answer(response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def graph_error(response) -> AdapterError:
    error = _answer(response).get("error") or {}
    code = error.get("code")
    detail = error.get("message") or response.text[:300].strip()
    message = f"{PLATFORM} answered {response.status_code}" + (f" (code {code})" if code is not None else "")
    message += f": {detail}" if detail else ""
    if code in AUTH_CODES:
        message += " The page token is no longer valid: connect the page again."
        return AdapterError(message, permanent=True, status_code=response.status_code)
    if code in RATE_LIMIT_CODES or response.status_code == 429:
        wait = business_use_case_wait(response.headers)
        return AdapterError(message, retry_after=wait, status_code=response.status_code)
    transient = code in TRANSIENT_CODES or bool(error.get("is_transient")) or response.status_code >= 500
    return AdapterError(message, permanent=not transient, status_code=response.status_code)


class FacebookAdapter(Adapter):
    kind = "facebook"
    deduplicates = False
    settings_fields = (
        ConfigField(
            "page_id",
            "The page's numeric id, e.g. 1029384756 (the page's About > Page transparency, or GET /me/accounts).",
            required=True,
        ),
        ConfigField("version", f"Graph API version, e.g. {DEFAULT_VERSION} (the default)."),
        ConfigField("link", "A link attached to posts without images, e.g. https://example.com/launch.", type="link"),
        ConfigField(
            "api",
            "The Graph API address; only for testing (default https://graph.facebook.com).",
            type="url",
            locates=True,
        ),
    )
    credential_fields = (
        ConfigField(
            "page_access_token",
            "A Page access token with pages_manage_posts and pages_read_engagement (from GET /me/accounts "
            "with a long-lived user token; it then does not expire).",
            required=True,
        ),
    )

    @property
    def base(self) -> str:
        api = self.channel.settings.get("api", "https://graph.facebook.com").rstrip("/")
        return f"{api}/{self.channel.settings.get('version', DEFAULT_VERSION)}"

    @property
    def page_id(self) -> str:
        return str(self.channel.settings.get("page_id", ""))

    def _token(self) -> str:
        token = self.channel.credentials.get("page_access_token", "")
        if not token:
            raise AdapterError("The Facebook channel has no page access token.", permanent=True)
        return token

    def _get(self, path: str, **params):
        response = send(
            "GET",
            f"{self.base}/{path}",
            platform=PLATFORM,
            params=params,
            headers={"Authorization": f"OAuth {self._token()}"},
        )
        if response.status_code >= 400:
            raise graph_error(response)
        return _answer(response)

    def text_limit(self) -> int:
        return MAX_CHARACTERS

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.page_id:
            problems.append("The Facebook channel has no page id.")
        if not self.channel.credentials.get("page_access_token"):
            problems.append("The Facebook channel has no page access token.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        if self.text_length(post) > MAX_CHARACTERS:
            problems.append(f"Facebook posts are at most {MAX_CHARACTERS} characters; this one has {len(post.text)}.")
        return problems

    def _result(self, post_id: str) -> PublishResult:
        return PublishResult(post_id=post_id, url=f"https://www.facebook.com/{post_id}" if post_id else "")

    def _upload(self, image) -> str:
        """One unpublished photo on the page, for a post to attach: its id."""
        upload = fit_image(image, max_bytes=MAX_PHOTO_BYTES, platform=PLATFORM)
        data = {"published": "false", "access_token": self._token()}
        if upload.alt_text:
            data["alt_text_custom"] = upload.alt_text
        response = send(
            "POST",
            f"{self.base}/{self.page_id}/photos",
            platform=PLATFORM,
            data=data,
            files={"source": (upload.filename, upload.data, upload.content_type)},
        )
        if response.status_code >= 400:
            raise graph_error(response)
        photo_id = str(_answer(response).get("id", ""))
        if not photo_id:
            raise AdapterError(f"Facebook answered {response.status_code} to a photo upload without its id.")
        return photo_id

    def _upload_images(self, post: Post) -> list[str]:
        with uploading_media(PLATFORM):
            return [self._upload(image) for image in post.images]

    def publish(self, post: Post) -> PublishResult:
        photo_ids = self._upload_images(post)  # before the post: a failed upload leaves no post behind
        data = {"message": post.text, "access_token": self._token()}
        for number, photo_id in enumerate(photo_ids):
            data[f"attached_media[{number}]"] = json.dumps({"media_fbid": photo_id})
        if self.channel.settings.get("link") and not photo_ids:
            data["link"] = self.channel.settings["link"]
        response = send("POST", f"{self.base}/{self.page_id}/feed", platform=PLATFORM, data=data)
        if response.status_code < 400:
            post_id = str(_answer(response).get("id", ""))
            if not post_id:
                raise AdapterError(f"Facebook answered {response.status_code} without a post id.", ambiguous=True)
            return self._result(post_id)
        error = graph_error(response)
        if (_answer(response).get("error") or {}).get("code") == DUPLICATE_CODE and is_resend(post):
            try:
                feed = self._get(f"{self.page_id}/feed", fields="id,message", limit=25).get("data", [])
            except AdapterError:
                feed = []
            mine = [entry for entry in feed if entry.get("message") == post.text]
            return self._result(str(mine[0].get("id", "")) if mine else "")
        raise error

    def fetch(self, post_id: str) -> PostStatus:
        response = send(
            "GET",
            f"{self.base}/{post_id}",
            platform=PLATFORM,
            params={"fields": "permalink_url,is_published"},
            headers={"Authorization": f"OAuth {self._token()}"},
        )
        error = _answer(response).get("error") or {}
        if response.status_code == 404 or (error.get("code"), error.get("error_subcode")) == MISSING_OBJECT:
            return PostStatus(live=False, detail="Deleted from the Facebook page (or removed by Facebook).")
        if response.status_code >= 400:
            raise graph_error(response)
        answer = _answer(response)
        url = str(answer.get("permalink_url", ""))
        if answer.get("is_published") is False:
            return PostStatus(live=False, url=url, detail="Unpublished on the Facebook page.")
        return PostStatus(live=True, url=url, detail="Live on Facebook.")

    def test_connection(self) -> str:
        page = self._get(self.page_id, fields="id,name")
        return f"Facebook accepted the token for the page {page.get('name', self.page_id)!r}."
