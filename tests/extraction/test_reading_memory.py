"""The language pipeline remembers what it read in recent sentences: a sentence read again,
in another article or another place, reads exactly as it did the first time."""

from articles.extraction.nlp import pipeline

FIRST = "Defense Secretary Delfin Lorenzana met Russian Ambassador Igor Khovaev in Manila on Monday."
SECOND = "The $233-million agreement with Canada was signed in Ottawa, officials said."


def read(body: str):
    sentences = [(start, start + len(line)) for start, line in _lines(body)]
    analysis = pipeline().analyse(body, parse_spans=sentences, entity_spans=sentences)
    return (
        [(e.start, e.end, e.label, e.text) for e in analysis.entities],
        [(t.start, t.end, t.text, t.tag, t.dep, t.head) for t in analysis.tokens],
    )


def _lines(body: str):
    start = 0
    for line in body.split("\n"):
        yield start, line
        start += len(line) + 1


def test_a_sentence_read_again_elsewhere_reads_as_it_did_new():
    nlp = pipeline()
    nlp.forget()
    fresh = read(f"{FIRST}\n{SECOND}")
    nlp.forget()
    moved_first_fresh = read(f"{SECOND}\nIn other news.\n{FIRST}")

    remembered = read(f"{FIRST}\n{SECOND}")
    moved_first_remembered = read(f"{SECOND}\nIn other news.\n{FIRST}")

    assert remembered == fresh
    assert moved_first_remembered == moved_first_fresh
    assert any(label == "PERSON" and text == "Igor Khovaev" for *_, label, text in fresh[0])


def test_the_memory_is_bounded(monkeypatch):
    from articles.memo import RecentResults

    nlp = pipeline()
    monkeypatch.setattr(nlp, "_entities_of", RecentResults(2))
    read("One sentence here.\nAnother one there.\nA third one now.")

    assert len(nlp._entities_of) == 2
