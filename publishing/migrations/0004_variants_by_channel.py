"""Variants belong to the board's channels: `channel:<id>` or `kind:<kind>` keys instead of a channel
setting naming a free-form key. And the fingerprints of what is waiting to go out are taken again over the
rendered post (publishing.rendering), so an upgrade does not fail every publication scheduled before it.

Old keys become: `channel:<id>` for each channel whose "variant" setting named the key (that is what it
sent); else `kind:<key>` when the key is a channel kind (the editor's "Bluesky text" box was meant for
Bluesky); a key nothing can place is dropped from the draft (its revisions keep it, as history).
A waiting publication whose fingerprint still matched its content under the old rules gets the fingerprint
of the same content under the new ones; one that did not match (changed outside the app) keeps its old
fingerprint, so it is still stopped and flagged, as before.
"""

import hashlib
import json

from django.db import migrations, models

WAITING = ("pending", "claimed")
KINDS = {
    "webhook", "wordpress", "mastodon", "bluesky", "linkedin", "x", "facebook", "pinterest", "slack", "discord", "email"
}


def _images(draft):
    return [[image.sha256, image.alt_text] for image in draft.images.order_by("position", "pk")]


def _legacy_fingerprint(draft, channel) -> str:
    text = draft.variants.get((channel.settings or {}).get("variant", ""), "") or draft.body
    content = {"title": draft.title, "text": text, "tags": list(draft.tags), "images": _images(draft)}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _fingerprint(draft, channel) -> str:
    # The live rendering code, on purpose: the fingerprint must be what the pipeline will compare against.
    from publishing.rendering import format_for, markdown_for

    rendered = format_for(channel.kind, markdown_for(draft, channel))
    content = {"title": draft.title, "text": rendered.text, "tags": list(draft.tags), "images": _images(draft)}
    if rendered.html:
        content["html"] = rendered.html
    if rendered.extra:
        content["extra"] = dict(rendered.extra)
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _convert(variants: dict, users: dict[str, list[int]], *, keep_unknown: bool) -> dict:
    converted = {}
    for key, text in (variants or {}).items():
        if key.startswith(("channel:", "kind:")):
            converted[key] = text
        elif users.get(key):
            for channel_id in users[key]:
                converted[f"channel:{channel_id}"] = text
        elif key in KINDS:
            converted[f"kind:{key}"] = text
        elif keep_unknown:
            converted[key] = text
    return converted


def forwards(apps, schema_editor):
    Channel = apps.get_model("publishing", "Channel")
    Publication = apps.get_model("publishing", "Publication")
    Draft = apps.get_model("drafts", "Draft")
    DraftRevision = apps.get_model("drafts", "DraftRevision")

    waiting = list(Publication.objects.filter(state__in=WAITING).select_related("draft", "channel"))
    still_approved = {p.pk for p in waiting if p.content_sha256 == _legacy_fingerprint(p.draft, p.channel)}

    users_by_board: dict[int, dict[str, list[int]]] = {}
    for channel in Channel.objects.order_by("pk"):
        key = (channel.settings or {}).get("variant")
        if key:
            users_by_board.setdefault(channel.board_id, {}).setdefault(key, []).append(channel.pk)
    for draft in Draft.objects.exclude(variants={}):
        draft.variants = _convert(draft.variants, users_by_board.get(draft.board_id, {}), keep_unknown=False)
        draft.save(update_fields=["variants"])
    for revision in DraftRevision.objects.exclude(variants={}).select_related("draft"):
        users = users_by_board.get(revision.draft.board_id, {})
        revision.variants = _convert(revision.variants, users, keep_unknown=True)
        revision.save(update_fields=["variants"])
    for channel in Channel.objects.all():
        if "variant" in (channel.settings or {}):
            channel.settings = {k: v for k, v in channel.settings.items() if k != "variant"}
            channel.save(update_fields=["settings"])

    for publication in Publication.objects.filter(pk__in=still_approved).select_related("draft", "channel"):
        publication.content_sha256 = _fingerprint(publication.draft, publication.channel)
        publication.save(update_fields=["content_sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_publication_content_sha256"),
        ("drafts", "0004_revision_review_round"),
    ]

    operations = [
        migrations.AlterField(
            model_name="channel",
            name="settings",
            field=models.JSONField(
                blank=True, default=dict, help_text='Non-secret settings of its kind, e.g. {"url": "https://..."}.'
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
