"""Worker processes share what they read of each sentence through Redis: a sentence one
process read, another finds instead of reading it again, and reads exactly the same; Redis
being away changes nothing but the speed."""

import logging

import pytest
import redis

from articles.extraction.engine import extract_claims, forget_recent_readings
from articles.memo import Codec, RecentResults, share_with
from articles.shared_readings import KEY_PREFIX, RedisReadings, share_readings

ARTICLE = (
    "Defense Secretary Delfin Lorenzana met Russian Ambassador Igor Khovaev in Manila on Monday.\n\n"
    "The $233-million agreement with Canada was signed in Ottawa, officials said.\n\n"
    '"We are ready to organize a joint production," Khovaev said.\n\n'
    "It was the first-ever visit of a Philippine secretary of National Defense to Russia since 1976.\n\n"
    "The Philippine military has relied almost entirely on American weapons for decades."
)
TEXT_CODEC = Codec(lambda value: value.encode(), lambda raw: raw.decode())


@pytest.fixture
def shared_redis(redis_broker_url):
    client = redis.Redis.from_url(redis_broker_url)

    def clear():
        for key in client.scan_iter(f"{KEY_PREFIX}*"):
            client.delete(key)

    clear()
    yield client
    share_with(None)
    forget_recent_readings()
    clear()


def shared_keys(client) -> set[bytes]:
    return set(client.scan_iter(f"{KEY_PREFIX}*"))


class WorkCounter:
    def __init__(self):
        self.asked: list[str] = []

    def __call__(self, texts):
        self.asked.extend(texts)
        return [text.upper() for text in texts]


def test_a_result_worked_out_in_one_process_is_found_by_another(shared_redis, redis_broker_url):
    share_with(RedisReadings(redis_broker_url, ttl_seconds=60))
    first_process = RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC)
    second_process = RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC)
    first_work, second_work = WorkCounter(), WorkCounter()

    assert first_process.recall(["a", "b"], first_work) == ["A", "B"]
    assert second_process.recall(["b", "a", "c"], second_work) == ["B", "A", "C"]

    assert first_work.asked == ["a", "b"]
    assert second_work.asked == ["c"]


def test_results_of_another_model_version_are_not_mixed_in(shared_redis, redis_broker_url):
    share_with(RedisReadings(redis_broker_url, ttl_seconds=60))
    RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC).recall(["a"], WorkCounter())
    newer, work = RecentResults(10, namespace="upper:v2", codec=TEXT_CODEC), WorkCounter()

    newer.recall(["a"], work)

    assert work.asked == ["a"]


def test_shared_results_expire(shared_redis, redis_broker_url):
    share_with(RedisReadings(redis_broker_url, ttl_seconds=60))
    RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC).recall(["a"], WorkCounter())

    (key,) = shared_keys(shared_redis)
    assert 0 < shared_redis.ttl(key) <= 60


def test_an_unreadable_shared_value_is_worked_out_again(shared_redis, redis_broker_url):
    share_with(RedisReadings(redis_broker_url, ttl_seconds=60))
    RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC).recall(["a"], WorkCounter())
    (key,) = shared_keys(shared_redis)
    shared_redis.set(key, b"\xff\xfe not text")
    work = WorkCounter()

    assert RecentResults(10, namespace="upper:v1", codec=TEXT_CODEC).recall(["a"], work) == ["A"]
    assert work.asked == ["a"]


def test_an_article_read_by_another_process_reads_the_same_from_the_shared_store(shared_redis, redis_broker_url):
    forget_recent_readings()
    unshared = extract_claims(ARTICLE)
    forget_recent_readings()
    share_readings(redis_broker_url, 60)

    first = extract_claims(ARTICLE)
    stored = shared_keys(shared_redis)
    forget_recent_readings()  # another process: nothing remembered locally
    second = extract_claims(ARTICLE)

    assert first == second == unshared
    assert {"quote", "money", "statement"} <= {c.kind for c in first}
    # The whole checklist, entities, parses and check-worthiness scores were all shared, and
    # nothing new was read.
    assert {key.split(b":")[2] for key in stored} == {b"checklist", b"entities", b"parse", b"checkworthiness"}
    assert shared_keys(shared_redis) == stored


def test_an_edited_article_reads_only_its_new_sentences(shared_redis, redis_broker_url):
    share_readings(redis_broker_url, 60)
    extract_claims(ARTICLE)
    forget_recent_readings()
    before = shared_keys(shared_redis)
    new_sentence = "The defence ministry said the contract covers 16 helicopters."

    edited = extract_claims(ARTICLE + "\n\n" + new_sentence)

    added = {key.split(b":")[2] for key in shared_keys(shared_redis) - before}
    assert added <= {b"checklist", b"entities", b"parse", b"checkworthiness"} and b"checklist" in added
    # One new checklist, and readings of the one new sentence only (one key per kind).
    assert len(shared_keys(shared_redis) - before) <= 4
    assert any(claim.kind == "number" and "16" in claim.text for claim in edited)


def test_a_checklist_is_remembered_only_for_the_same_date_and_tier_policy(shared_redis):
    import datetime

    from articles.extraction.tiers import DEFAULT_POLICY, TierRule

    body = "The Philippine military signed the contract last Tuesday.\n\nThe ministry will pay $40 million."
    forget_recent_readings()
    undated = extract_claims(body)
    dated = extract_claims(body, published_on=datetime.date(2017, 1, 5))
    all_recommended = extract_claims(body, tier_policy=[TierRule(tier="recommended")])

    assert undated == extract_claims(body, tier_policy=DEFAULT_POLICY)
    assert {claim.tier for claim in all_recommended} == {"recommended"} != {claim.tier for claim in undated}
    (last_tuesday,) = [claim for claim in dated if claim.text == "last Tuesday"]
    assert "3 January 2017" in last_tuesday.guidance
    assert not any("2017" in claim.guidance for claim in undated)


def test_the_caller_gets_its_own_copy_of_a_remembered_checklist():
    forget_recent_readings()
    first = extract_claims(ARTICLE)
    first[0].extra["changed by the caller"] = True

    again = extract_claims(ARTICLE)

    assert "changed by the caller" not in again[0].extra


def test_extraction_goes_on_when_redis_is_away(shared_redis, caplog):
    forget_recent_readings()
    expected = extract_claims(ARTICLE)
    forget_recent_readings()
    share_readings("redis://127.0.0.1:1/0", 60)

    with caplog.at_level(logging.WARNING, logger="articles.shared_readings"):
        claims = extract_claims(ARTICLE)

    assert claims == expected
    warnings = [r for r in caplog.records if r.name == "articles.shared_readings"]
    assert len(warnings) == 1 and "shared readings unavailable" in warnings[0].getMessage()


def test_sharing_is_off_without_a_redis_url_or_with_a_ttl_of_zero(redis_broker_url):
    from articles.memo import shared_store

    try:
        assert share_readings(None, 60) is None and shared_store() is None
        assert share_readings(redis_broker_url, 0) is None and shared_store() is None
        assert share_readings(redis_broker_url, 60) is shared_store() is not None
    finally:
        share_with(None)


def test_a_very_long_article_is_read_but_its_checklist_not_kept_whole(shared_redis, redis_broker_url, monkeypatch):
    from articles.extraction import engine

    monkeypatch.setattr(engine, "REMEMBERED_ARTICLE_MAX_CHARS", len(ARTICLE) - 1)
    forget_recent_readings()
    share_readings(redis_broker_url, 60)

    extract_claims(ARTICLE)

    kinds = {key.split(b":")[2] for key in shared_keys(shared_redis)}
    assert b"checklist" not in kinds and b"entities" in kinds
