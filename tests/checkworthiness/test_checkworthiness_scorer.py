"""The committed check-worthiness model: loading, scores, threshold.

No database and no Django: the scorer is a plain Python package.
"""

import json

import numpy as np
import pytest

from articles.checkworthiness import DEFAULT_MODEL_PATH, ModelFileError, load_model, load_scorer

CHECKWORTHY = [
    "Duterte has not visited the United States since he took office.",
    "The FSMTC is the executive body that regulates the export of Russian defense equipment.",
    "My opponent voted against the defense bill four times in the Senate.",
    "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
    "The governor signed a law that cut funding for public schools by $2 billion.",
    "China is the largest holder of American debt.",
]

NOT_CHECKWORTHY = [
    "Thank you very much, it's great to be here tonight.",
    "Good evening, everyone.",
    "I think we should all work together for a better future.",
    "What are you going to do about it?",
    "Let me finish, please.",
    "I believe in the American people.",
]


@pytest.fixture(scope="module")
def scorer():
    return load_scorer()


def test_the_committed_model_is_a_small_npz_file_that_loads_without_pickle():
    assert DEFAULT_MODEL_PATH.name == "model.npz"
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000
    with np.load(DEFAULT_MODEL_PATH, allow_pickle=False) as npz:
        config = json.loads(str(npz["config"]))
    assert config["format"] == "checkworthiness-linear/2"


def test_load_scorer_loads_once_and_caches(scorer):
    assert load_scorer() is scorer
    assert load_scorer(DEFAULT_MODEL_PATH) is scorer


def test_scores_are_probabilities_one_per_sentence_in_order(scorer):
    sentences = CHECKWORTHY + NOT_CHECKWORTHY
    scores = scorer.score(sentences)
    assert len(scores) == len(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert scores == scorer.score(sentences)  # deterministic
    assert scorer.score(list(reversed(sentences))) == list(reversed(scores))


def test_scoring_a_sentence_does_not_depend_on_its_batch(scorer):
    # Padding is masked out, so only float32 rounding of the batched transformer differs.
    alone = [scorer.score([s])[0] for s in CHECKWORTHY + NOT_CHECKWORTHY]
    assert scorer.score(CHECKWORTHY + NOT_CHECKWORTHY) == pytest.approx(alone, abs=1e-6)


def test_every_clearly_checkworthy_sentence_outscores_every_opinion_greeting_or_question(scorer):
    worthy = scorer.score(CHECKWORTHY)
    unworthy = scorer.score(NOT_CHECKWORTHY)
    assert min(worthy) > max(unworthy), (worthy, unworthy)


def test_threshold_separates_clear_cases(scorer):
    assert 0.0 < scorer.threshold < 1.0
    assert sum(scorer.is_checkworthy(s) for s in scorer.score(CHECKWORTHY)) >= len(CHECKWORTHY) - 1
    assert not any(scorer.is_checkworthy(s) for s in scorer.score(NOT_CHECKWORTHY))


def test_is_checkworthy_compares_with_the_threshold(scorer):
    assert scorer.is_checkworthy(scorer.threshold)
    assert not scorer.is_checkworthy(scorer.threshold - 1e-9)
    assert scorer.predict(["Good evening, everyone."]) == [False]


def test_typographic_quotes_score_like_ascii_ones(scorer):
    curly = scorer.score(["He said the plant doesn\u2019t meet \u201csafety rules\u201d."])
    plain = scorer.score(['He said the plant doesn\'t meet "safety rules".'])
    assert curly == pytest.approx(plain)


def test_edge_inputs(scorer):
    assert scorer.score([]) == []
    (empty, symbols) = scorer.score(["", "?!"])
    assert 0.0 <= empty <= 1.0 and 0.0 <= symbols <= 1.0
    with pytest.raises(TypeError):
        scorer.score("a single string is not a list of sentences")


def test_a_missing_or_foreign_model_file_is_a_model_file_error(tmp_path):
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "absent.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip archive")
    with pytest.raises(ModelFileError):
        load_model(garbage)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, config=np.array(json.dumps({"format": "something-else"})))
    with pytest.raises(ModelFileError, match="unsupported model format"):
        load_model(foreign)


def test_a_sentence_scores_the_same_whether_remembered_or_not():
    scorer = load_model()
    fresh = scorer.score(CHECKWORTHY + NOT_CHECKWORTHY)

    remembered = scorer.score(NOT_CHECKWORTHY + CHECKWORTHY + CHECKWORTHY[:1])
    scorer.forget_scores()
    again = scorer.score(CHECKWORTHY + NOT_CHECKWORTHY)

    assert remembered == fresh[len(CHECKWORTHY):] + fresh[: len(CHECKWORTHY)] + fresh[:1]
    assert again == pytest.approx(fresh, abs=1e-6)


def test_the_memory_of_recent_scores_is_bounded_and_keeps_the_most_recent(monkeypatch):
    from articles.checkworthiness import model

    monkeypatch.setattr(model, "SCORE_CACHE_SIZE", 3)
    scorer = load_model()
    scorer.score(CHECKWORTHY[:4])
    scorer.score(CHECKWORTHY[1:2])  # used again: the most recent now

    assert set(scorer._cache) == {CHECKWORTHY[2], CHECKWORTHY[3], CHECKWORTHY[1]}
