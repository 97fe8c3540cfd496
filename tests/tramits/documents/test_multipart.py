"""Every part of a multipart body reaches the request: what Django's parser drops comes back as a lost upload."""

import pytest
from django.test import RequestFactory

from tests.tramits.documents.multipart_bodies import CONTENT_TYPE, body, field, file
from tramits.documents.multipart import LOST_PARTS_KEY, is_lost

PDF = b"%PDF-1.4 document\n"


def parsed(raw: bytes):
    request = RequestFactory().generic("POST", "/", raw, content_type=CONTENT_TYPE)
    return request.POST, request.FILES


def test_a_well_formed_body_loses_nothing():
    post, files = parsed(body(field("subject", "Alta"), file(b"attachments", b"a.pdf", PDF)))
    assert post["subject"] == "Alta"
    assert [upload.name for upload in files.getlist("attachments")] == ["a.pdf"]
    assert files.getlist("attachments")[0].read() == PDF
    assert LOST_PARTS_KEY not in files


@pytest.mark.parametrize(
    "part",
    [
        file(b"attachments", b"\xff\xfe.pdf", PDF),  # not UTF-8: Django cannot read the header line at all
        file(b"attachments", b"..", PDF),  # a name that cleans up to nothing
        file(b"attachments", b"\x07\x08", PDF),  # only control characters
        file(b"attachments", b"", PDF),  # no name, but content: Django makes it a text field
    ],
    ids=["not utf-8", "dots", "control characters", "empty name with content"],
)
def test_a_file_part_the_parser_drops_comes_back_lost_under_its_name(part):
    _post, files = parsed(body(file(b"attachments", b"a.pdf", PDF), part))
    uploads = files.getlist("attachments")
    assert [is_lost(upload) for upload in uploads] == [False, True]
    assert uploads[1].size == 0  # a check that ignores the flag still refuses an empty file


def test_a_part_whose_field_name_cannot_be_read_is_lost_without_a_name():
    part = b'Content-Disposition: form-data; name="doc\xff"; filename="\xff.pdf"\r\n\r\n' + PDF
    _post, files = parsed(body(field("subject", "Alta"), part))
    [lost] = files.getlist(LOST_PARTS_KEY)
    assert is_lost(lost)


def test_a_part_without_headers_is_lost():
    _post, files = parsed(body(field("subject", "Alta"), b"no headers at all"))
    assert is_lost(files[LOST_PARTS_KEY])


def test_a_file_input_left_empty_is_not_a_lost_part():
    post, files = parsed(body(field("subject", "Alta"), file(b"document_1", b"", b"", b"application/octet-stream")))
    assert post["subject"] == "Alta"
    assert not files


def test_a_boundary_split_between_two_reads_is_still_found():
    """The scanner reads the body in the parser's chunks; a separator across two of them must not hide a part."""
    filler = b"x" * (64 * 1024 - 40)
    raw = body(file(b"attachments", b"a.pdf", PDF + filler), file(b"attachments", b"\xff.pdf", PDF))
    _post, files = parsed(raw)
    assert [is_lost(upload) for upload in files.getlist("attachments")] == [False, True]


@pytest.mark.parametrize("offset", range(-50, 10, 3))
def test_every_cut_of_the_separator_between_reads_gives_the_same_answer(offset):
    filler = b"x" * (64 * 1024 + offset)
    raw = body(file(b"a", b"a.pdf", filler), field("b", "text"), file(b"c", b"\xff.pdf", PDF))
    post, files = parsed(raw)
    assert post["b"] == "text"
    assert not is_lost(files["a"]) and files["a"].size == len(filler)
    assert is_lost(files["c"])
