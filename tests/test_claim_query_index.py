"""The claim tick's two queries run every second: PostgreSQL answers both from their partial indexes, so
their cost follows what is due, not every draft and publication ever written (bench_publishing --claim-cost
shows it flat from 0 to 100,000 rows)."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from publishing.services.pipeline import drafts_due_without_channels, due_publications


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # The test tables are nearly empty, where a sequential scan is cheapest whatever the indexes: with
        # it priced out, the plan shows whether an index can answer the query at all, and which one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's (run with DATABASE_URL=postgres://...)")


def test_the_claim_query_uses_the_partial_index_of_pending_publications(postgresql):
    plan = plan_of(due_publications(timezone.now())[:200])
    assert "publication_pending_due" in plan, plan
    assert "Sort" not in plan, f"the index gives the due order itself:\n{plan}"


def test_the_query_for_drafts_without_channels_uses_the_partial_index_of_scheduled_drafts(postgresql):
    plan = plan_of(drafts_due_without_channels(timezone.now())[:200])
    assert "draft_scheduled_due" in plan, plan
