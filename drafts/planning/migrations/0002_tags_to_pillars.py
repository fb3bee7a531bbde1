"""Existing tags that name a pillar of their board become that pillar (pillar_services.tags_split, the same
rule pillar_create and pillar_update apply). There were no pillars when this migration was written, so on
existing databases it finds nothing to do; it is here so that a database restored with pillars and tagged
drafts from before the rule ends up as a new one would."""

from django.db import migrations


def tags_to_pillars(apps, schema_editor):
    from drafts.planning.pillar_services import tags_split, tags_stay

    Pillar = apps.get_model("planning", "Pillar")
    Draft = apps.get_model("drafts", "Draft")
    names_by_board: dict[int, dict[str, int]] = {}
    for pk, board_id, name in Pillar.objects.values_list("pk", "board_id", "name"):
        names_by_board.setdefault(board_id, {})[name.strip().casefold()] = pk
    if not names_by_board:
        return
    through = Pillar.drafts.through
    links, changed = [], []
    for draft in Draft.objects.filter(board_id__in=names_by_board).only("pk", "board_id", "tags", "state", "version"):
        names = names_by_board[draft.board_id]
        kept, matched = tags_split(draft.tags, set(names))
        if not matched:
            continue
        links += [through(pillar_id=names[name], draft_id=draft.pk) for name in matched]
        if not tags_stay(draft.state):
            draft.tags = kept
            draft.version += 1
            changed.append(draft)
    through.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
    Draft.objects.bulk_update(changed, ["tags", "version"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(tags_to_pillars, migrations.RunPython.noop)]
