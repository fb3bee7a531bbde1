"""The guideline check engine: rule kinds, the problems they find, and one function that runs them.

A rule kind is one subclass of Rule registered under its `kind`: it says which parameters it takes
(`clean_params`, raising ValidationError with a message a manager can act on) and what is wrong with a
text (`check`). Nothing here touches the database, so every kind is tested with plain strings.
"""

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

ERROR = "error"
WARNING = "warning"
SEVERITIES = [(ERROR, "Blocking error"), (WARNING, "Warning")]

# The draft variant channels (drafts/forms.py VARIANT_CHANNELS), which length limits are keyed by.
CHANNEL_LABELS = {
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
}


@dataclass(frozen=True)
class TextParts:
    """What a draft says, as the checks see it. `author_role` is the writer's role on the board."""

    title: str = ""
    body: str = ""
    variants: dict[str, str] = field(default_factory=dict)
    author_role: str | None = None

    def fields(self) -> list[tuple[str, str, str]]:
        """(field, channel, text) for every non-empty part: title, body, then each variant."""
        parts = [("title", "", self.title), ("body", "", self.body)]
        parts += [("variant", channel, text) for channel, text in sorted(self.variants.items())]
        return [(name, channel, text) for name, channel, text in parts if text]


@dataclass(frozen=True)
class Problem:
    kind: str
    severity: str
    message: str  # what is wrong
    fix: str  # how to fix it
    field: str  # "title", "body" or "variant"
    channel: str = ""  # for a variant
    line: int | None = None  # 1-based, when the problem sits at a place in the text
    column: int | None = None
    rule_id: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        place = f"{CHANNEL_LABELS.get(self.channel, self.channel)} text" if self.field == "variant" else self.field
        place = place[0].upper() + place[1:]
        if self.line is not None:
            place += f", line {self.line}, column {self.column}"
        return place

    def __str__(self) -> str:
        return f"{self.where}: {self.message} {self.fix}"

    def as_dict(self) -> dict:
        return {**asdict(self), "where": self.where}


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class Rule:
    kind: str = ""
    label: str = ""
    help: str = ""  # the parameters, for the admin and the API documentation

    def __init__(self, *, params: dict, severity: str = ERROR, rule_id: int | None = None) -> None:
        self.params = self.clean_params(params)
        self.severity = severity
        self.rule_id = rule_id

    @classmethod
    def clean_params(cls, params: dict) -> dict:
        raise NotImplementedError

    def check(self, parts: TextParts) -> list[Problem]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def problem(self, *, message: str, fix: str, field: str, channel: str = "", text: str = "", offset=None) -> Problem:
        line, column = position(text, offset) if offset is not None else (None, None)
        return Problem(
            kind=self.kind,
            severity=self.severity,
            message=message,
            fix=fix,
            field=field,
            channel=channel,
            line=line,
            column=column,
            rule_id=self.rule_id,
        )


RULE_KINDS: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    RULE_KINDS[cls.kind] = cls
    return cls


def _text_param(params: dict, name: str, *, required: bool = True, max_length: int = 200) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise ValidationError({name: ["Give a piece of text."]})
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({name: ["This is required."]})
    if len(value) > max_length:
        raise ValidationError({name: [f"Keep it to {max_length} characters."]})
    return value


def _no_extra_params(params, allowed: set[str]) -> None:
    if not isinstance(params, dict):
        raise ValidationError({"params": ['Rule parameters are an object, e.g. {"phrase": "synergy"}.']})
    extra = sorted(set(params) - allowed)
    if extra:
        raise ValidationError(
            {"params": [f"Unknown parameters: {', '.join(extra)}. Expected: {', '.join(sorted(allowed))}."]}
        )


def _phrase_pattern(phrase: str) -> re.Pattern:
    """The phrase as a whole word or words, any case, any run of spaces between words."""
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


@register
class BannedPhrase(Rule):
    kind = "banned_phrase"
    label = "Banned word or phrase"
    help = '{"phrase": "synergy", "replacement": "teamwork"} (replacement optional)'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"phrase", "replacement"})
        return {
            "phrase": _text_param(params, "phrase"),
            "replacement": _text_param(params, "replacement", required=False),
        }

    def describe(self):
        replacement = self.params["replacement"]
        return f"Don't write “{self.params['phrase']}”" + (f"; write “{replacement}”." if replacement else ".")

    def check(self, parts):
        pattern = _phrase_pattern(self.params["phrase"])
        replacement = self.params["replacement"]
        problems = []
        for name, channel, text in parts.fields():
            for match in pattern.finditer(text):
                fix = f"Replace it with “{replacement}”." if replacement else "Remove it or say it another way."
                problems.append(
                    self.problem(
                        message=f"“{match.group(0)}” is not used in this board's content.",
                        fix=fix,
                        field=name,
                        channel=channel,
                        text=text,
                        offset=match.start(),
                    )
                )
        return problems


@register
class RequiredDisclosure(Rule):
    """Contributors' content must say it is sponsored; each variant is posted alone, so each needs it."""

    kind = "required_disclosure"
    label = "Required disclosure (contributor content)"
    help = '{"text": "#ad"}'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"text"})
        return {"text": _text_param(params, "text", max_length=100)}

    def describe(self):
        return f"Content by contributors says “{self.params['text']}”."

    def check(self, parts):
        if parts.author_role != "contributor":
            return []
        disclosure = self.params["text"]
        pattern = _phrase_pattern(disclosure)
        problems = []
        if not pattern.search(parts.title) and not pattern.search(parts.body):
            problems.append(
                self.problem(
                    message=f"Contributor content must carry the disclosure “{disclosure}”.",
                    fix=f"Add “{disclosure}” to the body.",
                    field="body",
                )
            )
        for channel, text in sorted(parts.variants.items()):
            if text and not pattern.search(text):
                problems.append(
                    self.problem(
                        message=f"This post is published on its own and lacks the disclosure “{disclosure}”.",
                        fix=f"Add “{disclosure}” to the {CHANNEL_LABELS.get(channel, channel)} text.",
                        field="variant",
                        channel=channel,
                    )
                )
        return problems


@register
class RequiredHashtag(Rule):
    kind = "required_hashtag"
    label = "Required hashtag"
    help = '{"hashtag": "#PlannerLaunch"}'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"hashtag"})
        hashtag = _text_param(params, "hashtag", max_length=100)
        hashtag = hashtag if hashtag.startswith("#") else f"#{hashtag}"
        if not re.fullmatch(r"#\w+", hashtag):
            raise ValidationError({"hashtag": ["A hashtag is # and letters, digits or _, without spaces."]})
        return {"hashtag": hashtag}

    def describe(self):
        return f"Posts carry {self.params['hashtag']}."

    def check(self, parts):
        hashtag = self.params["hashtag"]
        pattern = re.compile(rf"(?<![\w#]){re.escape(hashtag)}(?!\w)", re.IGNORECASE)
        places = [("body", "", parts.body)] + [("variant", c, t) for c, t in sorted(parts.variants.items()) if t]
        problems = []
        for name, channel, text in places:
            if not pattern.search(text) and not (name == "body" and pattern.search(parts.title)):
                where = "the body" if name == "body" else f"the {CHANNEL_LABELS.get(channel, channel)} text"
                problems.append(
                    self.problem(
                        message=f"The hashtag {hashtag} is missing.",
                        fix=f"Add {hashtag} to {where}.",
                        field=name,
                        channel=channel,
                    )
                )
        return problems


@register
class LengthLimit(Rule):
    kind = "length_limit"
    label = "Length limit per channel"
    help = '{"channel": "x", "max_length": 280}'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"channel", "max_length"})
        channel = params.get("channel")
        if channel not in CHANNEL_LABELS:
            raise ValidationError({"channel": [f"Choose one of: {', '.join(CHANNEL_LABELS)}."]})
        max_length = params.get("max_length")
        if isinstance(max_length, bool) or not isinstance(max_length, int) or not 1 <= max_length <= 100_000:
            raise ValidationError({"max_length": ["Give a whole number of characters from 1 to 100000."]})
        return {"channel": channel, "max_length": max_length}

    def describe(self):
        return f"{CHANNEL_LABELS[self.params['channel']]} text: at most {self.params['max_length']} characters."

    def check(self, parts):
        channel, limit = self.params["channel"], self.params["max_length"]
        text = parts.variants.get(channel, "")
        if len(text) <= limit:
            return []
        return [
            self.problem(
                message=f"The {CHANNEL_LABELS[channel]} text has {len(text)} characters; the limit is {limit}.",
                fix=f"Cut {len(text) - limit} characters (the text from here on is over the limit).",
                field="variant",
                channel=channel,
                text=text,
                offset=limit,
            )
        ]


URL_PATTERN = re.compile(r"\bhttps?://[^\s<>()\[\]\"']+", re.IGNORECASE)
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@register
class AllowedLinkDomains(Rule):
    kind = "allowed_domains"
    label = "Allowed link domains"
    help = '{"domains": ["example.com", "shop.example.com"]} (subdomains included)'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"domains"})
        domains = params.get("domains")
        if isinstance(domains, str):
            domains = domains.replace(",", " ").split()
        if not isinstance(domains, list) or not domains or not all(isinstance(d, str) for d in domains):
            raise ValidationError({"domains": ['List at least one domain, e.g. ["example.com"].']})
        domains = list(dict.fromkeys(d.strip().lower().removeprefix("www.") for d in domains if d.strip()))
        bad = [d for d in domains if not DOMAIN_PATTERN.match(d)]
        if bad or not domains:
            raise ValidationError({"domains": [f"Not a domain name: {', '.join(bad) or '(empty)'}."]})
        return {"domains": domains}

    def describe(self):
        return f"Links go only to {', '.join(self.params['domains'])}."

    def _allowed(self, host: str) -> bool:
        return any(host == d or host.endswith(f".{d}") for d in self.params["domains"])

    def check(self, parts):
        problems = []
        for name, channel, text in parts.fields():
            for match in URL_PATTERN.finditer(text):
                host = (urlsplit(match.group(0).rstrip(".,;:!?")).hostname or "").lower()
                if not self._allowed(host):
                    problems.append(
                        self.problem(
                            message=f"Links to {host or 'that address'} are not allowed on this board.",
                            fix=f"Link to {', '.join(self.params['domains'])} instead, or remove the link.",
                            field=name,
                            channel=channel,
                            text=text,
                            offset=match.start(),
                        )
                    )
        return problems


def rule_from(*, kind: str, params: dict, severity: str = ERROR, rule_id: int | None = None) -> Rule:
    if kind not in RULE_KINDS:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(RULE_KINDS)}."]})
    if severity not in dict(SEVERITIES):
        raise ValidationError({"severity": [f"Choose one of: {', '.join(dict(SEVERITIES))}."]})
    return RULE_KINDS[kind](params=params, severity=severity, rule_id=rule_id)


def run_checks(rules: list[Rule], parts: TextParts) -> list[Problem]:
    """Every problem, blocking errors first, then in reading order (title, body, variants)."""
    order = {"title": 0, "body": 1, "variant": 2}
    problems = [problem for rule in rules for problem in rule.check(parts)]
    return sorted(
        problems,
        key=lambda p: (not p.blocking, order[p.field], p.channel, p.line or 0, p.column or 0),
    )
