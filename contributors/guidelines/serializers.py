from rest_framework import serializers

from cocreate import limits
from cocreate.api import IdField
from contributors.guidelines.checks import PROBLEMS_SHOWN, PROBLEMS_SHOWN_PER_RULE, RULE_KINDS, SEVERITIES
from contributors.guidelines.models import GuidelineRule, GuidelineVersion


def _version_field(**kwargs):
    return serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The guidelines' version you started from; if given, refused with 409 when stale.",
        **kwargs,
    )


class RuleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    description = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=[(kind, cls.label) for kind, cls in RULE_KINDS.items()])
    severity = serializers.ChoiceField(choices=SEVERITIES)
    params = serializers.JSONField(
        help_text="Per kind: " + "; ".join(f"{kind}: {cls.help}" for kind, cls in RULE_KINDS.items())
    )

    version = _version_field(write_only=True)

    class Meta:
        model = GuidelineRule
        fields = ["id", "kind", "label", "severity", "params", "description", "version"]

    def get_description(self, rule) -> str:
        return rule.as_rule().describe()


class RuleUpdateSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=SEVERITIES, required=False)
    params = serializers.JSONField(required=False)
    version = _version_field()


class GuidelineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="board.pk", read_only=True, help_text="The board's id.")
    board = serializers.CharField(source="board.slug", read_only=True)
    brand = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=limits.GUIDELINE_TEXT_MAX_CHARS
    )
    tone = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=limits.GUIDELINE_TEXT_MAX_CHARS
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="0 until someone writes guidelines. In a change: the version you started from (409 when stale).",
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rules = serializers.SerializerMethodField()

    def get_rules(self, guideline) -> list[dict]:
        rules = guideline.rules.all() if guideline.pk else []
        return RuleSerializer(rules, many=True).data


class GuidelineUpdateSerializer(serializers.Serializer):
    """A change of the brand guidelines: it must say which version it started from, like a draft's edit."""

    brand = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=limits.GUIDELINE_TEXT_MAX_CHARS
    )
    tone = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=limits.GUIDELINE_TEXT_MAX_CHARS
    )
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The version you started editing from (0 for none; 409 when stale)."
    )


class GuidelineVersionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = GuidelineVersion
        fields = ["number", "change", "author", "created_at", "brand", "tone", "rules"]


class CheckSerializer(serializers.Serializer):
    """The limits are a draft's (cocreate/limits.py): text no draft could hold is refused, not checked."""

    title = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False, max_length=limits.DRAFT_TITLE_MAX_CHARS
    )
    body = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False, max_length=limits.DRAFT_BODY_MAX_CHARS
    )
    variants = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=limits.DRAFT_VARIANT_MAX_CHARS),
        required=False,
        default=dict,
    )
    draft = IdField(
        required=False, allow_null=True, default=None, help_text="Check as this draft's author (default: you)."
    )


class ProblemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    fix = serializers.CharField()
    field = serializers.CharField()
    channel = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField(
        allow_null=True, help_text="Where the wrong passage starts: characters (code points) into the field's text."
    )
    end = serializers.IntegerField(allow_null=True, help_text="Where it ends (exclusive); null when start is.")
    where = serializers.CharField()
    rule_id = serializers.IntegerField(allow_null=True)


class CheckResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    blocking = serializers.BooleanField(help_text="Whether a submit would be refused.")
    total = serializers.IntegerField(help_text="How many problems there are; only the first ones are listed.")
    problems = ProblemSerializer(
        many=True,
        help_text=(
            f"Blocking first, in reading order: the first {PROBLEMS_SHOWN_PER_RULE} per rule, {PROBLEMS_SHOWN} in all."
        ),
    )
