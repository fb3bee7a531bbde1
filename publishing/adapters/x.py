"""X (API v2): POST /2/tweets with a user-context OAuth 2.0 bearer token.

Channel settings: {"api": "https://api.x.com"} (the default). Credentials: {"access_token", "refresh_token",
"client_id", "client_secret"?}. An access token lives two hours: on a 401 the adapter refreshes it once with
the refresh token (which X rotates) and stores both new tokens before trying again. Only a refused refresh
(400/401 from the token endpoint) means the credentials are dead; a 429 or 5xx anywhere is temporary.

X has no idempotency key (a repeat of the same text is refused as duplicate content, 403, but that is not a
guarantee), so this adapter does not deduplicate: a timed-out post is never sent again blindly.

Images (at most 4 per post): each is uploaded first with `POST /2/media/upload` (multipart `media`, raw bytes,
`media_category=tweet_image`; re-encoded when over 5 MB), its alt text set with `POST /2/media/metadata`
(at most 1000 characters), and only then is the post created with `media.media_ids`. Upload failures are
classified like any call (429/5xx temporary, 4xx permanent) and come before the post exists; an upload
whose answer was lost is retried too, because an upload is not a post: an unused one expires on its own.

Checking a post (fetch): `GET /2/tweets/:id` answers 200 with `data` while the post exists; a deleted post
answers 200 with an `errors` entry of type `.../problems/resource-not-found` (and no `data`), or 404.
"""

from urllib.parse import quote

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    rate_limit_reset_seconds,
    send,
)
from publishing.adapters.images import alt_text_problems, fit_image, image_count_problems, uploading_media

PLATFORM = "X"
MAX_WEIGHT = 280
MAX_IMAGES = 4
MAX_ALT_TEXT = 1000
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def weighted_length(text: str) -> int:
    """The length X counts (twitter-text config v3): every URL 23, including bare domains; code points in
    the light ranges 1, others 2; an emoji sequence 2."""
    from twitter_text import parse_tweet

    return parse_tweet(text).weightedLength


def _answer(response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _error(response, what: str = PLATFORM) -> AdapterError:
    answer = _answer(response)
    detail = answer.get("detail") or answer.get("title") or answer.get("error_description") or answer.get("error")
    if isinstance(answer.get("errors"), list):
        messages = "; ".join(str(e.get("message", e)) for e in answer["errors"] if isinstance(e, dict))
        detail = f"{detail}: {messages}" if detail and messages else detail or messages
    detail = detail or response.text[:300].strip()
    message = f"{what} answered {response.status_code}" + (f": {detail}" if detail else "")
    transient = response.status_code == 429 or response.status_code >= 500
    retry_after = rate_limit_reset_seconds(response.headers) if response.status_code == 429 else None
    if retry_after is None and response.headers.get("Retry-After", "").isdigit():
        retry_after = float(response.headers["Retry-After"])
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class XAdapter(Adapter):
    kind = "x"
    deduplicates = False

    settings_fields = (
        ConfigField("api", "The API's address: https://api.x.com (the default).", type="url", locates=True),
    )
    credential_fields = (
        ConfigField(
            "access_token",
            "A user-context OAuth 2.0 access token with the scopes tweet.read, tweet.write, users.read, "
            "media.write and offline.access, from the app's authorization-code (PKCE) flow in the X developer portal.",
            required=True,
        ),
        ConfigField(
            "refresh_token",
            "The refresh token from the same flow (offline.access): without it the channel stops after two hours.",
        ),
        ConfigField("client_id", "The app's OAuth 2.0 client ID (Keys and tokens): needed to refresh."),
        ConfigField("client_secret", "The app's client secret, for a confidential client only."),
    )

    @property
    def api(self) -> str:
        return self.channel.settings.get("api", "https://api.x.com").rstrip("/")

    def text_length(self, post: Post) -> int:
        return weighted_length(post.text)

    def text_limit(self) -> int:
        return MAX_WEIGHT

    def validate(self, post: Post) -> list[str]:
        problems = []
        credentials = self.channel.credentials
        if not credentials.get("access_token"):
            problems.append("The X channel has no access token.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        weight = self.text_length(post)
        if weight > MAX_WEIGHT:
            problems.append(f"X posts are at most {MAX_WEIGHT} characters (links count 23); this one has {weight}.")
        problems += image_count_problems(post, maximum=MAX_IMAGES, platform=PLATFORM)
        problems += alt_text_problems(post, limit=MAX_ALT_TEXT, platform=PLATFORM)
        return problems

    def _refresh(self, refused_token: str) -> str:
        # Another worker may have refreshed already (X rotates refresh tokens: the old one is spent).
        credentials = self.stored_credentials()
        if credentials.get("access_token") and credentials["access_token"] != refused_token:
            return credentials["access_token"]
        if not credentials.get("refresh_token") or not credentials.get("client_id"):
            raise AdapterError("X refused the access token and there is no refresh token.", permanent=True)
        auth = (credentials["client_id"], credentials["client_secret"]) if credentials.get("client_secret") else None
        response = send(
            "POST",
            f"{self.api}/2/oauth2/token",
            platform=PLATFORM,
            data={
                "grant_type": "refresh_token",
                "refresh_token": credentials["refresh_token"],
                "client_id": credentials["client_id"],
            },
            auth=auth,
        )
        if response.status_code >= 400:
            error = _error(response, "X's token endpoint")
            if error.permanent:
                error.message += " (the refresh token is no longer valid: connect the X account again)"
            raise error
        answer = _answer(response)
        changes = {
            "access_token": answer["access_token"],
            "refresh_token": answer.get("refresh_token", credentials["refresh_token"]),
        }
        self.keep_credentials(based_on=credentials, changes=changes)
        return answer["access_token"]

    def _authed(self, method: str, path: str, *, allow: tuple[int, ...] = (), **kwargs):
        """An authenticated call; a 401 refreshes the token once. Error answers raise, except those in allow."""
        token = self.channel.credentials.get("access_token", "")
        if not token:
            raise AdapterError("The X channel has no access token.", permanent=True)
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {token}"}
            response = send(method, f"{self.api}{path}", platform=PLATFORM, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 0:
                token = self._refresh(token)
                continue
            if response.status_code >= 400 and response.status_code not in allow:
                raise _error(response)
            return response
        raise _error(response)

    def _upload(self, image) -> str:
        upload = fit_image(image, max_bytes=MAX_IMAGE_BYTES, platform=PLATFORM)
        response = self._authed(
            "POST",
            "/2/media/upload",
            files={"media": (upload.filename, upload.data, upload.content_type)},
            data={"media_category": "tweet_image"},
        )
        data = _answer(response).get("data") or {}
        media_id = str(data.get("id") or data.get("media_id_string") or "")
        if not media_id:
            raise AdapterError(f"X answered {response.status_code} to an image upload without a media id.")
        if upload.alt_text:
            metadata = {"id": media_id, "metadata": {"alt_text": {"text": upload.alt_text}}}
            self._authed("POST", "/2/media/metadata", json=metadata)
        return media_id

    def publish(self, post: Post) -> PublishResult:
        # Uploads first: if one fails, no post exists yet, so the retry cannot double-post.
        with uploading_media(PLATFORM):
            media_ids = [self._upload(image) for image in post.images]
        body: dict[str, object] = {"text": post.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        response = self._authed("POST", "/2/tweets", json=body)
        post_id = str((_answer(response).get("data") or {}).get("id", ""))
        if not post_id:
            raise AdapterError(f"X answered {response.status_code} without a post id.", ambiguous=True)
        return PublishResult(post_id=post_id, url=f"https://x.com/i/web/status/{post_id}")

    def fetch(self, post_id: str) -> PostStatus:
        response = self._authed("GET", f"/2/tweets/{quote(str(post_id), safe='')}", allow=(404,))
        if response.status_code == 404:
            return PostStatus(live=False, detail="Deleted on X.")
        answer = _answer(response)
        if isinstance(answer.get("data"), dict) and answer["data"].get("id"):
            return PostStatus(live=True, url=f"https://x.com/i/web/status/{answer['data']['id']}", detail="Live on X.")
        errors = [e for e in answer.get("errors") or [] if isinstance(e, dict)]
        if any(str(e.get("type", "")).endswith("/resource-not-found") for e in errors):
            return PostStatus(live=False, detail="Deleted on X.")
        # Another error (e.g. not authorized to see the post): whether it is there cannot be told.
        details = "; ".join(str(e.get("detail") or e.get("title") or e) for e in errors)
        raise AdapterError(f"X did not show the post: {details or response.text[:300]}", permanent=True)

    def test_connection(self) -> str:
        response = self._authed("GET", "/2/users/me")
        username = (_answer(response).get("data") or {}).get("username", "")
        return f"Signed in to X as @{username}."
