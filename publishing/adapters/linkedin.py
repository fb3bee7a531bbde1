"""LinkedIn Posts API: POST /rest/posts as a member or an organization.

Channel settings: {"author": "urn:li:organization:123" or "urn:li:person:abc", "version": "YYYYMM"
(LinkedIn-Version, default below), "api": "https://api.linkedin.com", "token_url":
"https://www.linkedin.com/oauth/v2/accessToken" (the default)}. Credentials: {"access_token",
"refresh_token", "client_id", "client_secret", "access_token_expires_at" (Unix seconds)}; only the access
token is required.

Tokens: LinkedIn access tokens live 60 days, refresh tokens a year (for apps LinkedIn lets refresh). The
adapter renews the access token the way the X adapter does: when the stored expiry has passed, or on a 401
(INVALID_ACCESS_TOKEN), it refreshes once (`grant_type=refresh_token` with the client id and secret), stores
the new access token, its expiry and the refresh token encrypted on the channel, and retries the call once;
a token another worker renewed meanwhile is used instead. A refresh that LinkedIn refuses (400/401) is
permanent ("LinkedIn refused the refresh token: connect the channel again"); a token endpoint that is down,
slow or rate limited is temporary and leaves the stored credentials as they were. Without a refresh token
a 401 is permanent, as before. LinkedIn does not rotate refresh tokens, so two workers refreshing at once
both get a working token.

Success is 201 with an empty body and the post's URN in the `x-restli-id` header. `commentary` is "little
text": the reserved characters are escaped with a backslash so the text shows as written.

Images (Images API): for each image, `POST /rest/images?action=initializeUpload` {"initializeUploadRequest":
{"owner": author}} answers an `uploadUrl` and the image URN; the bytes are PUT to the uploadUrl (with the
Bearer token). Then the post carries `content: {"media": {"id", "altText"}}` for one image, or
`content: {"multiImage": {"images": [{"id", "altText"}, ...]}}` for 2 to 20. Alt text is at most 4,086
characters; an image over LinkedIn's pixel limit (36,152,320) or over `max_image_bytes` (setting, default
10 MB) is re-encoded. Uploads come before the post: a failed or timed-out upload leaves no post and is
retried like any temporary error; an image no post refers to is never shown.

Duplicates: LinkedIn refuses a commentary it has just seen with 422 DUPLICATE_POST. There is no idempotency
key, so the adapter does not deduplicate (a timed-out post is not resent automatically). The choice made:
  * on a publication's first attempt, DUPLICATE_POST is a permanent failure: the earlier post is someone
    else's (another publication or a hand-made post), and claiming it as ours would be wrong;
  * on a later attempt (an earlier one was made, e.g. a 5xx after LinkedIn had stored the post, or a manual
    retry after a timeout), the duplicate is most likely our own earlier request: the publication counts as
    published, and the adapter looks the post up among the author's latest posts to record its URN.

Read-back (`fetch`): `GET /rest/posts/{url-encoded URN}` with the version headers, through the same token
refresh as every other call. 200 is live (a post LinkedIn answers with another `lifecycleState` than
PUBLISHED is not); 404 means the post was deleted. Other errors raise as usual (401 after a failed refresh,
429 and 5xx temporary).
"""

import math
import re
import time
from urllib.parse import quote

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
from publishing.adapters.images import alt_text_problems, fit_image, image_count_problems, uploading_media

PLATFORM = "LinkedIn"
MAX_CHARACTERS = 3000
DEFAULT_VERSION = "202511"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
MAX_IMAGES = 20
MAX_ALT_TEXT = 4086
MAX_PIXELS = 36_152_320
DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024
EXPIRY_MARGIN_SECONDS = 60  # refresh a token this close to its expiry rather than have it refused mid-call
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
    if response.status_code == 401:
        message += " (the access token is no longer valid: connect the channel again)"
    transient = response.status_code == 429 or response.status_code >= 500
    retry_after = None
    if response.headers.get("Retry-After", "").isdigit():
        retry_after = float(response.headers["Retry-After"])
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class LinkedInAdapter(Adapter):
    kind = "linkedin"
    deduplicates = False
    settings_fields = (
        ConfigField(
            "author",
            "Who posts: urn:li:organization:<id> for a page (the number in its admin URL) or urn:li:person:<id>.",
            required=True,
        ),
        ConfigField("version", f"LinkedIn-Version header, YYYYMM, e.g. {DEFAULT_VERSION} (the default)."),
        ConfigField("max_image_bytes", "Re-encode larger images, e.g. 5000000 (default 10 MB).", type="integer"),
        ConfigField(
            "api", "The API address; only for testing (default https://api.linkedin.com).", type="url", locates=True
        ),
        ConfigField(
            "token_url", f"The OAuth token endpoint; only for testing (default {TOKEN_URL}).", type="url", locates=True
        ),
    )
    credential_fields = (
        ConfigField(
            "access_token",
            "An OAuth access token with w_organization_social (or w_member_social) from your LinkedIn app.",
            required=True,
        ),
        ConfigField("refresh_token", "The refresh token LinkedIn gave with it: renews the access token (60 days)."),
        ConfigField("client_id", "Your LinkedIn app's client id (app > Auth), needed to refresh."),
        ConfigField("client_secret", "Your LinkedIn app's client secret (app > Auth), needed to refresh."),
        ConfigField(
            "access_token_expires_at", "When the access token expires, Unix seconds (kept up to date).", type="number"
        ),
    )

    @property
    def api(self) -> str:
        return self.channel.settings.get("api", "https://api.linkedin.com").rstrip("/")

    @property
    def author(self) -> str:
        return self.channel.settings.get("author", "")

    @property
    def token_url(self) -> str:
        return self.channel.settings.get("token_url") or TOKEN_URL

    def _headers(self, token: str, *, versioned: bool = True) -> dict:
        headers = {"Authorization": f"Bearer {token}"}
        if versioned:
            headers["LinkedIn-Version"] = str(self.channel.settings.get("version", DEFAULT_VERSION))
            headers["X-Restli-Protocol-Version"] = "2.0.0"
        return headers

    def text_limit(self) -> int:
        return MAX_CHARACTERS

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.author.startswith(("urn:li:person:", "urn:li:organization:")):
            problems.append("The LinkedIn channel has no author URN (urn:li:person:… or urn:li:organization:…).")
        if not self.channel.credentials.get("access_token"):
            problems.append("The LinkedIn channel has no access token.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        if self.text_length(post) > MAX_CHARACTERS:
            problems.append(f"LinkedIn posts are at most {MAX_CHARACTERS} characters; this one has {len(post.text)}.")
        problems += image_count_problems(post, maximum=MAX_IMAGES, platform=PLATFORM)
        problems += alt_text_problems(post, limit=MAX_ALT_TEXT, platform=PLATFORM)
        return problems

    # --- Tokens -------------------------------------------------------------------------------------------

    @staticmethod
    def _can_refresh(credentials: dict) -> bool:
        return all(credentials.get(key) for key in ("refresh_token", "client_id", "client_secret"))

    @staticmethod
    def _expired(credentials: dict) -> bool:
        try:
            expires_at = float(credentials.get("access_token_expires_at") or 0)
        except (TypeError, ValueError):
            return False
        return bool(expires_at) and expires_at <= time.time() + EXPIRY_MARGIN_SECONDS

    def _access_token(self) -> str:
        credentials = self.channel.credentials
        token = credentials.get("access_token", "")
        if not token:
            raise AdapterError("The LinkedIn channel has no access token.", permanent=True)
        if self._expired(credentials) and self._can_refresh(credentials):
            token = self._refresh(token)
        return token

    def _refresh(self, stale_token: str) -> str:
        """A new access token for one that LinkedIn refused or that has expired, stored on the channel."""
        # Another worker may have refreshed already: use its token rather than refreshing again.
        credentials = self.stored_credentials()
        current = credentials.get("access_token", "")
        if current and current != stale_token and not self._expired(credentials):
            return current
        if not self._can_refresh(credentials):
            raise AdapterError(
                "LinkedIn refused the access token and the channel has no refresh token: connect the channel again.",
                permanent=True,
                status_code=401,
            )
        try:
            response = send(
                "POST",
                self.token_url,
                platform=f"{PLATFORM}'s token endpoint",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": credentials["refresh_token"],
                    "client_id": credentials["client_id"],
                    "client_secret": credentials["client_secret"],
                },
            )
        except AdapterError as error:
            # Nothing was posted: a lost refresh answer is a temporary error, never an ambiguous one.
            raise AdapterError(f"{error.message} (while refreshing the access token)") from error
        answer = _answer(response)
        if response.status_code in (400, 401):
            detail = answer.get("error_description") or answer.get("error") or response.text[:200].strip()
            raise AdapterError(
                f"LinkedIn refused the refresh token ({response.status_code}: {detail}): connect the channel again.",
                permanent=True,
                status_code=response.status_code,
            )
        if response.status_code >= 400:
            refusal = _error(response)
            refusal.message = refusal.message.replace(PLATFORM, f"{PLATFORM}'s token endpoint", 1)
            refusal.args = (refusal.message,)
            raise refusal
        if not answer.get("access_token"):
            raise AdapterError(f"{PLATFORM}'s token endpoint answered {response.status_code} without an access token.")
        now = time.time()
        changes = {"access_token": answer["access_token"]}
        if answer.get("expires_in"):
            changes["access_token_expires_at"] = int(now + float(answer["expires_in"]))
        if answer.get("refresh_token"):
            changes["refresh_token"] = answer["refresh_token"]
        if answer.get("refresh_token_expires_in"):
            changes["refresh_token_expires_at"] = int(now + float(answer["refresh_token_expires_in"]))
        self.keep_credentials(based_on=credentials, changes=changes)
        return answer["access_token"]

    def _authed(self, method: str, url: str, *, versioned: bool = True, headers: dict | None = None, **kwargs):
        """One call with the access token; on a 401 the token is refreshed once (where it can be) and the call
        made again. Hands back the answer, errors too: callers read LinkedIn's error bodies."""
        token = self._access_token()
        response = send(
            method,
            url,
            platform=PLATFORM,
            headers={**self._headers(token, versioned=versioned), **(headers or {})},
            **kwargs,
        )
        if response.status_code == 401 and self._can_refresh(self.channel.credentials):
            token = self._refresh(token)
            response = send(
                method,
                url,
                platform=PLATFORM,
                headers={**self._headers(token, versioned=versioned), **(headers or {})},
                **kwargs,
            )
        return response

    # --- Images -------------------------------------------------------------------------------------------

    def _upload(self, image) -> str:
        """Initialize an upload, PUT the bytes; the image's URN."""
        max_side = None
        if image.width * image.height > MAX_PIXELS:
            max_side = math.floor(max(image.width, image.height) * math.sqrt(MAX_PIXELS / (image.width * image.height)))
        limit = int(self.channel.settings.get("max_image_bytes") or DEFAULT_MAX_IMAGE_BYTES)
        upload = fit_image(image, max_bytes=limit, max_side=max_side, platform=PLATFORM)
        response = self._authed(
            "POST",
            f"{self.api}/rest/images?action=initializeUpload",
            json={"initializeUploadRequest": {"owner": self.author}},
        )
        if response.status_code >= 400:
            raise _error(response)
        value = _answer(response).get("value") or {}
        if not value.get("uploadUrl") or not value.get("image"):
            raise AdapterError(f"LinkedIn answered {response.status_code} to initializeUpload without an upload URL.")
        put = self._authed(
            "PUT",
            value["uploadUrl"],
            versioned=False,
            content=upload.data,
            headers={"Content-Type": "application/octet-stream"},
        )
        if put.status_code >= 400:
            raise _error(put)
        return str(value["image"])

    def _content(self, post: Post) -> dict | None:
        with uploading_media(PLATFORM):
            urns = [self._upload(image) for image in post.images]
        entries = []
        for urn, image in zip(urns, post.images, strict=True):
            entry = {"id": urn}
            if image.alt_text:
                entry["altText"] = image.alt_text
            entries.append(entry)
        if not entries:
            return None
        if len(entries) == 1:
            return {"media": entries[0]}
        return {"multiImage": {"images": entries}}

    def _result(self, urn: str) -> PublishResult:
        return PublishResult(post_id=urn, url=f"https://www.linkedin.com/feed/update/{urn}" if urn else "")

    def _recent_posts(self, count: int = 20) -> list[dict]:
        response = self._authed(
            "GET",
            f"{self.api}/rest/posts?q=author&author={quote(self.author, safe='')}&count={count}&sortBy=LAST_MODIFIED",
            headers={"X-RestLi-Method": "FINDER"},
        )
        if response.status_code >= 400:
            raise _error(response)
        return [e for e in _answer(response).get("elements", []) if isinstance(e, dict)]

    def publish(self, post: Post) -> PublishResult:
        content = self._content(post)  # uploads first: a failed upload leaves no post behind
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
        if content:
            body["content"] = content
        response = self._authed("POST", f"{self.api}/rest/posts", json=body)
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

    def fetch(self, post_id: str) -> PostStatus:
        response = self._authed("GET", f"{self.api}/rest/posts/{quote(post_id, safe='')}")
        if response.status_code in (404, 410):
            return PostStatus(live=False, detail="Deleted from LinkedIn.")
        if response.status_code >= 400:
            raise _error(response)
        url = self._result(post_id).url
        state = _answer(response).get("lifecycleState", "PUBLISHED")
        if state != "PUBLISHED":
            return PostStatus(live=False, url=url, detail=f"Not published on LinkedIn ({state}).")
        return PostStatus(live=True, url=url, detail="Live on LinkedIn.")

    def test_connection(self) -> str:
        self._recent_posts(count=1)
        return f"LinkedIn accepted the token and can read the posts of {self.author}."
