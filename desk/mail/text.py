"""An email's new text: HTML made readable, and the quoted history cut off.

HTML becomes plain text with inscriptis (a converter made for this: paragraphs, lists and
link targets kept; scripts, styles and every attribute dropped), so nothing from a mail's
HTML ever reaches a browser as markup. Quoted history is cut where a mail program starts it:
an "On <date>, <name> wrote:" line (and its common translations), Outlook's
"From: … Sent: …" block or "-----Original Message-----", and the trailing `>` lines.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=True)

# Containers mail programs put the quoted message in (Gmail, Apple Mail / Thunderbird,
# Yahoo): dropped before conversion, since plain text has no `>` marks for them.
_QUOTE_XPATH = (
    "//blockquote[@type='cite'] | //*[contains(concat(' ', normalize-space(@class), ' '),"
    " ' gmail_quote ')] | //*[contains(concat(' ', normalize-space(@class), ' '),"
    " ' yahoo_quoted ')] | //*[@id='divRplyFwdMsg']/following-sibling::* | //*[@id="
    "'divRplyFwdMsg']"
)

# "On Mon, 1 Dec 2026 at 10:00, Grace <grace@example.com> wrote:" and its translations
# ("Am … schrieb Grace <…>:", "Le … a écrit :", …): a line that starts with one of these
# words, has one of these verbs, and ends in a colon.
_WROTE_START = re.compile(r"^\s*(On|Am|Le|El|Op|Il|Em|Den)\s", re.IGNORECASE)
_WROTE_VERB = re.compile(
    r"\s(wrote|schrieb|a\s+écrit|escribió|schreef|ha\s+scritto|escreveu|skrev)(\s|:)",
    re.IGNORECASE,
)
MAX_ATTRIBUTION = 500
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"^\s*(-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:)\s*$", re.IGNORECASE
)
_FROM = re.compile(r"^\s*\**(From|Von|De|Van)\s*:\**\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*\**(Sent|Date|Gesendet|Envoyé|Enviado|Verzonden)\s*:\**\s", re.IGNORECASE)
_RULE = re.compile(r"^\s*_{8,}\s*$")
_HEADER_LINE = re.compile(r"^\s*\**[A-Za-zÀ-ÿ-]{2,20}\s*:\**\s")
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|wg|tr)\s*:", re.IGNORECASE)
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """Readable text from an HTML body, without its quoted history."""
    if not html.strip():
        return ""
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in tree.xpath(_QUOTE_XPATH):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    text = Inscriptis(tree, _CONFIG).get_text()
    return _BLANKS.sub("\n\n", text).strip()


def new_text(text: str, subject: str = "") -> str:
    """`text` without the quoted history below it; the whole text if that would leave
    nothing (a reply written between the quoted lines)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines, forwarded=bool(_FORWARD_SUBJECT.match(subject)))
    kept = _drop_trailing_quotes(lines[:cut])
    result = "\n".join(kept).strip()
    if not result:
        result = "\n".join(_drop_trailing_quotes(lines)).strip() or text.strip()
    return _BLANKS.sub("\n\n", result)


def _quote_start(lines: list[str], *, forwarded: bool) -> int:
    """The index of the first line of quoted history (len(lines) when there is none).
    A forwarded message is content, not history: its marker and header lines are skipped
    (the first marker of a mail whose subject says Fwd, and every "Forwarded message")."""
    index = 0
    while index < len(lines):
        length = _marker_length(lines, index)
        if not length:
            index += 1
            continue
        if not (forwarded or _FORWARD.match(lines[index])):
            return index
        forwarded = False
        index += length
        while index < len(lines) and _HEADER_LINE.match(lines[index]):
            index += 1
    return len(lines)


def _marker_length(lines: list[str], index: int) -> int:
    """How many lines the quote marker at `index` spans (0: no marker there)."""
    line = lines[index]
    if _ORIGINAL.match(line) or _FORWARD.match(line) or _is_attribution(line):
        return 1
    if index + 1 < len(lines) and _is_attribution(f"{line} {lines[index + 1]}"):
        return 2  # "On …, Grace Hopper <" / "grace@example.com> wrote:" wrapped by the sender
    if _RULE.match(line) and index + 1 < len(lines) and _is_header_block(lines, index + 1):
        return 1
    if _is_header_block(lines, index):
        return 1
    return 0


def _is_attribution(line: str) -> bool:
    """ "On <date>, <name> wrote:": a date or an address in it, so that "On Monday I wrote:"
    in someone's own text is not taken for one."""
    text = line.strip()
    return (
        len(text) <= MAX_ATTRIBUTION
        and text.endswith(":")
        and _WROTE_START.match(text) is not None
        and _WROTE_VERB.search(text) is not None
        and any(c.isdigit() or c == "@" for c in text)
    )


def _is_header_block(lines: list[str], index: int) -> bool:
    """Outlook's "From: …" line followed within a few lines by "Sent: …" (or "Date: …")."""
    if not _FROM.match(lines[index]):
        return False
    return any(_SENT.match(line) for line in lines[index + 1 : index + 4])


def _drop_trailing_quotes(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    return lines[:end]
