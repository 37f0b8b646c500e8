"""Fuzzing: arbitrary bytes and Unicode through the whole CLI never give a traceback."""
import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimx.cli import main

ARABIC_SOUP = st.text(st.sampled_from(list("قال المرصد إن «الهجوم» فشل. ونفى\r\n\t\u00a0\u200f\ufeffً،؟…|{}\"' .:0123٤٥")),
                      max_size=300)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def invoke(args, data):
    result = CliRunner().invoke(main, args, input=data)
    # a crash shows as an exception other than SystemExit (click turns errors into exits)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    for line in result.stdout.splitlines():
        json.loads(line)
    return result


@SETTINGS
@given(st.binary(max_size=600))
def test_io_fuzz_bytes_on_stdin(data):
    invoke(["extract", "-", "-q"], data)


@SETTINGS
@given(st.one_of(st.text(max_size=300), ARABIC_SOUP))
def test_io_fuzz_text_on_stdin(text):
    invoke(["extract", "-", "-q"], text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".txt", ".html", ".jsonl", ".htm"]))
def test_io_fuzz_bytes_as_files(tmp_path, data, suffix):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    invoke(["extract", str(path), "-q", "--max-bytes", "300"], None)
    invoke(["normalize", str(path), "-q"], None)


@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=80), st.dictionaries(st.sampled_from(["id", "text", "doc", "url"]),
                                                                 st.one_of(st.none(), st.integers(), st.text(max_size=60),
                                                                           st.lists(st.integers(), max_size=2))),
                          ), max_size=6))
def test_io_fuzz_jsonl_records(tmp_path, items):
    lines = [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in items]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(line.replace("\n", " ") for line in lines), "utf-8", errors="surrogatepass")
    invoke(["extract", str(path), "-q"], None)


@SETTINGS
@given(ARABIC_SOUP)
def test_io_fuzz_html_pages(tmp_path, text):
    path = tmp_path / "x.html"
    path.write_text(f"<html><body><article><p>{text}</p></article><nav>{text}</nav></body></html>", "utf-8",
                    errors="surrogatepass")
    invoke(["extract", str(path), "-q"], None)
