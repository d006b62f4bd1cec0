"""Bytes to text, deliberately, and say which encoding was used.

Order of evidence, strongest first:

1. A byte-order mark decides (UTF-8, UTF-16, UTF-32): a BOM is an explicit declaration.
2. Strict UTF-8: valid multi-byte UTF-8 almost never happens by accident, so if the bytes
   decode, they are UTF-8.
3. Otherwise a legacy single- or double-byte encoding detected by charset-normalizer, limited
   to the encodings news sites actually used (`LEGACY`). Short texts often decode equally well
   in several code pages; ties go to the first in `LEGACY`'s order, which puts cp1252 first as
   browsers do (WHATWG treats latin-1 labels as windows-1252).

Text that is none of these is not text: `DecodeError`, and the caller rejects the document.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Preference order for ties, most common on the web first.
LEGACY = (
    "cp1252", "cp1251", "cp1256", "cp1250", "cp1254", "cp1253", "cp1255", "cp1257",
    "koi8_r", "mac_roman", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
    "utf_16_le", "utf_16_be",
)

# Share of control characters (other than tab, newline, carriage return, form feed) above
# which decoded "text" is really a binary file: images, archives, executables.
BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; `reason` is the rejection reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, e.g. "utf-8", "utf-8-sig", "cp1251"


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, raising `DecodeError` when it is not text."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec)
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"has a {codec} byte-order mark but is not {codec}: {exc}") from exc
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    codec = detect_legacy(data)
    if codec is None:
        raise DecodeError("undecodable", "not UTF-8 and no known legacy encoding fits")
    return _checked(data.decode(codec), codec)


def detect_legacy(data: bytes) -> str | None:
    """The most plausible legacy codec for `data`, or None; ties resolved by `LEGACY` order."""
    matches = from_bytes(data, cp_isolation=list(LEGACY))
    best = matches.best()
    if best is None:
        return None
    tied = set()
    for match in matches:
        if match.chaos == best.chaos and match.coherence == best.coherence:
            tied.update(codecs.lookup(name).name for name in match.could_be_from_charset)
    for name in LEGACY:
        if codecs.lookup(name).name in tied:
            return codecs.lookup(name).name
    return codecs.lookup(best.encoding).name


def _checked(text: str, codec: str) -> Decoded:
    """Refuse decoded binaries: text has few control characters and no NULs runs."""
    if text:
        controls = sum(1 for ch in text if ch < " " and ch not in _TEXT_CONTROLS)
        if controls / len(text) > BINARY_CONTROL_SHARE:
            raise DecodeError("binary", f"{controls} control characters in {len(text)}: a binary file, not text")
    return Decoded(text, codecs.lookup(codec).name)
