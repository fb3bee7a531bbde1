"""What changed between two revisions, as a reader would say it: words inserted and deleted in the rendered
text, tags added and removed, each channel's text, and images described by their alt text.

Words are compared with diff-match-patch: each distinct token (an HTML tag, a word, a run of spaces) is
mapped to one character, the two character strings are diffed and semantically cleaned up, and the tokens
put back with <ins>/<del> around the changed words. The markup kept is the new revision's (a deleted
paragraph's tags are dropped, its words shown deleted), so the result is as well formed as the new text.
"""

import re
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from drafts.rendering import render_markdown

# A tag (attribute values may hold ">"), a word, or a run of whitespace.
TOKEN = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|[^\s<]+|\s+""")


def _tokens(markup: str) -> list[str]:
    return TOKEN.findall(markup)


def _encode(old: list[str], new: list[str]) -> tuple[str, str, list[str]]:
    codes: dict[str, str] = {}
    vocabulary: list[str] = []

    def encode(tokens: list[str]) -> str:
        chars = []
        for token in tokens:
            if token not in codes:
                codes[token] = chr(len(vocabulary) + 1)
                vocabulary.append(token)
            chars.append(codes[token])
        return "".join(chars)

    return encode(old), encode(new), vocabulary


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def _wrap(tokens: list[str], tag: str, *, keep_tags: bool) -> str:
    """Words between tags wrapped in <ins> or <del>; tags kept (new markup) or dropped (old markup)."""
    out: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if "".join(words).strip():
            out.append(f'<{tag} class="diff-{tag}">{"".join(words)}</{tag}>')
        elif words:
            out.append("".join(words))
        words.clear()

    for token in tokens:
        if _is_tag(token):
            flush()
            if keep_tags:
                out.append(token)
        else:
            words.append(token)
    flush()
    return "".join(out)


def word_diff_markup(old: str, new: str) -> SafeString:
    """Both arguments are safe HTML (rendered and sanitized); so is the result."""
    old_chars, new_chars, vocabulary = _encode(_tokens(old), _tokens(new))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(old_chars, new_chars, False)
    dmp.diff_cleanupSemantic(diffs)
    out: list[str] = []
    for op, chars in diffs:
        tokens = [vocabulary[ord(c) - 1] for c in chars]
        if op == dmp.DIFF_EQUAL:
            out.append("".join(tokens))
        elif op == dmp.DIFF_INSERT:
            out.append(_wrap(tokens, "ins", keep_tags=True))
        else:
            out.append(_wrap(tokens, "del", keep_tags=False))
    return mark_safe("".join(out))  # noqa: S308 - built from sanitized markup and escaped text only


def word_diff_text(old: str, new: str) -> SafeString:
    """Plain text (a title, a channel's text) compared word by word; line breaks kept."""
    return word_diff_markup(_text_markup(old), _text_markup(new))


def _text_markup(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def word_diff_body(old_body: str, new_body: str) -> SafeString:
    return word_diff_markup(render_markdown(old_body), render_markdown(new_body))


@dataclass
class ImageChange:
    kind: str  # "added", "removed", "alt_changed", "moved"
    position: int  # 1-based, in the newer revision (the older one for a removed image)
    alt_text: str
    old_alt_text: str = ""
    sha256: str = ""

    @property
    def sentence(self) -> str:
        alt = f"alt text “{self.alt_text}”" if self.alt_text else "no alt text"
        if self.kind == "added":
            return f"Image added: {alt}."
        if self.kind == "removed":
            return f"Image removed: {alt}."
        if self.kind == "moved":
            return f"Image moved to position {self.position}: {alt}."
        old = f"“{self.old_alt_text}”" if self.old_alt_text else "none"
        new = f"“{self.alt_text}”" if self.alt_text else "none"
        return f"Image {self.position}: alt text changed from {old} to {new}."


def image_changes(old: list[dict], new: list[dict]) -> list[ImageChange]:
    """Images are the same picture when their bytes are (SHA-256); alt text and order may change."""
    old_by_sha = {image["sha256"]: (n, image) for n, image in enumerate(old, start=1)}
    new_shas = {image["sha256"] for image in new}
    changes = []
    for n, image in enumerate(new, start=1):
        alt, sha = image.get("alt_text", ""), image["sha256"]
        before = old_by_sha.get(sha)
        if before is None:
            changes.append(ImageChange("added", n, alt, sha256=sha))
            continue
        old_position, old_image = before
        if old_image.get("alt_text", "") != alt:
            changes.append(ImageChange("alt_changed", n, alt, old_image.get("alt_text", ""), sha256=sha))
        elif old_position != n:
            changes.append(ImageChange("moved", n, alt, sha256=sha))
    for n, image in enumerate(old, start=1):
        if image["sha256"] not in new_shas:
            changes.append(ImageChange("removed", n, image.get("alt_text", ""), sha256=image["sha256"]))
    return changes


@dataclass
class VariantChange:
    channel: str
    kind: str  # "added", "removed", "changed"
    markup: SafeString


@dataclass
class RevisionChanges:
    old_number: int
    new_number: int
    title: SafeString | None = None
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    body: SafeString | None = None
    variants: list[VariantChange] = field(default_factory=list)
    images: list[ImageChange] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.title or self.tags_added or self.tags_removed or self.body or self.variants or self.images)


def revision_changes(old, new) -> RevisionChanges:
    """Everything that differs between two DraftRevisions (old first)."""
    changes = RevisionChanges(old.number, new.number)
    if old.title != new.title:
        changes.title = word_diff_text(old.title, new.title)
    changes.tags_added = [t for t in new.tags if t not in old.tags]
    changes.tags_removed = [t for t in old.tags if t not in new.tags]
    if old.body != new.body:
        changes.body = word_diff_body(old.body, new.body)
    for channel in sorted(set(old.variants) | set(new.variants)):
        before, after = old.variants.get(channel, ""), new.variants.get(channel, "")
        if before == after:
            continue
        kind = "added" if not before else "removed" if not after else "changed"
        changes.variants.append(VariantChange(channel, kind, word_diff_text(before, after)))
    changes.images = image_changes(old.images or [], new.images or [])
    return changes
