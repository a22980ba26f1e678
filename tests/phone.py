"""Find the owner's phone number in a text without the number being anywhere here.

The site must never publish it, so the tests need to recognise it, yet the
repository must not hold it either. What is kept is a salted SHA-256 of its
national significant number (the digits after the country code, without the
trunk "0"); every run of digits in a text is hashed window by window against
it. A salted hash of nine digits keeps the number out of plain sight, not out
of reach of a determined search: it guards against an accident, not an attacker.
"""

from __future__ import annotations

import hashlib
import html
import re

SALT = "ca48cad7b1613770062db9455dab5444"
SHA256 = "fa70ccc9821c0be2dafd97577adf4b2fe02f9e05064eaa823804d28bfba0fcf6"
DIGITS = 9  # length of the national significant number

# Digits, and what people put between them when they write a phone number:
# spaces of any kind, dots, dashes, slashes and the parentheses of "+41 (0)".
DIGIT_RUN = re.compile(r"\d(?:[\s.\-‐‑–/()]*\d)*")


def digest(digits: str, salt: str = SALT) -> str:
    return hashlib.sha256((salt + digits).encode("ascii")).hexdigest()


def contains_number(
    text: str, salt: str = SALT, sha256: str = SHA256, length: int = DIGITS
) -> bool:
    """Whether *text* writes the number hashed as *sha256*, in any common format.

    Every window of *length* digits of every run is tried, so the number is
    found with or without a country code ("+41", "0041"), a trunk "0" or
    "(0)", and grouped in any way.
    """
    for run in DIGIT_RUN.finditer(html.unescape(text)):
        digits = re.sub(r"\D", "", run.group())
        for start in range(len(digits) - length + 1):
            if digest(digits[start : start + length], salt) == sha256:
                return True
    return False
