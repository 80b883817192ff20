"""Identifiers in event extracts: which are accepted, how they are keyed, redaction."""

from __future__ import annotations

import pytest

from pdsa_core.errors import ValidationError
from pdsa_core.importing.identifiers import PersonKeys, canonical_identifier
from pdsa_core.redaction import redact


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("010190-1234", "0101901234"),
        ("0101901234", "0101901234"),
        (" 010190-1234 ", "0101901234"),
        ("101901234", "0101901234"),  # Excel dropped the leading zero
        ("P-0042", "P-0042"),
        ("pt_17", "pt_17"),
        ("PT-010190", "PT-010190"),
    ],
)
def test_accepted(text: str, canonical: str) -> None:
    assert canonical_identifier(text) == canonical


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "identifier_missing"),
        ("   ", "identifier_missing"),
        ("12-34", "identifier_invalid"),
        ("12345", "identifier_invalid"),
        ("010190-123", "identifier_invalid"),
        ("010190-12a4", "identifier_invalid"),
        ("0101 901234", "identifier_invalid"),
        ("Hans Hansen", "identifier_invalid"),
        ("x" * 65, "identifier_invalid"),
    ],
)
def test_refused_without_repeating_the_value(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        canonical_identifier(text)
    assert info.value.code == code  # type: ignore[attr-defined]
    if text.strip():
        assert text.strip() not in str(info.value)


def test_person_keys_are_salted_per_run() -> None:
    first, second = PersonKeys(), PersonKeys()
    assert first.key("0101901234") == first.key("0101901234")
    assert first.key("0101901234") != second.key("0101901234")
    person, check = first.key("0101901234")
    assert 0 <= person < 2**51 and 0 <= check < 2**64
    assert "salt" not in repr(first).lower() or "<salted>" in repr(first)


def test_redact() -> None:
    assert redact("cpr 010190-1234 and 0101901234, 101901234; 2022-01") == \
        "cpr *** and ***, ***; 2022-01"
    assert redact("jan-22: 12") == "jan-22: 12"


def test_redaction_keeps_record_ids_that_hold_ten_digits_by_chance() -> None:
    """A message naming a record shows its id whole (CI once saw ``pdsa-1a24f***c``)."""
    from pdsa_core.workspace import time_ordered_id

    assert redact("PDSA cycles pdsa-1a24f9916430732c is busy") == "PDSA cycles pdsa-1a24f9916430732c is busy"
    assert redact("pdsa-1a24f9916430732c in 0101901234.csv") == "pdsa-1a24f9916430732c in ***.csv"
    # an id-shaped word whose time is not one pdsa makes is text like any other
    assert redact("x-0101901234abcdef") == "x-***abcdef"
    made = time_ordered_id("pdsa")
    assert redact(f"the cycle {made}") == f"the cycle {made}"
