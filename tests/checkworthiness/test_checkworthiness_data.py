"""Reading CheckThat!-style TSV files and the features shared by training and scoring."""

import pytest

from articles.checkworthiness import features as F
from articles.checkworthiness.data import InputFileError, Row, read_labelled, read_sentences


def write(tmp_path, text, name="f.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_labelled_rows_unquote_csv_fields(tmp_path):
    path = write(tmp_path, 'Sentence_id\tText\tclass_label\n26\t"I saw ""Crocodile Dundee."""\tNo\n80\tWe use 50 percent.\tYes\n')
    assert read_labelled(path) == [Row("26", 'I saw "Crocodile Dundee."', False), Row("80", "We use 50 percent.", True)]


def test_two_records_fused_on_one_line_are_split(tmp_path):
    # As on line 16877 of the public CT24 English train file.
    path = write(tmp_path, "Sentence_id\tText\tclass_label\n"
                           "24098\tWe've got to invest and grow.\tNo29286\tYou can't bring back jobs.\tNo\n")
    assert read_labelled(path) == [Row("24098", "We've got to invest and grow.", False),
                                   Row("29286", "You can't bring back jobs.", False)]


def test_a_stray_quote_does_not_swallow_the_following_rows(tmp_path):
    path = write(tmp_path, 'Sentence_id\tText\n1\t"Unbalanced quote starts here\n2\tNext row.\n')
    assert [r.sentence_id for r in read_sentences(path)] == ["1", "2"]


def test_labels_must_be_yes_or_no(tmp_path):
    path = write(tmp_path, "Sentence_id\tText\tclass_label\n1\tHello.\tMaybe\n")
    with pytest.raises(InputFileError, match="line 2: class_label must be Yes or No"):
        read_labelled(path)


def test_a_labelled_file_needs_the_label_column(tmp_path):
    with pytest.raises(InputFileError, match="third column must be 'class_label'"):
        read_labelled(write(tmp_path, "Sentence_id\tText\n1\tHello.\n"))


def test_numbers_are_folded_so_their_values_do_not_matter():
    assert F.word_tokens("It cost $4.5 billion in 2019, up 12%.") == \
        ["it", "cost", "$", "0", "billion", "in", "0", "up", "0", "%"]
    assert F.char_ngrams("7", 2, 3) == [" 0", "0 ", " 0 "]


def test_hand_features_have_a_name_each_and_stay_in_range():
    for text in ["", "Thank you.", "Is it true that 40% of Americans earned $1 million in 2019?",
                 "The largest company in Texas fired more workers than Exxon."]:
        values = F.hand_features(text)
        assert len(values) == len(F.HAND_FEATURE_NAMES)
        assert all(0.0 <= v <= 1.5 for v in values)


def test_bert_words_and_wordpiece_follow_the_uncased_bert_tokenizer():
    assert F.bert_words("Duterte hasn\u2019t visited the U.S. — Caf\u00e9!") == \
        ["duterte", "hasn", "'", "t", "visited", "the", "u", ".", "s", ".", "-", "cafe", "!"]
    vocab = {"un", "##afford", "##able", "afford", "[UNK]"}
    assert F.wordpiece("unaffordable", vocab) == ["un", "##afford", "##able"]
    assert F.wordpiece("afford", vocab) == ["afford"]
    assert F.wordpiece("xyz", vocab) == ["[UNK]"]
