"""X (API v2): POST /2/tweets with a user-context OAuth 2.0 bearer token.

Channel settings: {"api": "https://api.x.com"} (the default). Credentials: {"access_token", "refresh_token",
"client_id", "client_secret"?}. An access token lives two hours: on a 401 the adapter refreshes it once with
the refresh token (which X rotates) and stores both new tokens before trying again. Only a refused refresh
(400/401 from the token endpoint) means the credentials are dead; a 429 or 5xx anywhere is temporary.

X has no idempotency key (a repeat of the same text is refused as duplicate content, 403, but that is not a
guarantee), so this adapter does not deduplicate: a timed-out post is never sent again blindly.
"""

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, rate_limit_reset_seconds, send

PLATFORM = "X"
MAX_WEIGHT = 280


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
    if not detail and answer.get("errors"):
        detail = "; ".join(str(e.get("message", e)) for e in answer["errors"] if isinstance(e, dict))
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

    @property
    def api(self) -> str:
        return self.channel.settings.get("api", "https://api.x.com").rstrip("/")

    def validate(self, post: Post) -> list[str]:
        problems = []
        credentials = self.channel.credentials
        if not credentials.get("access_token"):
            problems.append("The X channel has no access token.")
        if not post.text.strip():
            problems.append("There is no text to post.")
        weight = weighted_length(post.text)
        if weight > MAX_WEIGHT:
            problems.append(f"X posts are at most {MAX_WEIGHT} characters (links count 23); this one has {weight}.")
        return problems

    def _refresh(self, refused_token: str) -> str:
        # Another worker may have refreshed already (X rotates refresh tokens: the old one is spent).
        self.channel.refresh_from_db(fields=["credentials_token"])
        credentials = self.channel.credentials
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
        credentials["access_token"] = answer["access_token"]
        credentials["refresh_token"] = answer.get("refresh_token", credentials["refresh_token"])
        self.channel.credentials = credentials
        self.channel.save(update_fields=["credentials_token"])
        return credentials["access_token"]

    def _authed(self, method: str, path: str, **kwargs):
        token = self.channel.credentials.get("access_token", "")
        if not token:
            raise AdapterError("The X channel has no access token.", permanent=True)
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {token}"}
            response = send(method, f"{self.api}{path}", platform=PLATFORM, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 0:
                token = self._refresh(token)
                continue
            if response.status_code >= 400:
                raise _error(response)
            return response
        raise _error(response)

    def publish(self, post: Post) -> PublishResult:
        response = self._authed("POST", "/2/tweets", json={"text": post.text})
        post_id = str((_answer(response).get("data") or {}).get("id", ""))
        if not post_id:
            raise AdapterError(f"X answered {response.status_code} without a post id.", ambiguous=True)
        return PublishResult(post_id=post_id, url=f"https://x.com/i/web/status/{post_id}")

    def test_connection(self) -> str:
        response = self._authed("GET", "/2/users/me")
        username = (_answer(response).get("data") or {}).get("username", "")
        return f"Signed in to X as @{username}."
