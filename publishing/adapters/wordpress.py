"""WordPress (REST API): POST /wp/v2/posts with an application password (HTTP Basic).

Channel settings: {"url": "https://blog.example", "plain_permalinks": false (true: use ?rest_route=),
"categories": [ids], "tags": [ids]}. Credentials: {"username", "application_password"}.

`content` is the post's HTML as publishing.rendering made it (the draft's Markdown, sanitised), then the
uploaded images; the post goes out with status `publish`.

WordPress has no idempotency: a repeated request makes a second post (its slug gets "-2"). Every post gets a
slug derived from the publication's idempotency key, and before any resend (an earlier attempt exists: a
timeout, a 5xx, a manual retry) the adapter looks the post up by that slug in every status. So a resend
never doubles a post, and the adapter counts as deduplicating.

Images: before the post, each image is uploaded to `POST /wp/v2/media` (the raw bytes, with its
`Content-Type` and `Content-Disposition: attachment; filename="..."`), then its alt text is set with
`POST /wp/v2/media/<id>` {"alt_text"}. The first image becomes the post's `featured_media`, and every image
is appended to the content as `<img src="<source_url>" alt="...">` (alt text escaped). An upload that fails
fails the attempt before any post exists (classified like every other call: 401/403 permanent, 429/5xx
temporary, a lost answer temporary); the retry uploads again, so an earlier attempt may leave an unused
attachment in the media library, never a second post (the slug lookup still comes first on a resend). A
site's upload limit is its own PHP setting: set "max_image_bytes" in the channel settings to have larger
images re-encoded to fit.

Read-back (`fetch`): `GET /wp/v2/posts/<id>?context=edit` with the same application password (edit context
shows a post in every status, the trash included). `publish` and `future` are live (with the post's `link`);
`trash`, 404 `rest_post_invalid_id` and 410 are gone; a draft, pending or private post is not live either
(nobody outside the site's editors sees it). Any other error (401, 5xx, 429, a 404 `rest_no_route` from a
wrong site URL) raises like every other call.
"""

from html import escape

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

PLATFORM = "WordPress"


def slug_for(idempotency_key: str) -> str:
    return "cocreate-" + idempotency_key.replace("-", "").lower()


def _answer(response):
    try:
        return response.json()
    except ValueError:
        return {}


def _error(response) -> AdapterError:
    answer = _answer(response)
    answer = answer if isinstance(answer, dict) else {}
    code, detail = answer.get("code", ""), answer.get("message", "") or response.text[:300].strip()
    params = (answer.get("data") or {}).get("params") if isinstance(answer.get("data"), dict) else None
    if isinstance(params, dict) and params:
        detail += " " + " ".join(f"{name}: {problem}" for name, problem in params.items())
    text = ": ".join(part for part in (code, detail) if part)
    message = f"{PLATFORM} answered {response.status_code}" + (f": {text}" if text else "")
    transient = response.status_code in (408, 429) or response.status_code >= 500
    retry_after = None
    if response.headers.get("Retry-After", "").isdigit():
        retry_after = float(response.headers["Retry-After"])
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


class WordPressAdapter(Adapter):
    kind = "wordpress"
    deduplicates = True  # by the slug lookup before every resend
    settings_fields = (
        ConfigField(
            "url", "The site's address, e.g. https://blog.example.com.", required=True, type="url", locates=True
        ),
        ConfigField(
            "plain_permalinks",
            "true when the site has plain permalinks (Settings > Permalinks), so the API is at ?rest_route=.",
            type="boolean",
        ),
        ConfigField("categories", "Category ids every post gets, e.g. [3, 7] (Posts > Categories).", type="integers"),
        ConfigField("tags", "Tag ids every post gets, e.g. [12] (Posts > Tags).", type="integers"),
        ConfigField(
            "max_image_bytes", "Re-encode larger images to fit the site's upload limit, e.g. 2000000.", type="integer"
        ),
    )
    credential_fields = (
        ConfigField("username", "The WordPress user who posts (an Author or Editor), e.g. editor.", required=True),
        ConfigField(
            "application_password",
            "An application password of that user (Users > Profile > Application Passwords), spaces allowed.",
            required=True,
        ),
    )

    @property
    def site(self) -> str:
        return self.channel.settings.get("url", "").rstrip("/")

    def _endpoint(self, route: str) -> str:
        if self.channel.settings.get("plain_permalinks"):
            return f"{self.site}/?rest_route=/wp/v2/{route}"
        return f"{self.site}/wp-json/wp/v2/{route}"

    def _auth(self) -> tuple[str, str]:
        credentials = self.channel.credentials
        if not credentials.get("username") or not credentials.get("application_password"):
            raise AdapterError("The WordPress channel has no username and application password.", permanent=True)
        return credentials["username"], credentials["application_password"]

    def _send(self, method: str, route: str, *, params: dict | None = None, **kwargs):
        """One authenticated call to a REST route, handing back every answer (errors too)."""
        url = self._endpoint(route)
        if params and self.channel.settings.get("plain_permalinks"):
            # httpx replaces a URL's query string with `params`: keep rest_route among them, or the request
            # would reach the site's home page (200, HTML) instead of the REST API.
            url, params = f"{self.site}/", {"rest_route": f"/wp/v2/{route}", **params}
        return send(method, url, platform=PLATFORM, auth=self._auth(), params=params, **kwargs)

    def _request(self, method: str, route: str, *, params: dict | None = None, **kwargs):
        response = self._send(method, route, params=params, **kwargs)
        if response.status_code >= 400:
            raise _error(response)
        return response

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.site.startswith(("https://", "http://")):
            problems.append("The WordPress channel has no site URL.")
        credentials = self.channel.credentials
        if not credentials.get("username") or not credentials.get("application_password"):
            problems.append("The WordPress channel has no username and application password.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        return problems

    def _result(self, answer: dict) -> PublishResult:
        return PublishResult(post_id=str(answer.get("id", "")), url=str(answer.get("link", "")))

    def _find(self, slug: str) -> dict | None:
        params = {"slug": slug, "status": "publish,future,draft,pending,private", "context": "edit"}
        found = _answer(self._request("GET", "posts", params=params))
        found = [p for p in found if isinstance(p, dict) and p.get("slug") == slug] if isinstance(found, list) else []
        return found[0] if found else None

    def _upload(self, image) -> dict:
        """One image into the media library, with its alt text: {"id", "source_url", "alt_text"}."""
        limit = self.channel.settings.get("max_image_bytes")
        if limit:
            upload = fit_image(image, max_bytes=int(limit), platform=PLATFORM)
            data, content_type, filename = upload.data, upload.content_type, upload.filename
        else:
            data, content_type, filename = image.read(), image.content_type, image.filename
        safe_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "image"
        headers = {"Content-Type": content_type, "Content-Disposition": f'attachment; filename="{safe_name}"'}
        media = _answer(self._request("POST", "media", content=data, headers=headers))
        if not isinstance(media, dict) or not media.get("id"):
            raise AdapterError("WordPress answered an upload without a media id.")
        if image.alt_text:
            self._request("POST", f"media/{media['id']}", json={"alt_text": image.alt_text})
        return {"id": media["id"], "source_url": str(media.get("source_url", "")), "alt_text": image.alt_text}

    def _upload_images(self, post: Post) -> list[dict]:
        with uploading_media(PLATFORM):
            return [self._upload(image) for image in post.images]

    def publish(self, post: Post) -> PublishResult:
        slug = slug_for(post.idempotency_key)
        if is_resend(post):
            existing = self._find(slug)
            if existing:
                return self._result(existing)
        media = self._upload_images(post)  # before the post: a failed upload leaves no post behind
        content = post.html + "".join(
            f'\n<p><img src="{escape(m["source_url"])}" alt="{escape(m["alt_text"])}" /></p>' for m in media
        )
        body: dict[str, object] = {"title": post.title, "content": content, "status": "publish", "slug": slug}
        if media:
            body["featured_media"] = media[0]["id"]
        for taxonomy in ("categories", "tags"):
            if self.channel.settings.get(taxonomy):
                body[taxonomy] = list(self.channel.settings[taxonomy])
        answer = _answer(self._request("POST", "posts", json=body))
        if not isinstance(answer, dict) or not answer.get("id"):
            raise AdapterError("WordPress answered without a post id.", ambiguous=True)
        return self._result(answer)

    def fetch(self, post_id: str) -> PostStatus:
        response = self._send("GET", f"posts/{post_id}", params={"context": "edit"})
        answer = _answer(response)
        answer = answer if isinstance(answer, dict) else {}
        if response.status_code == 410 or (
            response.status_code == 404 and answer.get("code") == "rest_post_invalid_id"
        ):
            return PostStatus(live=False, detail="Deleted from WordPress.")
        if response.status_code >= 400:
            raise _error(response)
        status, link = str(answer.get("status", "")), str(answer.get("link", ""))
        if status == "publish":
            return PostStatus(live=True, url=link, detail="Live on WordPress.")
        if status == "future":
            return PostStatus(live=True, url=link, detail="Scheduled on WordPress for a later time.")
        if status == "trash":
            return PostStatus(live=False, detail="In the trash on WordPress.")
        if status in ("draft", "pending", "private"):
            return PostStatus(live=False, url=link, detail=f"No longer public on WordPress (now {status}).")
        raise AdapterError(f"WordPress answered {response.status_code} without a known post status ({status!r}).")

    def test_connection(self) -> str:
        me = _answer(self._request("GET", "users/me", params={"context": "edit"}))
        name = me.get("name", "") if isinstance(me, dict) else ""
        return f"Signed in to WordPress at {self.site} as {name}."
