"""Score gazetteer mentions against the `entities` of gold files (`claimx eval --entities`).

Gold (tests/gold/README.md): per document, `entities` maps a gold type
(`place`, `actor`, `source_org`) to canonical keys and the surface forms that
occur in the text. Every occurrence of a form in the text (white space
flexible, proclitics و ف ب ل ك allowed before it, a word boundary after it) is
one gold item. Figures:

- ``typed_recall``   occurrences overlapped by a mention of the right type
                     (place → place, actor → actor, source_org → source or actor:
                     the gold puts quoted organisations such as the UN there, the
                     gazetteer files them as actors);
- ``tagged_recall``  occurrences overlapped by a mention of any type;
- ``resolved``       occurrences whose mention carries an id;
- ``consistency``    gold entities all of whose occurrences are tagged with the
                     right type and carry one and the same id (the issue's "all
                     surface forms of one entity resolve to the same id");
- ``consistency_related``  the same, counting as one id two places that
                     `related(a, b)` says are one place at different grains (the
                     gold lumps "إدلب" the city and "محافظة إدلب" under one key).

An occurrence inside a longer occurrence of another gold form is not scored on
its own: "سوريا" in "قوات سوريا الديمقراطية" is the SDF, not the country.
Forms that do not occur in the text are reported as ``gold_errors`` and not scored.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

TYPE_MAP = {"place": ("place",), "actor": ("actor",), "source_org": ("source", "actor")}
_L = r"[^\W\d_]"  # a letter
# at a word start, or after one or two proclitic letters that start the word
_PREFIX = (rf"(?:(?<!{_L})|(?<=[وفبلك])(?<!{_L}[وفبلك])|(?<=[وف][بلك])(?<!{_L}[وف][بلك]))")


def _pattern(form: str) -> re.Pattern:
    body = r"\s+".join(re.escape(p) for p in form.split())
    return re.compile(_PREFIX + body + r"(?![^\W\d_])")


@dataclass
class EntityScores:
    counts: Counter = field(default_factory=Counter)
    by_type: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def _add(self, gold_type: str, key: str, n: int = 1) -> None:
        self.counts[key] += n
        self.by_type.setdefault(gold_type, Counter())[key] += n

    def as_dict(self) -> dict:
        def ratio(c, k, total):
            return round(c[k] / c[total], 4) if c[total] else None

        def figures(c):
            return {
                "occurrences": c["occurrences"],
                "typed_recall": ratio(c, "typed", "occurrences"),
                "tagged_recall": ratio(c, "tagged", "occurrences"),
                "resolved": ratio(c, "resolved", "occurrences"),
                "entities": c["entities"],
                "consistency": ratio(c, "consistent", "entities"),
                "consistency_related": ratio(c, "consistent_related", "entities"),
            }

        out = figures(self.counts)
        out["documents"] = self.counts["documents"]
        out["by_type"] = {t: figures(c) for t, c in sorted(self.by_type.items())}
        out["gold_errors"] = self.counts["gold_errors"]
        return out


def score_entities(text: str, doc_id: str, gold_doc: dict, mentions: list[dict], scores: EntityScores,
                   related=None) -> None:
    """Add one document's entity figures to `scores` (misses go to `scores.errors`).

    `related(a, b)` (optional) tells whether two ids name one place at different grains.
    """
    scores.counts["documents"] += 1
    ents = gold_doc.get("entities") or {}
    occurrences = []  # (start, end, gold type, key, form)
    for gold_type, keyed in ents.items():
        for key, forms in (keyed or {}).items():
            for form in forms or ():
                hits = [h.span() for h in _pattern(str(form)).finditer(text)]
                if not hits:
                    scores.counts["gold_errors"] += 1
                    scores.errors.append({"doc": doc_id, "kind": "gold form not in text", "form": form})
                occurrences += [(s, e, gold_type, key, form) for s, e in hits]
    nested = {o for o in occurrences
              if any(p[3] != o[3] and p[0] <= o[0] and o[1] <= p[1] and (p[0], p[1]) != (o[0], o[1]) for p in occurrences)}
    by_entity: dict[tuple[str, str], list] = {}
    for o in occurrences:
        if o not in nested:
            by_entity.setdefault((o[2], o[3]), []).append(o)
    for (gold_type, key), occ in by_entity.items():
        wanted = TYPE_MAP.get(gold_type, (gold_type,))
        ids: list = []
        all_ok = True
        for s, e, _, _, form in occ:
            over = [m for m in mentions if m["start"] < e and s < m["end"]]
            typed = [m for m in over if m["type"] in wanted]
            scores._add(gold_type, "occurrences")
            if over:
                scores._add(gold_type, "tagged")
            if typed:
                scores._add(gold_type, "typed")
                best = max(typed, key=lambda m: min(e, m["end"]) - max(s, m["start"]))
                if best["id"]:
                    scores._add(gold_type, "resolved")
                ids.append(best["id"])
            else:
                all_ok = False
                scores.errors.append({"doc": doc_id, "kind": "missed" if not over else "wrong type",
                                      "type": gold_type, "entity": key, "form": form, "start": s,
                                      "got": [(m["text"], m["type"], m["id"]) for m in over]})
        scores._add(gold_type, "entities")
        distinct = sorted(set(ids), key=str)
        if not all_ok or None in distinct:
            continue
        if len(distinct) == 1:
            scores._add(gold_type, "consistent")
            scores._add(gold_type, "consistent_related")
            continue
        if related is not None and all(related(a, b) for a in distinct for b in distinct):
            scores._add(gold_type, "consistent_related")
        scores.errors.append({"doc": doc_id, "kind": "inconsistent ids", "type": gold_type,
                              "entity": key, "ids": distinct})
