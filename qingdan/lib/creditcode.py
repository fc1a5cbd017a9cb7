"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z);
the last one is a check character computed from the first seventeen with fixed weights.
Pure functions: no Django models here, so the demo and the generator can use them too.
"""

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

# GB 11714 organisation code (characters 9–17 of the credit code) has its own check character.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class CreditCodeError:
    """Why a code is wrong: ``kind`` is one of ``length``, ``character``, ``check``."""

    kind: str
    position: int | None = None  # 1-based
    found: str = ""
    expected: str = ""


def normalize(code: str) -> str:
    return "".join(code.split()).upper()


def check_character(first17: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def org_check_character(first8: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first8, ORG_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def find_error(code: str) -> CreditCodeError | None:
    """Return the first thing wrong with a normalised code, or None when it is valid."""
    if len(code) != LENGTH:
        return CreditCodeError("length", found=str(len(code)), expected=str(LENGTH))
    for index, char in enumerate(code):
        if char not in ALPHABET:
            return CreditCodeError("character", position=index + 1, found=char)
    expected = check_character(code[:17])
    if code[17] != expected:
        return CreditCodeError("check", position=18, found=code[17], expected=expected)
    return None


def make_code(registration: str, division: str, organisation8: str) -> str:
    """Build a valid code: 2-character registration type, 6-digit division, 8-character body."""
    org = organisation8 + org_check_character(organisation8)
    first17 = registration + division + org
    return first17 + check_character(first17)
