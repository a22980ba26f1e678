"""Find the owner's phone number in a text without the number being anywhere here.

The site must never publish it, so the tests need to recognise it, yet the
repository must not hold it either. What is kept is a salted scrypt digest
of its national significant number (the digits after the country code,
without the trunk "0"); every run of digits in a text is hashed window by
window against it.

Nine digits are few: a fast hash (SHA-256) of them would be reversed by trying
them all in minutes. scrypt, memory-hard and slow (about 0.05 s a try here),
makes that search cost years of computing; the site has only about a hundred
distinct nine-digit windows to try, each hashed once per test run.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re

SALT = "122dd58ae90ccc6e511cd837260de792"
DIGEST = "b7d340223403715718c8e9fdc6396e786c446e0a274f3af3ea3c6e3c086c7632"  # scrypt, see digest()
DIGITS = 9  # length of the national significant number

# Digits, and what people put between them when they write a phone number:
# spaces of any kind, dots, dashes, slashes and the parentheses of "+41 (0)".
DIGIT_RUN = re.compile(r"\d(?:[\s.\-‐‑–/()]*\d)*")


@functools.cache
def digest(digits: str, salt: str = SALT) -> str:
    return hashlib.scrypt(
        digits.encode("ascii"), salt=salt.encode("ascii"), n=2**13, r=8, p=1, dklen=32
    ).hex()


def contains_number(
    text: str, salt: str = SALT, expected: str = DIGEST, length: int = DIGITS
) -> bool:
    """Whether *text* writes the number hashed as *expected*, in any common format.

    Every window of *length* digits of every run is tried, so the number is
    found with or without a country code ("+41", "0041"), a trunk "0" or
    "(0)", and grouped in any way.
    """
    for run in DIGIT_RUN.finditer(html.unescape(text)):
        digits = re.sub(r"\D", "", run.group())
        for start in range(len(digits) - length + 1):
            if digest(digits[start : start + length], salt) == expected:
                return True
    return False
