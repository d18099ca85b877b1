"""A password hasher for tests: Django's PBKDF2 with 1,000 rounds instead of a million.

Every staff user a test makes hashes a password, and a million rounds cost about half
a second of one core each: with hypothesis examples that make users, that was minutes
of CI. The hash it writes is an ordinary `pbkdf2_sha256$1000$…`, which Django's default
hasher verifies from the rounds it names, so the test servers (Daphne processes with
the product's own settings) accept these passwords too.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
