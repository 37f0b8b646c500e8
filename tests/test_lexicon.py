import pytest

from claimx.errors import LexiconError
from claimx.lexicon import CUE_TYPES, Lexicons, default_lexicons, parse_cues, parse_hedges


def test_lexicon_default_loads_and_covers_every_type():
    lex = default_lexicons()
    assert {e.type for e in lex.cues} == set(CUE_TYPES)
    assert len({e.id for e in lex.cues}) == len(lex.cues)


@pytest.mark.parametrize("text,message", [
    ("cues:\n  - {id: a, lemma: x, type: sayy, pos: verb, forms: [قال]}\n", "cues.yaml:2: key 'type': must be one of"),
    ("cues:\n  - {id: a, lemma: x, type: say, forms: [قال]}\n", "cues.yaml:2: key 'pos': missing required key"),
    ("cues:\n  - {id: a, lemma: x, type: say, pos: verb, forms: []}\n", "key 'forms': must be a non-empty list"),
    ("cues:\n  - {id: a, lemma: x, type: say, pos: verb, forms: [قال], colour: red}\n", "key 'colour': unknown key"),
    ("cues:\n  - {id: a, lemma: x, type: say, pos: verb, forms: [قال]}\n  - {id: a, lemma: x, type: say, pos: verb, forms: [قال]}\n", "cues.yaml:3: key 'id': duplicate id"),
    ("cues:\n  - {id: a, lemma: x, type: say, pos: verb, forms: [نشر], no_enclitic: yes please}\n", "cues.yaml:2: key 'no_enclitic': must be true or false"),
    ("cues: [\n", "not valid YAML"),
    ("nothing: 1\n", "a list under 'cues'"),
])
def test_lexicon_rejects_broken_cue_file(text, message):
    with pytest.raises(LexiconError, match=message.replace("(", r"\(")):
        parse_cues("cues.yaml", text)


def test_lexicon_rejects_broken_hedge_file():
    with pytest.raises(LexiconError, match="hedges.yaml:2: key 'type'"):
        parse_hedges("hedges.yaml", "hedges:\n  - {id: a, type: vague, forms: [نحو]}\n")


def test_lexicon_custom_file_changes_output(tmp_path):
    from claimx.model import Document
    from claimx.pipeline import Options, Pipeline

    cues = tmp_path / "cues.yaml"
    cues.write_text("cues:\n  - {id: say.qala, lemma: قال, type: say, pos: verb, forms: [قال]}\n", "utf-8")
    doc = Document("d", "قال المرصد إن الهجوم فشل. وأكد الجيش أن المدينة سقطت.")
    assert len(Pipeline().extract(doc)) == 2
    assert len(Pipeline(Options(cues=str(cues))).extract(doc)) == 1
    assert Lexicons(cues).hash != default_lexicons().hash
