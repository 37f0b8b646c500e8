"""Bytes to text: BOMs, UTF-8, detected legacy encodings, binary sniffing, sizes."""
import pytest

from claimx.errors import InputError
from claimx.io import decode, document_from_bytes, encoding_label, parse_size, sniff_binary
from conftest import SEEDS

TEXT = (SEEDS / "000_f8c17ac62d247ec4.txt").read_text("utf-8")


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-32"), "utf-32-le"),
    (TEXT.encode("cp1256"), "windows-1256"),
    (TEXT.encode("iso8859_6"), "iso-8859-6"),
    (TEXT[:200].encode("cp1256"), "windows-1256"),
])
def test_io_decode_gives_the_original_text(data, encoding):
    assert decode(data, "x.txt") == (TEXT[:200] if len(data) < 1000 else TEXT, encoding)


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_io_decode_keeps_line_ends(line_end):
    text, _ = decode(TEXT.replace("\n", line_end).encode("utf-8"), "x.txt")
    assert text == TEXT.replace("\n", line_end)


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.7\n...", "a PDF document"),
    (b"PK\x03\x04" + b"\x00" * 20, "a ZIP archive"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip-compressed"),
    (b"SQLite format 3\x00" + b"\x00" * 100, "an SQLite database"),
    (b"abc\x00def", "NUL bytes"),
    (bytes(range(1, 32)) * 20, "control bytes"),
])
def test_io_decode_binary_reported(data, reason):
    with pytest.raises(InputError) as e:
        decode(data, "x.txt")
    assert "looks like a binary file" in e.value.reason and reason in e.value.reason
    assert e.value.hint


def test_io_decode_mostly_utf8_with_a_bad_byte_is_not_guessed():
    cut = len(TEXT[:50].encode("utf-8"))
    data = TEXT[:50].encode("utf-8") + b"\xff" + TEXT[50:].encode("utf-8")
    with pytest.raises(InputError) as e:
        decode(data, "x.txt")
    assert e.value.reason == f"not valid UTF-8: 1 invalid byte sequence(s), the first at byte {cut}"
    assert "re-encode" in e.value.hint


def test_io_decode_undetectable_reported_with_what_to_do():
    with pytest.raises(InputError) as e:
        decode(b"\x81\x8d\x8f\x90\x9d\xa0\xff" * 10, "x.txt")
    assert "could not be detected" in e.value.reason
    assert "iconv" in e.value.hint


def test_io_decode_bad_utf16_after_bom():
    with pytest.raises(InputError, match="byte-order mark but is not valid UTF-16"):
        decode(b"\xff\xfe" + b"\x00\xd8", "x.txt")  # a lone surrogate


def test_io_sniff_binary_lets_text_through():
    assert sniff_binary(TEXT.encode("utf-8")) is None
    assert sniff_binary(TEXT.encode("utf-16")) is None
    assert sniff_binary(TEXT.encode("cp1256")) is None


@pytest.mark.parametrize("data, reason", [(b"", "empty file"), (b" \n\t", "only white space"),
                                          (b"\xef\xbb\xbf", "only white space")])
def test_io_empty_documents_are_errors(data, reason):
    with pytest.raises(InputError, match=reason):
        document_from_bytes(data, "x.txt", "x")


def test_io_encoding_labels():
    assert encoding_label("cp1256") == "windows-1256"
    assert encoding_label("iso8859_6") == "iso-8859-6"
    assert encoding_label("utf_8") == "utf-8"


@pytest.mark.parametrize("text, n", [("20MB", 20_000_000), ("512k", 512_000), ("1MiB", 2**20), ("1000", 1000),
                                     ("1.5m", 1_500_000), ("2 GB", 2_000_000_000), ("10b", 10)])
def test_io_parse_size(text, n):
    assert parse_size(text) == n


def test_io_parse_size_rejects_nonsense():
    with pytest.raises(ValueError, match="try 20MB"):
        parse_size("big")
