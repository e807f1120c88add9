"""A fast path for writing a Whoosh segment: every segment, from rebuilds, saves and merges.

Profiling a 2,000-pilot build showed where Whoosh's own writer spends its time, per posting
(about 430 a pilot): the token-object analyzer pipeline and `Positions.word_values` (40 %),
pickling each posting into an external sort pool and sorting it back (15 %), and at commit
adding each posting one by one while re-reading the document's length from the column file it
had just written (45 %). Here the `content` text is cut with one regular expression over the
whole text and stemmed through a dict; each term's postings are kept in memory in document
order (a rebuild adds documents in order), and at commit each term is written a block at a
time through Whoosh's own postings writer, so the files are exactly what Whoosh would write
(plus the id and position lists of idlists.py, for ranking and phrases, and the checksums of
integrity.py). Other fields (a few postings a pilot) still go through Whoosh's pool.

`analyse()` must give exactly the terms and positions of `text_analyzer()`; a test holds it to
that on varied text.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from whoosh.analysis.filters import STOP_WORDS
from whoosh.index import TOC
from whoosh.lang import stemmer_for_language
from whoosh.writing import SegmentWriter

from app.search.whoosh.idlists import SHIFT, TermArraysWriter, file_name
from app.search.whoosh.integrity import write_segment_sums, write_toc_sums

# RegexTokenizer's default pattern, without its capturing group so findall returns whole tokens.
_TOKEN = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
_MIN_SIZE = 2  # StopFilter's default minsize


class TermCutter:
    """Text → {stem: positions}, as RegexTokenizer | Lowercase | Stop | Stem would give."""

    def __init__(self) -> None:
        self._stem = stemmer_for_language("en")
        # word → stem, or "" for a word the StopFilter drops
        self._stems: dict[str, str] = {}

    def _learn(self, word: str) -> str:
        stem = "" if len(word) < _MIN_SIZE or word in STOP_WORDS else self._stem(word)
        self._stems[word] = stem
        return stem

    def analyse(self, text: str) -> dict[str, list[int]]:
        if text.isascii():
            # Lowercasing ASCII first cannot change where tokens start or end.
            words = _TOKEN.findall(text.lower())
        else:
            # Some letters grow when lowercased ("İ" → "i̇"): cut first, as the tokenizer does.
            words = [w.lower() for w in _TOKEN.findall(text)]
        stems = self._stems
        for word in set(words).difference(stems):
            self._learn(word)
        each = list(map(stems.__getitem__, words))  # in C, as is the filter below
        kept = list(filter(None, each))
        if not kept:
            return {}
        # StopFilter renumbers: the first kept word keeps its place, the rest follow on by one.
        # (Every word before the first kept one is dropped, so its stem is found first there.)
        first = each.index(kept[0])
        positions: dict[str, list[int]] = {}
        for position, stem in enumerate(kept, first):
            found = positions.get(stem)
            if found is None:
                positions[stem] = [position]
            else:
                found.append(position)
        return positions


class _FieldPostings:
    """One field's postings for a segment, per term in document order."""

    def __init__(self, encode: Any) -> None:
        self.encode = encode
        # term → document numbers, weights, Whoosh's encoded positions, raw position keys
        self.terms: dict[str, tuple[array[int], array[float], list[bytes], array[int]]] = {}
        self.lengths = array("I")
        self._single: dict[int, bytes] = {}  # most postings are one position: encode each once

    def add(self, docnum: int, positions: dict[str, list[int]]) -> int:
        terms = self.terms
        single = self._single
        encode = self.encode
        length = 0
        base = docnum << SHIFT
        for term, places in positions.items():
            count = len(places)
            length += count
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = (array("I"), array("f"), [], array("Q"))
            if count == 1:
                value = single.get(places[0])
                if value is None:
                    value = single[places[0]] = encode(places)
                entry[3].append(base + places[0])
            else:
                value = encode(places)
                entry[3].extend([base + place for place in places])
            entry[0].append(docnum)
            entry[1].append(count)
            entry[2].append(value)
        while len(self.lengths) <= docnum:
            self.lengths.append(0)
        self.lengths[docnum] = length
        return length

    def write(self, fieldwriter: Any, name: str, fieldobj: Any) -> None:
        """Each term's postings a block at a time, through Whoosh's own postings writer."""
        fieldwriter.start_field(name, fieldobj)
        postwriter = fieldwriter._postwriter
        folder = getattr(fieldwriter._storage, "folder", None)
        segment_id = fieldwriter._segment.segment_id()
        lists = keys = None
        if folder:
            lists = TermArraysWriter(Path(folder) / file_name(segment_id, name, "ids"))
            keys = TermArraysWriter(Path(folder) / file_name(segment_id, name, "pos"))
        limit = postwriter._blocklimit
        lengths = self.lengths
        for term in sorted(self.terms):  # code point order is UTF-8 byte order
            ids, weights, values, places = self.terms.pop(term)
            if lists is not None and keys is not None:
                lists.add(term, ids, weights)
                keys.add(term, places)
            fieldwriter.start_term(term.encode("utf-8"))
            for start in range(0, len(ids), limit):
                if start:
                    postwriter._write_block()  # the full block before; it starts a new one
                block = ids[start : start + limit]
                block_lengths = [lengths[n] for n in block]
                postwriter._ids = block
                postwriter._weights = weights[start : start + limit]
                postwriter._values = values[start : start + limit]
                postwriter._minlength = min(block_lengths)
                postwriter._maxlength = max(block_lengths)
                postwriter._maxweight = max(postwriter._weights)
            fieldwriter.finish_term()
        fieldwriter.finish_field()
        if lists is not None and keys is not None:
            lists.finish()
            keys.finish()


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter that takes the named text fields through the fast path above.

    Its own new segment only ever gets documents added in order (a rebuild, a save, a merge);
    `update_document` and `delete_by_term` delete from the older segments, as Whoosh's writer
    does. A long-lived `cutter` keeps its stems between writers."""

    def __init__(
        self,
        index: Any,
        bulk_fields: tuple[str, ...],
        cutter: TermCutter | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(index, **kwargs)
        self._cutter = cutter or TermCutter()
        self._bulk = {name: _FieldPostings(self.schema[name].format.encode) for name in bulk_fields}
        self._pilot_ids = array("I")
        self.summed: str | None = None  # the segment whose checksums this writer wrote

    def add_document(self, **fields: Any) -> None:
        texts = [(name, fields.pop(name)) for name in self._bulk if name in fields]
        super().add_document(**fields)
        self._pilot_ids.append(int(fields["id"]))
        docnum = self.docnum - 1
        for name, text in texts:
            length = self._bulk[name].add(docnum, self._cutter.analyse(text))
            # The per-document writer still points at this document: record the field length.
            self.perdocwriter.add_field(name, self.schema[name], None, length)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        waiting = sorted(self._bulk)

        def write_bulk_before(name: str | None) -> None:
            while waiting and (name is None or waiting[0] < name):
                field = waiting.pop(0)
                self._bulk[field].write(self.fieldwriter, field, self.schema[field])

        # The terms file must see fields in name order: slot the bulk ones in between.
        pooled: Iterator[Any] = self.pool.iter_postings()
        for name, postings in groupby(pooled, key=itemgetter(0)):
            write_bulk_before(name)
            # Only scorable fields have lengths; asking for others stats a missing file each time.
            scorable = self.schema[name].scorable
            self.fieldwriter.add_postings(self.schema, lengths if scorable else None, postings)
        write_bulk_before(None)
        self.fieldwriter.close()
        lengths.close()
        folder = getattr(self.storage, "folder", None)
        if folder:
            name = file_name(self.get_segment().segment_id(), "id", "pilots")
            pilots = TermArraysWriter(Path(folder) / name)
            pilots.add("id", self._pilot_ids)
            pilots.finish()

    def _finalize_segment(self) -> Any:
        """The segment, its files closed and their checksums written beside them."""
        segment = super()._finalize_segment()
        folder = getattr(self.storage, "folder", None)
        if folder:
            write_segment_sums(Path(folder), segment.segment_id())
            self.summed = segment.segment_id()
        return segment

    def _commit_toc(self, segments: list[Any]) -> None:
        super()._commit_toc(segments)
        folder = getattr(self.storage, "folder", None)
        if folder:
            write_toc_sums(Path(folder), TOC._filename(self.indexname, self.generation))
