"""The guideline check engine: rule kinds, the problems they find, and one function that runs them.

A rule kind is one subclass of Rule registered under its `kind`: it says which parameters it takes
(`clean_params`, raising ValidationError with a message a manager can act on) and what is wrong with a
text (`find`, given all of the kind's rules at once). Nothing here touches the database, so every kind is
tested with plain strings.

The work is linear in the text: each text is lower-cased once, links and hashtags are found in one scan for
all rules of their kind, each distinct banned phrase in one fast literal scan (scanning.py says why not one
alternation), and `check_text` builds only the first problems of each rule while counting all (findings.py).
"""

import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError

from cocreate import limits
from contributors.guidelines import scanning
from contributors.guidelines.findings import CheckReport, Findings, LineIndex

ERROR = "error"
WARNING = "warning"
SEVERITIES = [(ERROR, "Blocking error"), (WARNING, "Warning")]

# How many problems a check reports (the total is always given): per rule, and in all.
PROBLEMS_SHOWN_PER_RULE = 20
PROBLEMS_SHOWN = 100

# The draft variant channels (drafts/forms.py VARIANT_CHANNELS), which length limits are keyed by.
CHANNEL_LABELS = {
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
}


def channel_label(key: str) -> str:
    """A variant's name in messages: kind:x (or x) -> X; channel:12 -> channel 12."""
    kind = key.removeprefix("kind:")
    if kind in CHANNEL_LABELS:
        return CHANNEL_LABELS[kind]
    return key.replace("channel:", "channel ")


def kind_variant(variants: dict[str, str], kind: str) -> str:
    """The variant written for every channel of a kind (kind:x; x as drafts keyed it before channels)."""
    return variants.get(f"kind:{kind}") or variants.get(kind, "")


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
    # The span [start, end) of the field's text that is wrong, in characters (code points) from its start:
    # what the editor highlights. None with line None; line and column say where start is.
    start: int | None = None
    end: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        place = f"{channel_label(self.channel)} text" if self.field == "variant" else self.field
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
    return LineIndex(text).position(offset)


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

    @classmethod
    def find(cls, rules: list["Rule"], parts: TextParts, findings: Findings) -> None:
        """Count every problem of these rules (all of this kind) in `parts`; keep those findings asks for."""
        raise NotImplementedError

    def check(self, parts: TextParts) -> list[Problem]:
        """Every problem of this rule alone, in reading order."""
        findings = Findings([self])
        type(self).find([self], parts, findings)
        return [problem for _, problem in findings.kept]

    def describe(self) -> str:
        raise NotImplementedError

    def report(
        self, findings: Findings, *, message: str, fix: str, field: str, channel: str = "", text: str = "", offset=None
    ) -> None:
        """Count a problem; build it (message, place) only when findings keeps it."""
        if findings.count(self):
            findings.keep(
                self,
                self.problem(
                    message=message,
                    fix=fix,
                    field=field,
                    channel=channel,
                    at=(findings.position(text, offset) if offset is not None else None),
                    span=(offset, len(text)) if offset is not None else None,
                ),
            )

    def problem(self, *, message: str, fix: str, field: str, channel: str = "", at=None, span=None) -> Problem:
        """`at`: the (line, column) of the span's start; `span`: (start, end) offsets in the text."""
        line, column = at if at is not None else (None, None)
        start, end = span if span is not None else (None, None)
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
            start=start,
            end=end,
        )


RULE_KINDS: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    RULE_KINDS[cls.kind] = cls
    return cls


def _text_param(
    params: dict, name: str, *, required: bool = True, max_length: int = limits.GUIDELINE_RULE_PHRASE_MAX_CHARS
) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise ValidationError({name: ["Give a piece of text."]})
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({name: ["This is required."]})
    if len(value) > max_length:
        raise ValidationError({name: [limits.too_long_message(max_length, len(value))]})
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
    """The phrase as a whole word or words, any case, any run of spaces between words (on folded text)."""
    return scanning.phrase_pattern(phrase)


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

    @classmethod
    def find(cls, rules, parts, findings):
        # Rules for the same phrase (any case, any spacing) share one scan and all report its hits.
        by_phrase: dict[str, list[BannedPhrase]] = {}
        for rule in rules:
            by_phrase.setdefault(" ".join(scanning.fold(rule.params["phrase"]).split()), []).append(rule)
        for name, channel, text in parts.fields():
            folded = findings.folded(text)
            for phrase, phrase_rules in by_phrase.items():
                uncounted = 0  # hits once every rule of the phrase is full: counted at the end, in one go
                for match in scanning.find_whole(_phrase_pattern(phrase), folded):
                    if uncounted or all(findings.full(rule) for rule in phrase_rules):
                        uncounted += 1
                        continue
                    for rule in phrase_rules:
                        if findings.count(rule):
                            findings.keep(rule, rule._problem_at(match, findings, name, channel, text))
                for rule in phrase_rules:
                    findings.add(rule, uncounted)

    def _problem_at(self, match: re.Match, findings: Findings, name: str, channel: str, text: str) -> Problem:
        replacement = self.params["replacement"]
        return self.problem(
            message=f"“{text[match.start() : match.end()]}” is not used in this board's content.",
            fix=f"Replace it with “{replacement}”." if replacement else "Remove it or say it another way.",
            field=name,
            channel=channel,
            at=findings.position(text, match.start()),
            span=match.span(),
        )


@register
class RequiredDisclosure(Rule):
    """Contributors' content must say it is sponsored; each variant is posted alone, so each needs it."""

    kind = "required_disclosure"
    label = "Required disclosure (contributor content)"
    help = '{"text": "#ad"}'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"text"})
        return {"text": _text_param(params, "text", max_length=limits.GUIDELINE_RULE_TAG_MAX_CHARS)}

    def describe(self):
        return f"Content by contributors says “{self.params['text']}”."

    @classmethod
    def find(cls, rules, parts, findings):
        if parts.author_role != "contributor":
            return
        for rule in rules:  # a search per text stops at the first hit: at most one pass each
            rule._find(parts, findings)

    def _find(self, parts: TextParts, findings: Findings) -> None:
        disclosure = self.params["text"]
        pattern = _phrase_pattern(disclosure)

        def says_it(text: str) -> bool:
            return next(scanning.find_whole(pattern, findings.folded(text)), None) is not None

        if not says_it(parts.title) and not says_it(parts.body):
            self.report(
                findings,
                message=f"Contributor content must carry the disclosure “{disclosure}”.",
                fix=f"Add “{disclosure}” to the body.",
                field="body",
            )
        for channel, text in sorted(parts.variants.items()):
            if text and not says_it(text):
                self.report(
                    findings,
                    message=f"This post is published on its own and lacks the disclosure “{disclosure}”.",
                    fix=f"Add “{disclosure}” to the {channel_label(channel)} text.",
                    field="variant",
                    channel=channel,
                )


# A hashtag as a whole: all of its word characters, not inside a word or after another # (find_whole).
HASHTAG_PATTERN = re.compile(r"#\w+")


def _hashtags(folded: str) -> set[str]:
    """Every hashtag in a folded text: one scan, however many hashtag rules there are."""
    return {match.group(0) for match in scanning.find_whole(HASHTAG_PATTERN, folded, also_not="#")}


@register
class RequiredHashtag(Rule):
    kind = "required_hashtag"
    label = "Required hashtag"
    help = '{"hashtag": "#PlannerLaunch"}'

    @classmethod
    def clean_params(cls, params):
        _no_extra_params(params, {"hashtag"})
        hashtag = _text_param(params, "hashtag", max_length=limits.GUIDELINE_RULE_TAG_MAX_CHARS)
        hashtag = hashtag if hashtag.startswith("#") else f"#{hashtag}"
        if not re.fullmatch(r"#\w+", hashtag):
            raise ValidationError({"hashtag": ["A hashtag is # and letters, digits or _, without spaces."]})
        return {"hashtag": hashtag}

    def describe(self):
        return f"Posts carry {self.params['hashtag']}."

    @classmethod
    def find(cls, rules, parts, findings):
        places = [("body", "", parts.body)] + [("variant", c, t) for c, t in sorted(parts.variants.items()) if t]
        title_tags = _hashtags(findings.folded(parts.title))
        for name, channel, text in places:
            present = _hashtags(findings.folded(text)) | (title_tags if name == "body" else set())
            for rule in rules:
                hashtag = rule.params["hashtag"]
                if scanning.fold(hashtag) not in present:
                    where = "the body" if name == "body" else f"the {channel_label(channel)} text"
                    rule.report(
                        findings,
                        message=f"The hashtag {hashtag} is missing.",
                        fix=f"Add {hashtag} to {where}.",
                        field=name,
                        channel=channel,
                    )


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

    @classmethod
    def find(cls, rules, parts, findings):
        for rule in rules:
            channel, limit = rule.params["channel"], rule.params["max_length"]
            text = kind_variant(parts.variants, channel)
            if len(text) > limit:
                rule.report(
                    findings,
                    message=f"The {CHANNEL_LABELS[channel]} text has {len(text)} characters; the limit is {limit}.",
                    fix=f"Cut {len(text) - limit} characters (the text from here on is over the limit).",
                    field="variant",
                    channel=channel,
                    text=text,
                    offset=limit,
                )


# On folded text, with find_whole for the word boundary before "http". The authority (user@host:port) is
# taken apart here rather than by urlsplit, which cost 50 µs a link.
URL_PATTERN = re.compile(r"https?://(?P<authority>[^\s<>()\[\]\"'/?#]*)[^\s<>()\[\]\"']*")
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
        if len(domains) > limits.GUIDELINE_RULE_DOMAINS_MAX:
            raise ValidationError({"domains": [f"List at most {limits.GUIDELINE_RULE_DOMAINS_MAX} domains."]})
        domains = list(dict.fromkeys(d.strip().lower().removeprefix("www.") for d in domains if d.strip()))
        bad = [d for d in domains if not DOMAIN_PATTERN.match(d)]
        if bad or not domains:
            raise ValidationError({"domains": [f"Not a domain name: {', '.join(bad) or '(empty)'}."]})
        return {"domains": domains}

    def describe(self):
        return f"Links go only to {', '.join(self.params['domains'])}."

    @classmethod
    def find(cls, rules, parts, findings):
        allowing_sets: dict[str, set[int]] = {}
        for index, rule in enumerate(rules):
            for domain in rule.params["domains"]:
                allowing_sets.setdefault(domain, set()).add(index)
        # domain -> the rules (their indexes) that allow links to it
        allowing = {domain: frozenset(indexes) for domain, indexes in allowing_sets.items()}
        # Hosts that the same rules allow are refused by the same rules: one list per such group.
        group_of_host: dict[str, frozenset[int]] = {}
        refusing: dict[frozenset[int], list[AllowedLinkDomains]] = {}
        uncounted: dict[frozenset[int], int] = {}  # links once every refusing rule is full
        for name, channel, text in parts.fields():
            # One scan for links, whatever the number of rules.
            for match in scanning.find_whole(URL_PATTERN, findings.folded(text)):
                host = _link_host(match)
                group = group_of_host.get(host)
                if group is None:
                    group = group_of_host[host] = _rules_allowing(host, allowing)
                    if group not in refusing:
                        refusing[group] = [rule for index, rule in enumerate(rules) if index not in group]
                if uncounted.get(group) or all(findings.full(rule) for rule in refusing[group]):
                    uncounted[group] = uncounted.get(group, 0) + 1
                    continue
                for rule in refusing[group]:
                    if findings.count(rule):
                        findings.keep(
                            rule,
                            rule.problem(
                                message=f"Links to {host or 'that address'} are not allowed on this board.",
                                fix=f"Link to {', '.join(rule.params['domains'])} instead, or remove the link.",
                                field=name,
                                channel=channel,
                                at=findings.position(text, match.start()),
                                span=(match.start(), _link_end(match)),
                            ),
                        )
        for group, number in uncounted.items():
            for rule in refusing[group]:
                findings.add(rule, number)


def _rules_allowing(host: str, allowing: dict[str, frozenset[int]]) -> frozenset[int]:
    """The rules that allow `host`: those listing it or a domain it is a subdomain of."""
    if not host or len(host) > 253:  # no such host name: nobody allows it
        return _NO_RULES
    found = []
    suffix = host
    while True:
        if suffix in allowing:
            found.append(allowing[suffix])
        dot = suffix.find(".")
        if dot < 0:
            break
        suffix = suffix[dot + 1 :]
    if len(found) < 2:
        return found[0] if found else _NO_RULES
    return frozenset().union(*found)


_NO_RULES: frozenset[int] = frozenset()


def _link_end(match: re.Match) -> int:
    """Where a URL_PATTERN match's link ends: a sentence's closing punctuation is not part of it."""
    return match.start() + len(match.group(0).rstrip(".,;:!?"))


def _link_host(match: re.Match) -> str:
    """The host name of a URL_PATTERN match, as urlsplit(url.rstrip(".,;:!?")).hostname would give it."""
    authority = match.group("authority")
    if match.end("authority") == match.end():  # nothing after the host: trailing punctuation is the sentence's
        authority = authority.rstrip(".,;:!?")
    return authority.rpartition("@")[2].partition(":")[0]


def rule_from(*, kind: str, params: dict, severity: str = ERROR, rule_id: int | None = None) -> Rule:
    if kind not in RULE_KINDS:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(RULE_KINDS)}."]})
    if severity not in dict(SEVERITIES):
        raise ValidationError({"severity": [f"Choose one of: {', '.join(dict(SEVERITIES))}."]})
    return RULE_KINDS[kind](params=params, severity=severity, rule_id=rule_id)


def check_text(
    rules: list[Rule],
    parts: TextParts,
    *,
    per_rule: int | None = PROBLEMS_SHOWN_PER_RULE,
    limit: int | None = PROBLEMS_SHOWN,
) -> CheckReport:
    """The problems, blocking errors first, then in reading order (title, body, variants): the first
    `per_rule` of each rule and `limit` in all (None: no cap), with the count of every problem found."""
    findings = Findings(rules, per_rule=per_rule)
    by_kind: dict[type[Rule], list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(type(rule), []).append(rule)
    for kind, kind_rules in by_kind.items():
        kind.find(kind_rules, parts, findings)
    field_order = {"title": 0, "body": 1, "variant": 2}
    kept = sorted(
        findings.kept,
        key=lambda item: (
            not item[1].blocking,
            field_order[item[1].field],
            item[1].channel,
            item[1].line or 0,
            item[1].column or 0,
            item[0],  # the rule's place in the list, as the rules were given
        ),
    )
    problems = [problem for _, problem in kept][:limit]
    return CheckReport(problems=problems, total=findings.total, blocking=findings.blocking)


def run_checks(rules: list[Rule], parts: TextParts) -> list[Problem]:
    """Every problem, uncapped (check_text is what pages, the API and the submit use)."""
    return check_text(rules, parts, per_rule=None, limit=None).problems
