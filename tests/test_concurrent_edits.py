"""Two people change the same item at the same moment, in two real database transactions."""

import threading

import pytest
from django.db import connection

from articles.models import ItemState
from articles.services.items import ItemConflict, item_dismiss, item_verify
from tests.factories import ChecklistItemFactory


@pytest.mark.django_db(transaction=True)
def test_the_second_writer_gets_a_conflict_and_never_overwrites_the_first(cast):
    item = ChecklistItemFactory()
    barrier = threading.Barrier(2)
    outcomes = {}

    def change(name, verb, **kwargs):
        try:
            barrier.wait(timeout=10)
            verb(item_id=item.pk, by=cast.editor, expected_version=1, **kwargs)
            outcomes[name] = "saved"
        except ItemConflict as conflict:
            outcomes[name] = conflict.current
        finally:
            connection.close()

    writers = [
        threading.Thread(target=change, args=("verify", item_verify)),
        threading.Thread(target=change, args=("dismiss", item_dismiss), kwargs={"note": "Opinion, not a claim."}),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=30)

    assert sorted(o if o == "saved" else "conflict" for o in outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser_saw = next(outcome for outcome in outcomes.values() if outcome != "saved")
    item.refresh_from_db()
    assert item.version == 2
    assert item.state == {"verify": ItemState.VERIFIED, "dismiss": ItemState.DISMISSED}[winner]
    assert loser_saw.state == item.state, "the conflict carries the winner's state"
    assert item.notes.count() == (1 if winner == "dismiss" else 0)
