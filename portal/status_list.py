"""W3C Bitstring Status List (v1.0): the compressed bitstring a status list credential carries.

Bit ``i`` is the i-th bit from the left of the bitstring (index 0 is the most significant bit of
the first byte); the bitstring is GZIP-compressed, then base64url-encoded without padding, and
prefixed with ``u`` (multibase). The specification's minimum size is 16 KB (131,072 entries),
which gives each credential "herd privacy": a verifier fetching the list learns nothing of
which entry it is interested in.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072  # bits: 16 KB, the specification's minimum


def encode(indexes: Iterable[int], *, size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside 0..{size - 1}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always encodes to the same string.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase string")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
