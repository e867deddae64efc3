"""Bearer tokens of the agent gateway: issued once, stored hashed, compared in constant time.

A token reads ``swo_<id>_<secret>``: ``id`` is public and is how the store finds the
token; ``secret`` is 32 random bytes (``secrets.token_urlsafe``). The store keeps
only ``sha256(token)``: for a secret of 256 random bits a fast hash is enough (a
slow password hash only helps against guessing low-entropy secrets, and nothing
here can be guessed), and it keeps authentication to one indexed read. The hash
is compared with ``hmac.compare_digest``; no token is ever logged or stored.
"""

from __future__ import annotations

from swarmops.tokens.issue import issue_token, list_tokens, revoke_token
from swarmops.tokens.models import AGENT, OPERATOR, ROLES, IssuedToken, Principal, TokenInfo
from swarmops.tokens.verify import Bearer, Unauthenticated, authenticate, parse_token

__all__ = [
    "AGENT",
    "OPERATOR",
    "ROLES",
    "Bearer",
    "IssuedToken",
    "Principal",
    "TokenInfo",
    "Unauthenticated",
    "authenticate",
    "issue_token",
    "list_tokens",
    "parse_token",
    "revoke_token",
]
