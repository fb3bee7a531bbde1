"""Bluesky (AT Protocol): one app.bsky.feed.post record per publication.

Channel settings: {"pds": "https://bsky.social"} (the account's PDS; that is the default), "langs": ["en"]
(optional: the posts' languages).
Credentials: {"identifier": handle or e-mail, "password": an app password}. The adapter keeps the session
it gets from createSession in the credentials too ("session": accessJwt, refreshJwt, handle, did), reuses
it, refreshes it on 400 ExpiredToken and signs in again only when the refresh token is no good either
(createSession is limited to 30 per 5 minutes).

No idempotency key exists: the record key (rkey) is derived from the publication's idempotency key, so a
resend targets the same record. Whether a PDS answers a repeated rkey with an error or as a no-op is not
documented, so both are handled: before a resend (an earlier attempt exists) and after any createRecord
error that could follow a write, the record is looked up with getRecord, and if it is there it is ours.

Images (at most 4): each is uploaded with `com.atproto.repo.uploadBlob` (the raw bytes; re-encoded under
1,000,000 bytes when bigger) and the post embeds them with `app.bsky.embed.images` (`alt` and
`aspectRatio` each). Uploads come after the resend lookup and before createRecord, so a failed upload leaves
no post behind and the retry cannot double-post; a blob no record refers to is harmless (the PDS discards
it). Upload errors are classified like the other calls (429/5xx temporary, 4xx permanent).

Checking a post (fetch): the post id is the record's at:// URI; `com.atproto.repo.getRecord` (repo and rkey
from that URI) answers the record while it exists and 400 RecordNotFound once it is deleted.
"""

import hashlib
from datetime import UTC, datetime

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    grapheme_count,
    is_resend,
    rate_limit_reset_seconds,
    send,
)
from publishing.adapters.images import fit_image, image_count_problems, uploading_media

PLATFORM = "Bluesky"
MAX_GRAPHEMES = 300
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post text: the lexicon's maxLength counts UTF-8 bytes too
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images#image: blob maxSize
COLLECTION = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def rkey_for(idempotency_key: str, created: datetime | None = None) -> str:
    """A valid TID (13 base32-sortable characters, top bit clear) that depends only on the publication.

    A TID is microseconds since 1970 (53 bits) and a clock id (10 bits): the publication's creation time
    (`created`, given in the post) gives a plausible, stable timestamp, and the key's hash the clock id.
    Without a publication (a validation, a connection test) the whole TID comes from the hash.
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    number = digest >> 1
    if created is not None:
        number = (int(created.timestamp() * 1_000_000) << 10) | (digest & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def _parse_uri(post_id: str) -> tuple[str, str, str]:
    """(repo, collection, rkey) of an at:// URI; a bare rkey gives ("", "", rkey)."""
    if not post_id.startswith("at://"):
        return "", "", post_id
    parts = post_id.removeprefix("at://").split("/")
    if len(parts) != 3 or not all(parts):
        raise AdapterError(f"Not a Bluesky post URI: {post_id!r}.", permanent=True)
    return parts[0], parts[1], parts[2]


def _answer(response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _error(response) -> AdapterError:
    """429 and 5xx are temporary (429 waits for RateLimit-Reset), other 4xx permanent."""
    answer = _answer(response)
    name, detail = answer.get("error", ""), answer.get("message", "")
    text = ": ".join(part for part in (name, detail) if part) or response.text[:300].strip()
    message = f"{PLATFORM} answered {response.status_code}" + (f": {text}" if text else "")
    transient = response.status_code == 429 or response.status_code >= 500
    retry_after = rate_limit_reset_seconds(response.headers) if response.status_code == 429 else None
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class BlueskyAdapter(Adapter):
    kind = "bluesky"
    # A resend reuses the record key, and the adapter looks the record up before it sends again.
    deduplicates = True

    settings_fields = (
        ConfigField(
            "pds", "The account's PDS (server), e.g. https://bsky.social (the default).", type="url", locates=True
        ),
        ConfigField("langs", 'Languages of the posts, a list of codes, e.g. ["en"].', type="list"),
    )
    credential_fields = (
        ConfigField("identifier", "The account's handle or e-mail, e.g. brand.bsky.social.", required=True),
        ConfigField(
            "password",
            "An app password (not the account password): Settings > Privacy and security > App passwords.",
            required=True,
        ),
    )

    @property
    def pds(self) -> str:
        return self.channel.settings.get("pds", "https://bsky.social").rstrip("/")

    def _url(self, method: str) -> str:
        return f"{self.pds}/xrpc/{method}"

    # --- Session --------------------------------------------------------------------------------------

    def _store_session(self, answer: dict) -> dict:
        session = {key: answer.get(key, "") for key in ("accessJwt", "refreshJwt", "handle", "did")}
        # The adapter's credentials now are what the session was made from.
        self.keep_credentials(based_on=self.channel.credentials, changes={"session": session})
        return session

    def _create_session(self) -> dict:
        credentials = self.channel.credentials
        if not credentials.get("identifier") or not credentials.get("password"):
            raise AdapterError("The Bluesky channel has no identifier and app password.", permanent=True)
        response = send(
            "POST",
            self._url("com.atproto.server.createSession"),
            platform=PLATFORM,
            json={"identifier": credentials["identifier"], "password": credentials["password"]},
        )
        if response.status_code >= 400:
            raise _error(response)  # 401 AuthenticationRequired: permanent; 429/5xx: temporary
        return self._store_session(_answer(response))

    def _refresh_session(self, session: dict) -> dict:
        """A new session from the refresh token, or from the password when the refresh token is dead."""
        # Another worker may have refreshed already (a refresh token is spent once used).
        stored = self.stored_credentials().get("session") or {}
        if stored.get("accessJwt") and stored["accessJwt"] != session.get("accessJwt"):
            return stored
        response = send(
            "POST",
            self._url("com.atproto.server.refreshSession"),
            platform=PLATFORM,
            headers={"Authorization": f"Bearer {session.get('refreshJwt', '')}"},
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise _error(response)  # temporary: keep the session we have
        if response.status_code >= 400:
            return self._create_session()
        return self._store_session(_answer(response))

    def _session(self) -> dict:
        session = self.channel.credentials.get("session") or {}
        return session if session.get("accessJwt") else self._create_session()

    def _authed(self, method: str, xrpc: str, *, headers: dict | None = None, **kwargs):
        """An authenticated call; an expired access token is refreshed once, a rejected one replaced once."""
        session = self._session()
        extra = headers or {}
        for attempt in range(2):
            headers = {**extra, "Authorization": f"Bearer {session['accessJwt']}"}
            response = send(method, self._url(xrpc), platform=PLATFORM, headers=headers, **kwargs)
            if attempt == 0 and response.status_code in (400, 401):
                error = _answer(response).get("error", "")
                if error == "ExpiredToken":
                    session = self._refresh_session(session)
                    continue
                if error in ("InvalidToken", "AuthMissing", "AuthenticationRequired"):
                    session = self._create_session()
                    continue
            return session, response
        return session, response

    # --- Publishing -----------------------------------------------------------------------------------

    def text_length(self, post: Post) -> int:
        return grapheme_count(post.text)

    def text_limit(self) -> int:
        return MAX_GRAPHEMES

    def validate(self, post: Post) -> list[str]:
        problems = []
        credentials = self.channel.credentials
        if not credentials.get("identifier") or not credentials.get("password"):
            problems.append("The Bluesky channel has no identifier and app password.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        count = self.text_length(post)
        if count > MAX_GRAPHEMES:
            problems.append(f"Bluesky posts are at most {MAX_GRAPHEMES} characters; this one has {count}.")
        size = len(post.text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            problems.append(
                f"Bluesky posts are at most {MAX_TEXT_BYTES:,} bytes of text (an emoji takes up to 25); "
                f"this one has {size:,}."
            )
        # Bluesky documents no limit on alt text, so none is checked; too-big images are re-encoded when sent.
        problems += image_count_problems(post, maximum=MAX_IMAGES, platform=PLATFORM)
        return problems

    def _upload(self, image) -> dict:
        """Upload one image as a blob; the app.bsky.embed.images#image that refers to it."""
        upload = fit_image(image, max_bytes=MAX_IMAGE_BYTES, platform=PLATFORM)
        _, response = self._authed(
            "POST", "com.atproto.repo.uploadBlob", content=upload.data, headers={"Content-Type": upload.content_type}
        )
        if response.status_code >= 400:
            raise _error(response)
        blob = _answer(response).get("blob")
        if not isinstance(blob, dict) or not (blob.get("ref") or {}).get("$link"):
            raise AdapterError(f"Bluesky answered {response.status_code} to an image upload without a blob.")
        embedded = {"alt": upload.alt_text, "image": blob}
        if upload.width and upload.height:
            embedded["aspectRatio"] = {"width": upload.width, "height": upload.height}
        return embedded

    def _images_embed(self, post: Post) -> dict | None:
        if not post.images:
            return None
        with uploading_media(PLATFORM):
            images = [self._upload(image) for image in post.images]
        return {"$type": "app.bsky.embed.images", "images": images}

    def _result(self, session: dict, uri: str) -> PublishResult:
        rkey = uri.rsplit("/", 1)[-1]
        handle = session.get("handle") or session.get("did", "")
        return PublishResult(post_id=uri, url=f"https://bsky.app/profile/{handle}/post/{rkey}")

    def _lookup(self, rkey: str) -> tuple[dict, str | None]:
        """(session, uri of the record at rkey, or None when there is none)."""
        session = self._session()
        session, response = self._authed(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": session["did"], "collection": COLLECTION, "rkey": rkey},
        )
        if response.status_code == 200:
            return session, _answer(response).get("uri") or f"at://{session['did']}/{COLLECTION}/{rkey}"
        if response.status_code == 400 and _answer(response).get("error") in ("RecordNotFound", "InvalidRequest"):
            return session, None
        raise _error(response)

    def publish(self, post: Post) -> PublishResult:
        rkey = rkey_for(post.idempotency_key, post.created_at)
        if is_resend(post):
            session, uri = self._lookup(rkey)
            if uri:
                return self._result(session, uri)
        # Uploads before the record: a failed upload leaves no post, so the retry cannot double-post.
        embed = self._images_embed(post)
        session = self._session()
        record: dict[str, object] = {
            "$type": COLLECTION,
            "text": post.text,
            "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        # The facets come with the rendering (publishing.rendering.facets): links and hashtags, byte offsets.
        if post.extra.get("facets"):
            record["facets"] = post.extra["facets"]
        if self.channel.settings.get("langs"):
            record["langs"] = list(self.channel.settings["langs"])
        if embed:
            record["embed"] = embed
        session, response = self._authed(
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": session["did"], "collection": COLLECTION, "rkey": rkey, "record": record},
        )
        if response.status_code == 200:
            return self._result(session, _answer(response).get("uri", ""))
        error = _error(response)
        if response.status_code == 400 or response.status_code >= 500:
            # A repeated rkey may be refused (400 or a server error): if the record is there, it is ours.
            session, uri = self._lookup(rkey)
            if uri:
                return self._result(session, uri)
        raise error

    def fetch(self, post_id: str) -> PostStatus:
        """Read the record back with getRecord: there (live, with its web URL) or RecordNotFound (deleted)."""
        session = self._session()
        repo, collection, rkey = _parse_uri(post_id)
        repo = repo or session.get("did", "")
        session, response = self._authed(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": repo, "collection": collection or COLLECTION, "rkey": rkey},
        )
        if response.status_code == 200:
            handle = (session.get("handle") if session.get("did") == repo else "") or repo
            url = f"https://bsky.app/profile/{handle}/post/{rkey}"
            return PostStatus(live=True, url=url, detail="Live on Bluesky.")
        answer = _answer(response)
        if response.status_code == 400 and (
            answer.get("error") == "RecordNotFound" or "Could not locate record" in str(answer.get("message", ""))
        ):
            return PostStatus(live=False, detail="Deleted on Bluesky.")
        raise _error(response)

    def test_connection(self) -> str:
        session, response = self._authed("GET", "com.atproto.server.getSession")
        if response.status_code >= 400:
            raise _error(response)
        handle = _answer(response).get("handle") or session.get("handle", "")
        return f"Signed in to Bluesky at {self.pds} as @{handle}."
