"""Bytes to text, deliberately, and say which encoding was used.

Order of evidence, strongest first:

1. A byte-order mark decides (UTF-8, UTF-16, UTF-32): a BOM is an explicit declaration.
2. UTF-16 without a BOM, recognised by its zero bytes on one side of each byte pair. It comes
   before UTF-8 because ASCII-range UTF-16 is also valid UTF-8 (full of NUL characters).
3. Strict UTF-8: valid multi-byte UTF-8 almost never happens by accident, so if the bytes
   decode, they are UTF-8. Bytes that decode but are mostly control characters fall through.
4. Otherwise a legacy single- or double-byte encoding detected by charset-normalizer, limited
   to the encodings news sites actually used (`LEGACY`). Short texts often decode equally well
   in several code pages, so candidates are ranked by how garbled they look, then by how well
   their letters fit one alphabet (`alphabet_fit`), then by how much they read like a language,
   and remaining ties go to the first in `LEGACY`'s order, which
   puts cp1252 first as browsers do (WHATWG treats latin-1 labels as windows-1252). Known
   limit: a short Hebrew cp1255 text scores like Cyrillic gibberish and is read as cp1251.

Text that is none of these is not text: `DecodeError`, and the caller rejects the document.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from charset_normalizer import from_bytes

# (byte-order mark, codec for the bytes after it, codec name recorded for the whole file).
# UTF-32 first: its little-endian BOM begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def find_bom(data: bytes) -> tuple[bytes, str, str] | None:
    """(BOM, codec after it, recorded name) when `data` starts with a byte-order mark."""
    return next((entry for entry in BOMS if data.startswith(entry[0])), None)


# Preference order for ties, most common on the web first. Mac Roman is left out on purpose:
# it is rare in news files, and any cp1252 text with "€" or "–" reads as clean Mac Roman
# ("Ä120", "ñ"). (ftfy still repairs Mac Roman *mojibake* inside decoded text.)
LEGACY = (
    "cp1252", "cp1251", "cp1256", "cp1250", "cp1254", "cp1253", "cp1255", "cp1257",
    "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
    "utf_16_le", "utf_16_be",
    # Thai (TIS-620, as Windows extends it). Last: one sentence of Chinese or Korean in 50 reads
    # as Thai, though a paragraph never does (measured on langid.jsonl's sentences).
    "cp874",
)

# Coherence scores closer than this are a tie (charset-normalizer reports them to 0.01).
COHERENCE_TIE = 0.01
# Chaos ("mess") scores closer than this to the least are as clean as it, and their letters
# (`alphabet_fit`), then language coherence, decide between them: Turkish in cp1254 scores a
# little messier than the same bytes read as cp1252 ("iþsizlik", "yýllardýr", with Icelandic
# letters) or cp1257 (0.013 against 0.0, 0.042 against 0.019). Real garbling scores far higher.
CHAOS_TIE = 0.05
# charset-normalizer drops a code page when any chunk of the text looks messier than this (its
# default is 0.2). Persian in cp1256, with its zero-width non-joiners and Persian letters, can
# pass 0.2 in a chunk while the whole reads cleanly (0.07 to 0.1): at 0.2 it came out undecodable.
MAX_CHAOS = 0.3

# The letters beyond ASCII of languages written in the single-byte Latin code pages. A text is
# in one language, so the right code page gives the letters of one alphabet: Turkish read as
# cp1254 gives ç ğ ı ö ş ü, all Turkish, where cp1252 gives ç ð ý ö þ ü, which no language writes
# together. Among code pages equally clean (`CHAOS_TIE`), the best fit to one alphabet wins;
# letters of a non-Latin script (Cyrillic, Arabic, Greek, Hebrew) fit their script as a whole.
ALPHABETS = {
    "tr": "çğıöşüâîû", "de": "äöüß", "fr": "àâæçéèêëîïôœùûüÿ", "es": "áéíñóúü", "pt": "àáâãçéêíóôõú",
    "it": "àèéìíîòóù", "nl": "éëïóöü", "ca": "àçèéíïòóúü", "sv": "åäöé", "da": "æøåé", "no": "æøåéóô",
    "fi": "äöåšž", "is": "áðéíóúýþæö", "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž",
    "hu": "áéíóöőúüű", "ro": "ăâîșşțţ", "hr": "čćđšž", "sl": "čšž", "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž",
    "et": "äõöüšž",
}
_SCRIPTS = ("CYRILLIC", "ARABIC", "GREEK", "HEBREW")
_FIT_SAMPLE = 1 << 16  # bytes of the file the alphabet fit looks at
# Fewer letters beyond ASCII than this say nothing about the alphabet ("Zürich" fits Cyrillic
# "Zьrich" as well as German): below it every candidate fits alike and the older order decides.
MIN_FIT_LETTERS = 20

# Share of control characters (other than tab, newline, carriage return, form feed) above
# which decoded "text" is really a binary file: images, archives, executables.
BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}
_BINARY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _TEXT_CONTROLS) + "]")
# The same, as bytes, for bytes that no encoding fits: PNG, JPEG, ZIP or gzip data is full of them,
# text in a single-byte code page has none.
_CONTROL_BYTES = bytes(c for c in range(32) if chr(c) not in _TEXT_CONTROLS)


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
    bom = find_bom(data)
    if bom:
        marker, codec, name = bom
        try:
            return _checked(data[len(marker):].decode(codec), name)
        except UnicodeDecodeError as exc:
            raise DecodeError("undecodable", f"has a {name} byte-order mark but is not {name}: {exc}") from exc
    binary: DecodeError | None = None
    for codec in (_bomless_utf16(data), "utf-8"):
        if codec is None:
            continue
        try:
            return _checked(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
        except DecodeError as exc:  # valid bytes, but control-character soup: try the others
            binary = exc
    codec = detect_legacy(data)
    if codec is not None:
        try:
            return _checked(data.decode(codec), codec)
        except DecodeError as exc:
            binary = exc
    if binary is not None:
        raise binary
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if data and controls / len(data) > BINARY_CONTROL_SHARE:  # an image, an archive: no text at all
        raise DecodeError("binary", f"{controls} control bytes in {len(data)} and no encoding fits: "
                                    "a binary file, not text")
    raise DecodeError("undecodable", "not UTF-8 and no known legacy encoding fits")


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when zero bytes sit on one side of most byte pairs."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    pairs = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 0.2 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if even > 0.2 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


def detect_legacy(data: bytes) -> str | None:
    """The most plausible legacy codec for `data`, or None.

    Ranked by charset-normalizer's "chaos" (how garbled the text looks, lowest first, within
    `CHAOS_TIE`), then by `alphabet_fit` (highest first), then by charset-normalizer's
    "coherence" (how much it reads like a known language, highest first); what is still tied goes
    to the first in `LEGACY`'s order.
    """
    matches = list(from_bytes(data, cp_isolation=list(LEGACY), threshold=MAX_CHAOS))
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least_chaos + CHAOS_TIE]
    fits = {m.encoding: alphabet_fit(data[:_FIT_SAMPLE].decode(m.encoding, errors="ignore")) for m in clean}
    best_fit = max(fits.values())
    clean = [m for m in clean if fits[m.encoding] >= best_fit - 1e-9]
    most_coherent = max(m.coherence for m in clean)
    tied = {codecs.lookup(name).name for m in clean if m.coherence >= most_coherent - COHERENCE_TIE
            for name in m.could_be_from_charset}
    return next(codecs.lookup(name).name for name in LEGACY if codecs.lookup(name).name in tied)


def alphabet_fit(text: str) -> float:
    """The share of `text`'s letters beyond ASCII that belong to a single alphabet (`ALPHABETS`,
    or one non-Latin script), for the alphabet that holds most of them; 1.0 when there are too
    few to tell (`MIN_FIT_LETTERS`)."""
    letters = Counter(low for ch in text if ch > "\x7f" and ch.isalpha() and (low := ch.lower()[0]) > "\x7f")
    total = sum(letters.values())
    if total < MIN_FIT_LETTERS:
        return 1.0
    by_script = Counter()
    for ch, n in letters.items():
        script = unicodedata.name(ch, "").split(" ", 1)[0]
        if script in _SCRIPTS:
            by_script[script] += n
    in_alphabet = [sum(n for ch, n in letters.items() if ch in alphabet) for alphabet in ALPHABETS.values()]
    return max([*in_alphabet, *by_script.values()]) / total


def _checked(text: str, codec: str) -> Decoded:
    """Refuse decoded binaries: text has few control characters (NULs among them)."""
    if text:
        controls = len(_BINARY_CONTROL.findall(text))
        if controls / len(text) > BINARY_CONTROL_SHARE:
            raise DecodeError("binary", f"{controls} control characters in {len(text)}: a binary file, not text")
    return Decoded(text, codecs.lookup(codec).name)
