"""Score gazetteer mentions against the `entities` of gold files (`claimx eval --entities`).

Gold (tests/gold/README.md): per document, `entities` maps a gold type
(`place`, `actor`, `source_org`) to canonical keys and the surface forms that
occur in the text. Every occurrence of a form in the text (white space
flexible, proclitics و ف ب ل ك allowed before it, a word boundary after it) is
one gold item. Figures:

- ``typed_recall``   occurrences overlapped by a mention of the right type
                     (place → place, actor → actor, source_org → source);
- ``tagged_recall``  occurrences overlapped by a mention of any type;
- ``resolved``       occurrences whose mention carries an id;
- ``consistency``    gold entities all of whose occurrences are tagged with the
                     right type and carry one and the same id (the issue's "all
                     surface forms of one entity resolve to the same id").

Forms that do not occur in the text are reported as ``gold_errors`` and not scored.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

TYPE_MAP = {"place": ("place",), "actor": ("actor",), "source_org": ("source",)}
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
            }

        out = figures(self.counts)
        out["documents"] = self.counts["documents"]
        out["by_type"] = {t: figures(c) for t, c in sorted(self.by_type.items())}
        out["gold_errors"] = self.counts["gold_errors"]
        return out


def score_entities(text: str, doc_id: str, gold_doc: dict, mentions: list[dict], scores: EntityScores) -> None:
    """Add one document's entity figures to `scores` (misses go to `scores.errors`)."""
    scores.counts["documents"] += 1
    ents = gold_doc.get("entities") or {}
    for gold_type, keyed in ents.items():
        wanted = TYPE_MAP.get(gold_type, (gold_type,))
        for key, forms in (keyed or {}).items():
            ids: set = set()
            all_ok = True
            found_any = False
            for form in forms or ():
                hits = list(_pattern(str(form)).finditer(text))
                if not hits:
                    scores.counts["gold_errors"] += 1
                    scores.errors.append({"doc": doc_id, "kind": "gold form not in text", "form": form})
                    continue
                found_any = True
                for h in hits:
                    s, e = h.span()
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
                        ids.add(best["id"])
                    else:
                        all_ok = False
                        scores.errors.append({"doc": doc_id, "kind": "missed" if not over else "wrong type",
                                              "type": gold_type, "entity": key, "form": form, "start": s,
                                              "got": [(m["text"], m["type"], m["id"]) for m in over]})
            if not found_any:
                continue
            scores._add(gold_type, "entities")
            if all_ok and len(ids) == 1 and None not in ids:
                scores._add(gold_type, "consistent")
            elif all_ok:
                scores.errors.append({"doc": doc_id, "kind": "inconsistent ids", "type": gold_type,
                                      "entity": key, "ids": sorted(map(str, ids))})
