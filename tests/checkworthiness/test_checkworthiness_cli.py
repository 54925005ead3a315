"""`checkworthiness FILE.tsv`: output format and error paths.

The logic lives in articles.checkworthiness.cli (plain Python); the Django management
command is a thin wrapper, exercised at the end.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.checkworthiness import load_scorer
from articles.checkworthiness.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sentences_tsv(tmp_path):
    path = tmp_path / "sentences.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\tspeaker\n"
        "s1\tThe senator voted against the bill three times.\tYes\tA\n"
        's2\t"Well, he said ""no"" to that, didn\'t he?"\tNo\tB\n'
        "s3\tThank you.\tNo\tC\n"
        "\n"
        "s4\tUnemployment doubled in two years.\t\t\n",
        encoding="utf-8",
    )
    return path


def test_prints_id_decision_and_score_for_every_row_in_input_order(sentences_tsv):
    code, out, err = run_cli(sentences_tsv)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["s1", "s2", "s3", "s4"]
    scorer = load_scorer()
    for line in lines:
        sentence_id, decision, score = line.split("\t")
        assert decision in ("Yes", "No")
        assert len(score.split(".")[1]) == 4
        assert decision == ("Yes" if scorer.is_checkworthy(float(score)) else "No") or \
            abs(float(score) - scorer.threshold) < 1e-4


def test_scores_the_unquoted_text_of_csv_quoted_fields(sentences_tsv):
    _, out, _ = run_cli(sentences_tsv)
    s2 = float(out.splitlines()[1].split("\t")[2])
    expected = load_scorer().score(["Well, he said \"no\" to that, didn't he?"])[0]
    assert s2 == pytest.approx(expected, abs=1e-4)


def test_accepts_a_header_with_only_the_two_required_columns_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "two.tsv"
    path.write_bytes("\ufeffSentence_id\tText\n7\tHello there.\n".encode("utf-8"))
    code, out, _ = run_cli(path)
    assert code == 0
    assert out.startswith("7\tNo\t")


def test_a_header_only_file_prints_nothing(tmp_path):
    path = tmp_path / "empty_body.tsv"
    path.write_text("Sentence_id\tText\n", encoding="utf-8")
    assert run_cli(path) == (0, "", "")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"id\tsentence\n1\tHello.\n", "header must start with 'Sentence_id<TAB>Text', found 'id<TAB>sentence'"),
        (b"Text\tSentence_id\n", "header must start with 'Sentence_id<TAB>Text'"),
        (b"Sentence_id,Text\n1,Hello.\n", "header must start with 'Sentence_id<TAB>Text'"),
        ("Sentence_id\tText\n1\tCaf\u00e9 prices rose.\n".encode("latin-1"), "not UTF-8"),
        (b"Sentence_id\tText\n1\n", "line 2: expected at least 2 tab-separated columns"),
    ],
    ids=["missing", "empty", "wrong-header", "swapped-header", "comma-separated", "latin-1", "short-row"],
)
def test_a_bad_file_gives_one_error_line_and_exit_status_2(tmp_path, content, message):
    path = tmp_path / "input.tsv"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run_cli(path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("checkworthiness: error: ")
    assert message in err


def test_a_directory_is_rejected(tmp_path):
    code, _, err = run_cli(tmp_path)
    assert code == 2 and "is a directory" in err


def test_as_a_process_an_error_shows_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "articles.checkworthiness.cli", str(tmp_path / "absent.tsv")],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0
    assert "Traceback" not in proc.stderr and "no such file" in proc.stderr


def _manage_py(*args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="factcheck.test_settings")
    return subprocess.run(
        [sys.executable, "manage.py", "checkworthiness", *map(str, args)],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env,
    )


def test_management_command_prints_the_same_lines(sentences_tsv):
    proc = _manage_py(sentences_tsv)
    assert proc.returncode == 0, proc.stderr
    _, expected, _ = run_cli(sentences_tsv)
    assert proc.stdout == expected


def test_management_command_reports_a_bad_file_in_one_line_without_traceback(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(b"id\ttext\n")
    proc = _manage_py(path)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    # Settings may log start-up notes first; the error itself is the one last line.
    last_line = proc.stderr.strip().splitlines()[-1]
    assert last_line.startswith("CommandError: ") and "header must start with" in last_line
