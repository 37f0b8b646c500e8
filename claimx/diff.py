"""Compare two claim files: which claims a change added, removed or changed.

What a reviewer reads on a pull request that touches the lexicon or the
gazetteer: run `claimx extract` before and after, then `claimx diff OLD NEW`.

Claims are paired in two passes:

1. by stable id (`id`: document id + document hash + cue offsets). Paired
   records that differ anywhere are *changed* (by id) and the differing fields
   are named (`polarity`, `content.text`, …);
2. what is left is paired by span, document by document: when both sides saw the
   same text (same `doc.sha256`), an old and a new claim whose cue spans overlap
   are the same claim with a moved cue (*changed*, by span — e.g. a multi-word cue
   now covers one more word). When the text itself changed, offsets mean nothing
   across versions, so claims pair when cue text, source text and content text
   are all equal.

Everything still unpaired is *added* (only in NEW) or *removed* (only in OLD).
Records without a cue (e.g. `claimx normalize` output) are paired by id only.

Both files are read line by line; only a digest and the pairing keys of each
record stay in memory, and the listed records are re-read from the files.

    >>> d = diff_files("old.jsonl", "new.jsonl")          # doctest: +SKIP
    >>> d.summary()["added"], d.differ                      # doctest: +SKIP
    (11, True)
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterator

from .errors import ClaimxError


class DiffError(ClaimxError):
    """A file given to `claimx diff` cannot be read as JSON Lines."""


@dataclass
class _Rec:
    key: str  # id, or "#line" when there is none
    doc: str
    sha: str
    cue: tuple[int, int] | None
    digest: bytes
    offset: int
    line: int


@dataclass
class Side:
    path: str
    records: list[_Rec] = field(default_factory=list)

    def load(self, rec: _Rec) -> dict:
        with open(self.path, "rb") as fh:
            fh.seek(rec.offset)
            return json.loads(fh.readline())


@dataclass
class Change:
    kind: str  # "added" | "removed" | "changed"
    old: _Rec | None
    new: _Rec | None
    by: str | None = None  # "id" | "span" | "text"


@dataclass
class Diff:
    old: Side
    new: Side
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def differ(self) -> bool:
        return bool(self.changes)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> dict:
        return {"old": len(self.old.records), "new": len(self.new.records), "unchanged": self.unchanged,
                "changed": self.count("changed"), "added": self.count("added"), "removed": self.count("removed")}

    def record(self, side: Side, rec: _Rec | None) -> dict | None:
        if rec is None:
            return None
        k = (side.path, rec.offset)
        if k not in self._cache:
            self._cache[k] = side.load(rec)
        return self._cache[k]

    def fields(self, c: Change) -> list[str]:
        """Dotted names of the fields that differ between the two sides of a change."""
        if c.kind != "changed":
            return []
        return changed_fields(self.record(self.old, c.old), self.record(self.new, c.new))

    def by_document(self) -> list[tuple[str, list[Change]]]:
        """Changes grouped by document, documents in file order, claims in text order."""
        groups: dict[str, list[Change]] = defaultdict(list)
        order: dict[str, int] = {}
        for r in self.new.records:
            order.setdefault(r.doc, len(order))
        for r in self.old.records:
            order.setdefault(r.doc, len(order))
        for c in self.changes:
            groups[(c.new or c.old).doc].append(c)
        out = []
        for doc in sorted(groups, key=lambda d: order.get(d, 0)):
            items = sorted(groups[doc], key=lambda c: ((c.new or c.old).cue or (0, 0), (c.new or c.old).line))
            out.append((doc, items))
        return out


def changed_fields(a: Any, b: Any, prefix: str = "", depth: int = 1) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict) and depth >= 0:
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            if a.get(k) != b.get(k) or (k in a) != (k in b):
                out.extend(changed_fields(a.get(k), b.get(k), f"{prefix}{k}.", depth - 1))
        return out
    return [prefix[:-1]] if a != b else []


def _read(path: str) -> Side:
    side = Side(path)
    seen: dict[str, int] = defaultdict(int)
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise DiffError(f"{path}: cannot read: {e.strerror or e} (check the path)") from None
    with fh:
        offset, n = 0, 0
        for raw in fh:
            n += 1
            here = offset
            offset += len(raw)
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except ValueError as e:
                raise DiffError(f"{path}:{n}: not valid JSON ({e}); give two JSON Lines files "
                                "written by claimx") from None
            if not isinstance(rec, dict):
                raise DiffError(f"{path}:{n}: a line is not a JSON object; give two JSON Lines files written by claimx")
            rid = rec.get("id")
            key = f"#{n}" if rid is None else str(rid)
            seen[key] += 1
            if seen[key] > 1:  # the same claim twice (an article given twice): pair occurrences in order
                key = f"{key}#{seen[key]}"
            doc = rec.get("doc") if isinstance(rec.get("doc"), dict) else {}
            cue = rec.get("cue") if isinstance(rec.get("cue"), dict) else None
            span = (cue.get("start"), cue.get("end")) if cue and isinstance(cue.get("start"), int) else None
            side.records.append(_Rec(key, str(doc.get("id", rec.get("id", ""))), str(doc.get("sha256", "")), span,
                                     hashlib.blake2b(raw.rstrip(b"\r\n"), digest_size=16).digest(), here, n))
    return side


def diff_files(old_path: str, new_path: str) -> Diff:
    old, new = _read(old_path), _read(new_path)
    d = Diff(old, new)
    new_by_key = {r.key: r for r in new.records}
    old_keys = set()
    left_old: list[_Rec] = []
    for r in old.records:
        old_keys.add(r.key)
        m = new_by_key.get(r.key)
        if m is None:
            left_old.append(r)
        elif m.digest == r.digest or d.record(old, r) == d.record(new, m):
            d.unchanged += 1
        else:
            d.changes.append(Change("changed", r, m, "id"))
    left_new = [r for r in new.records if r.key not in old_keys]
    _pair_by_span(d, left_old, left_new)
    d._cache.clear()
    return d


def _pair_by_span(d: Diff, left_old: list[_Rec], left_new: list[_Rec]) -> None:
    olds: dict[str, list[_Rec]] = defaultdict(list)
    for r in left_old:
        olds[r.doc].append(r)
    paired_old: set[int] = set()
    for doc, news in _group(left_new):
        cands = olds.get(doc, [])
        for n in news:
            best, best_overlap = None, 0
            for o in cands:
                if id(o) in paired_old:
                    continue
                if o.sha and o.sha == n.sha and o.cue and n.cue:
                    overlap = min(o.cue[1], n.cue[1]) - max(o.cue[0], n.cue[0])
                    if overlap > best_overlap:
                        best, best_overlap = o, overlap
                elif o.sha != n.sha and best is None and _same_text(d, o, n):
                    best, best_overlap = o, 0
            if best is None:
                d.changes.append(Change("added", None, n))
            else:
                paired_old.add(id(best))
                by = "span" if best.sha == n.sha else "text"
                if d.record(d.old, best) == d.record(d.new, n):
                    d.unchanged += 1
                else:
                    d.changes.append(Change("changed", best, n, by))
    for r in left_old:
        if id(r) not in paired_old:
            d.changes.append(Change("removed", r, None))


def _group(recs: list[_Rec]) -> Iterator[tuple[str, list[_Rec]]]:
    groups: dict[str, list[_Rec]] = defaultdict(list)
    for r in recs:
        groups[r.doc].append(r)
    return iter(groups.items())


def _same_text(d: Diff, o: _Rec, n: _Rec) -> bool:
    if o.cue is None or n.cue is None:
        return False
    a, b = d.record(d.old, o), d.record(d.new, n)
    return all(_text(a, k) == _text(b, k) for k in ("cue", "source", "content"))


def _text(rec: dict, key: str) -> Any:
    v = rec.get(key)
    return v.get("text") if isinstance(v, dict) else v


# ------------------------------------------------------------------------ rendering


def _clip(text: Any, width: int = 70) -> str:
    s = "" if text is None else str(text).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def describe(rec: dict) -> str:
    """One line a reviewer can read: [type] source ← cue: «content» @start-end."""
    cue = rec.get("cue") if isinstance(rec.get("cue"), dict) else None
    if cue is None:
        return f"id {rec.get('id')}"
    src = rec.get("source") or {}
    who = _clip(src.get("text"), 40) or "(no source)"
    content = _clip((rec.get("content") or {}).get("text"))
    pol = rec.get("polarity")
    return (f"[{cue.get('type')}] {who} ← {cue.get('text')} «{content}» "
            f"@{cue.get('start')}-{cue.get('end')}{' (' + pol + ')' if pol and pol != 'positive' else ''}")


def _value(rec: dict, dotted: str) -> Any:
    v: Any = rec
    for part in dotted.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v


def _show(v: Any) -> str:
    if isinstance(v, str):
        return json.dumps(_clip(v, 60), ensure_ascii=False)
    return _clip(json.dumps(v, ensure_ascii=False), 60)


def render_text(d: Diff, limit: int = 0) -> str:
    s = d.summary()
    out = [f"--- {d.old.path}", f"+++ {d.new.path}",
           f"claims: {s['old']} → {s['new']}  (unchanged {s['unchanged']}, changed {s['changed']}, "
           f"added {s['added']}, removed {s['removed']})"]
    shown = 0
    for doc, changes in d.by_document():
        if limit and shown >= limit:
            break
        out.append("")
        out.append(f"{doc}")
        for c in changes:
            if limit and shown >= limit:
                break
            shown += 1
            old, new = d.record(d.old, c.old), d.record(d.new, c.new)
            if c.kind == "added":
                out.append(f"  + {describe(new)}")
            elif c.kind == "removed":
                out.append(f"  - {describe(old)}")
            else:
                out.append(f"  ~ {describe(new)}  (paired by {c.by})")
                for f in d.fields(c):
                    if f == "id" or f.startswith("doc."):
                        continue
                    out.append(f"      {f}: {_show(_value(old, f))} → {_show(_value(new, f))}")
    if limit and shown < len(d.changes):
        out.append("")
        out.append(f"… {len(d.changes) - shown} more changes not listed (--limit {limit})")
    return "\n".join(out) + "\n"


def render_markdown(d: Diff, limit: int = 200) -> str:
    s = d.summary()
    out = ["### claimx diff", "",
           "| | claims |", "|---|---:|",
           f"| old | {s['old']} |", f"| new | {s['new']} |", f"| unchanged | {s['unchanged']} |",
           f"| changed | {s['changed']} |", f"| added | {s['added']} |", f"| removed | {s['removed']} |", ""]
    if not d.differ:
        out.append("No claim changed.")
        return "\n".join(out) + "\n"
    out += ["<details><summary>Claims by document</summary>", "", "```diff"]
    body = render_text(d, limit).split("\n")[3:]
    out += [line for line in body if line != ""] + ["```", "", "</details>"]
    return "\n".join(out) + "\n"


def render_json(d: Diff) -> dict:
    def item(c: Change) -> dict:
        old, new = d.record(d.old, c.old), d.record(d.new, c.new)
        if c.kind == "added":
            return new
        if c.kind == "removed":
            return old
        return {"by": c.by, "fields": d.fields(c), "old": old, "new": new}

    return {"old": d.old.path, "new": d.new.path, "summary": d.summary(),
            "added": [item(c) for c in d.changes if c.kind == "added"],
            "removed": [item(c) for c in d.changes if c.kind == "removed"],
            "changed": [item(c) for c in d.changes if c.kind == "changed"]}
