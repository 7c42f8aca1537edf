"""The search index's vocabulary: `search_vocab`, an FTS5 `fts5vocab` table over `search_index`
(one row per indexed word and how many conversations have it; nothing stored, read from the
index). "Did you mean …?" picks its corrections from these words.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row')")
