"""Template memory kept in the store, so the scraped-text cleaner learns as more pages arrive.

Counts are read from SQLite once per outlet and kept in memory; observed pages wait in memory
until the store writes its next batch, inside the same transaction as the articles (one write path).
For an outlet with many pages only lines seen on at least two pages are loaded: a line seen once
cannot reach a boilerplate share.

Fingerprints are 64-bit integers in memory and 16 hex digits in the store. Page keys carry the
fingerprint scheme's version ("2:"): pages counted under an earlier scheme (whose line keys no
longer match) are left out of an outlet's page count.
"""
from __future__ import annotations

import sqlite3

from rashomon.extract.templates import TemplateMemory

_PAGE_VERSION = "2:%"


class StoreTemplateMemory(TemplateMemory):
    """``TemplateMemory`` backed by the ``template_pages`` and ``template_lines`` tables."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self._conn = conn
        self._pending: list[tuple[str, str, list[int]]] = []

    def _load(self, outlet: str) -> None:
        pages = self._conn.execute("SELECT COUNT(*) FROM template_pages WHERE outlet = ? AND page_key LIKE ?",
                                   (outlet, _PAGE_VERSION)).fetchone()[0]
        self._pages[outlet] = pages
        floor = 2 if pages >= 5 else 1
        rows = self._conn.execute("SELECT fingerprint, pages FROM template_lines WHERE outlet = ? AND pages >= ?",
                                  (outlet, floor))
        self._lines[outlet].update({int(key, 16): count for key, count in rows.fetchall()})

    def _seen_before(self, outlet: str, page_key: str) -> bool:
        if super()._seen_before(outlet, page_key):
            return True
        row = self._conn.execute("SELECT 1 FROM template_pages WHERE outlet = ? AND page_key = ?",
                                 (outlet, page_key)).fetchone()
        return row is not None

    def _persist(self, outlet: str, page_key: str, keys: list[int]) -> None:
        self._pending.append((outlet, page_key, keys))

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write pending pages (called by ``Store.write`` inside its transaction)."""
        for outlet, page_key, keys in self._pending:
            conn.execute("INSERT OR IGNORE INTO template_pages (outlet, page_key) VALUES (?, ?)", (outlet, page_key))
            conn.executemany("INSERT INTO template_lines (outlet, fingerprint, pages) VALUES (?, ?, 1) "
                             "ON CONFLICT (outlet, fingerprint) DO UPDATE SET pages = pages + 1",
                             [(outlet, format(k, "016x")) for k in keys])
        self._pending.clear()

    def discard_pending(self) -> None:
        """Forget pages whose batch was rolled back (their in-memory counts are reloaded next time)."""
        outlets = {outlet for outlet, _, _ in self._pending}
        self._pending.clear()
        for outlet in outlets:
            self._lines.pop(outlet, None)
            self._pages.pop(outlet, None)
            self._page_keys = {pk for pk in self._page_keys if pk[0] != outlet}
