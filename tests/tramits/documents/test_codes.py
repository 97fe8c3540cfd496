import pytest
from hypothesis import given
from hypothesis import strategies as st

from tramits.documents.codes import ALPHABET, LENGTH, MalformedCsv, csv_display, csv_new, csv_normalise


def test_new_codes_are_long_random_and_distinct():
    codes = {csv_new() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert LENGTH * 5 >= 80


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_display_and_lowercase_normalise_back(code):
    assert csv_normalise(csv_display(code)) == code
    assert csv_normalise(" " + csv_display(code).lower().replace("-", " ") + " ") == code


def test_reading_mistakes_are_forgiven():
    assert csv_normalise("ABCDE-FGHJK-MNPQR-STVWO") == "ABCDEFGHJKMNPQRSTVW0"
    assert csv_normalise("abcde fghjk mnpqr stvwl") == "ABCDEFGHJKMNPQRSTVW1"


@pytest.mark.parametrize(
    "raw", ["", "ABCDE", "ABCDE-FGHJK-MNPQR-STVWXY", "ABCDE-FGHJK-MNPQR-STVWU", "ÀBCDE-FGHJK-MNPQR-STVWX"]
)
def test_malformed_codes_are_refused(raw):
    with pytest.raises(MalformedCsv):
        csv_normalise(raw)
