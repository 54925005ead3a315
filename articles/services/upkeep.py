"""Keeping the service's PostgreSQL tables fast to read as they grow and change.

Every article is written several times on its way to a checklist (its status, its kept
progress) and every item change rewrites its row, so the tables gather dead row versions
and pages the visibility map no longer marks all-visible. Until they are vacuumed, counts
and lists read the whole table instead of an index alone, and get slower with the archive.
PostgreSQL's autovacuum does this when it is on, with lax thresholds (a fifth of a table);
a server may run with it off. This pass vacuums and analyzes the service's own tables as
soon as a small share of one has changed, whatever the server's settings: beat runs it
every ``FACTCHECK_UPKEEP_SECONDS`` and workers send it as they work. Other databases
(SQLite, the quick start) need nothing of the kind.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection

logger = logging.getLogger(__name__)

# A table is vacuumed once this share of its rows (and at least BASE_ROWS rows) are dead
# versions, or were inserted since its last vacuum (new pages are not yet all-visible).
CHANGED_SHARE = 0.05
BASE_ROWS = 500
# One pass at a time, across every worker: the key of its advisory lock.
UPKEEP_LOCK_KEY = 0x46430002


@dataclass(frozen=True)
class TableState:
    name: str
    live_rows: int
    dead_rows: int
    inserted_since_vacuum: int

    @property
    def due(self) -> bool:
        threshold = BASE_ROWS + CHANGED_SHARE * self.live_rows
        return self.dead_rows > threshold or self.inserted_since_vacuum > threshold


@dataclass(frozen=True)
class UpkeepResult:
    vacuumed: tuple[str, ...] = ()
    seconds: float = 0.0
    skipped: str = ""


def service_tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_app_config("articles").get_models()})


def table_states() -> list[TableState]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, n_dead_tup, n_ins_since_vacuum FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(%s)",
            [service_tables()],
        )
        return [TableState(*row) for row in cursor.fetchall()]


def database_upkeep() -> UpkeepResult:
    """Vacuum and analyze the service's tables that are due; one pass at a time."""
    if connection.vendor != "postgresql":
        return UpkeepResult(skipped="not PostgreSQL")
    if connection.in_atomic_block:
        return UpkeepResult(skipped="inside a transaction")  # VACUUM cannot run in one
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [UPKEEP_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return UpkeepResult(skipped="another pass is running")
        try:
            started = time.perf_counter()
            due = [state.name for state in table_states() if state.due]
            for table in due:
                # SKIP_LOCKED: a table someone holds a conflicting lock on (a migration) waits
                # for the next pass instead of holding this worker up.
                cursor.execute(f"VACUUM (ANALYZE, SKIP_LOCKED) {connection.ops.quote_name(table)}")
            seconds = time.perf_counter() - started
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [UPKEEP_LOCK_KEY])
    if due:
        logger.info("vacuumed and analyzed %s in %.2f s", ", ".join(due), seconds)
    return UpkeepResult(vacuumed=tuple(due), seconds=seconds)
