"""WordPress (REST API): POST /wp/v2/posts with an application password (HTTP Basic).

Channel settings: {"url": "https://blog.example", "plain_permalinks": false (true: use ?rest_route=),
"categories": [ids], "tags": [ids]}. Credentials: {"username", "application_password"}.

The draft's Markdown is rendered to (sanitised) HTML for `content`; the post goes out with status `publish`.

WordPress has no idempotency: a repeated request makes a second post (its slug gets "-2"). Every post gets a
slug derived from the publication's idempotency key, and before any resend (an earlier attempt exists: a
timeout, a 5xx, a manual retry) the adapter looks the post up by that slug in every status. So a resend
never doubles a post, and the adapter counts as deduplicating.
"""

from drafts.rendering import render_markdown
from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, is_resend, send

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

    def _request(self, method: str, route: str, **kwargs):
        response = send(method, self._endpoint(route), platform=PLATFORM, auth=self._auth(), **kwargs)
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

    def publish(self, post: Post) -> PublishResult:
        slug = slug_for(post.idempotency_key)
        if is_resend(post):
            existing = self._find(slug)
            if existing:
                return self._result(existing)
        body = {"title": post.title, "content": render_markdown(post.text), "status": "publish", "slug": slug}
        for taxonomy in ("categories", "tags"):
            if self.channel.settings.get(taxonomy):
                body[taxonomy] = list(self.channel.settings[taxonomy])
        answer = _answer(self._request("POST", "posts", json=body))
        if not isinstance(answer, dict) or not answer.get("id"):
            raise AdapterError("WordPress answered without a post id.", ambiguous=True)
        return self._result(answer)

    def test_connection(self) -> str:
        me = _answer(self._request("GET", "users/me", params={"context": "edit"}))
        name = me.get("name", "") if isinstance(me, dict) else ""
        return f"Signed in to WordPress at {self.site} as {name}."
