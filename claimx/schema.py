"""JSON Schemas of the records claimx writes (`claimx schema claim|doc`)."""
from __future__ import annotations

from .lexicon import CUE_TYPES, HEDGE_TYPES


def _span(extra: dict | None = None, required=("text", "start", "end")) -> dict:
    props = {"text": {"type": "string"}, "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}}
    props.update(extra or {})
    return {"type": "object", "required": list(required), "properties": props}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [{"type": "null"}, schema]}


OUTLET = _nullable({
    "type": "object", "required": ["text", "start", "end", "entity"],
    "properties": {"text": {"type": "string"}, "start": {"type": ["integer", "null"]},
                   "end": {"type": ["integer", "null"]}, "entity": {"type": ["string", "null"]}},
})

DOC_INFO = {
    "type": "object", "required": ["id", "sha256", "outlet"],
    "properties": {"id": {"type": "string"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                   "outlet": OUTLET, "encoding": {"type": "string"}, "meta": {"type": "object"}},
}

# A gazetteer mention (`claimx tag`, and a claim's `entities`). `id` is null for an
# unknown place after a trigger word ("قرية X") and for an ambiguous name, which
# then lists its `candidates`; `in` says which span of a claim holds it.
MENTION = _span({
    "id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]},
    "type": {"enum": ["place", "actor", "source"]}, "subtype": {"type": ["string", "null"]},
    "match": {"enum": ["exact", "variant", "fuzzy", "trigger"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "resolved_by": {"enum": ["context", "trigger", "name", "anaphor"]},
    "acts_as": {"type": "string"},  # a country or capital as the subject of a verb: its government's id
    "trigger": _span(),
    "antecedent": _span(),
    "candidates": {"type": "array", "items": {
        "type": "object", "required": ["id", "name", "type", "subtype"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "type": {"type": "string"},
                       "subtype": {"type": "string"}, "parent": {"type": "string"}, "parent_name": {"type": "string"}}}},
    "in": {"enum": ["source", "recipient", "content"]},
}, required=("text", "start", "end", "id", "name", "type", "subtype"))

CLAIM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "claimx.claim/1",
    "title": "An attributed claim",
    "type": "object",
    "required": ["schema", "id", "doc", "sentence", "cue", "source", "recipient", "content",
                 "polarity", "certainty", "hedges", "entities", "evidence"],
    "properties": {
        "schema": {"const": "claimx.claim/1"},
        "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        "doc": DOC_INFO,
        "sentence": {"type": "object", "required": ["index", "start", "end"],
                     "properties": {"index": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"}}},
        "cue": _span({"lemma": {"type": "string"}, "type": {"enum": list(CUE_TYPES)}}),
        "source": _span({"kind": {"enum": ["named", "anonymous", "none"]}, "resolved": {"type": "boolean"},
                         "entity": {"type": ["string", "null"]}}),
        "recipient": _nullable(_span()),
        "via": _nullable(_span()),
        "content": _span(),
        "polarity": {"enum": ["positive", "negative"]},
        "certainty": {"enum": ["certain", "probable", "possible", "unknown"]},
        "hedges": {"type": "array", "items": _span({"type": {"enum": list(HEDGE_TYPES)}})},
        "entities": {"type": "array", "items": MENTION},
        "evidence": {"type": "object", "required": ["cue", "rule"],
                     "properties": {"cue": {"type": "string"}, "rule": {"type": "string"}, "engine": {"type": "string"}}},
        "frame": {"type": "object"},
    },
}

DOC = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "claimx.doc/1",
    "title": "A document: raw text, normalised view, sentences (and mentions from `claimx tag`)",
    "type": "object",
    "required": ["schema", "id", "doc", "text"],
    "properties": {
        "schema": {"const": "claimx.doc/1"},
        "id": {"type": "string"},
        "doc": DOC_INFO,
        "text": {"type": "string"},
        "normalized": {"type": "object", "required": ["text", "steps"],
                       "properties": {"text": {"type": "string"}, "steps": {"type": "array", "items": {"type": "string"}}}},
        "sentences": {"type": "array", "items": _span({"index": {"type": "integer"}, "boilerplate": {"type": "boolean"}})},
        "tokens": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}},
        "mentions": {"type": "array", "items": MENTION},
    },
}

SCHEMAS = {"claim": CLAIM, "doc": DOC}


def spans_of(record: dict):
    """Every (text, start, end) span in a record, for the offsets check."""
    def walk(node):
        if isinstance(node, dict):
            if {"text", "start", "end"} <= node.keys() and isinstance(node.get("start"), int):
                yield node
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)
    for key, value in record.items():
        if key not in ("text", "normalized"):
            yield from walk(value)
