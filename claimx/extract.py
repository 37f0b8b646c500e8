"""The claim stage: reporting cues → attributed claims.

For every sentence, cue candidates come from the cue lexicon (clitic-aware).
Each candidate is read by the rule for its part of speech:

- verb        VSO "قال مصدر محلي لوكالة ستيب إن …", SVO "مصادر الجزيرة أكدت أن …",
              pro-drop "وأضافت أن …" (source = antecedent), relay "نقلت X عن Y أن …",
              masdar objects "نفت وزارة الدفاع صحة المعلومات …";
- participle  "مشيرا إلى أن …", "مرجحا مقتل …": always a continuation of the antecedent;
- prep        "… ، بحسب المرصد" (content before) or "وبحسب المرصد، فإن …" (content after);
- noun        rumors "وردت أنباء عن …" (no source);
- predicate   "… عارية عن الصحة" (deny; the source is the clause's speaker).

Everything is matched on the normalised view; every span is mapped back to raw
offsets through `Document.nspan`, so it slices the raw text exactly.
"""
from __future__ import annotations

import hashlib
import sys
import unicodedata
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

from .lexicon import CueEntry, Lexicons, default_lexicons
from .match import Match, resolve_overlaps
from .model import Document, Sentence, Span
from .normalize import fold
from .segment import split_sentences

SCHEMA = "claimx.claim/1"

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")

_PRONOUNS = ("", "ه", "ها", "هم", "هما", "هن", "نا", "ني")
COMPLEMENTISERS = frozenset(p + s for p in ("ان", "بان", "وان", "فان") for s in _PRONOUNS)
CLAUSE_PUNCT = frozenset(",;:()[]!?.")
_TRIMMED = CLAUSE_PUNCT | {"-"}  # what _span trims (one set, not one per test)
RELATIVES = frozenset({"التي", "الذي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي"})
NEGATIONS = frozenset({"لم", "لا", "لن", "ولم", "ولا", "فلم", "عدم", "بعدم"})
TIME_WORDS = frozenset(fold(w) for w in (
    "اليوم أمس امس الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد مساء صباح ليل ليلة فجر "
    "يوم الليلة الماضي الماضية مؤخرا سابقا لاحقا أيضا كذلك بدوره بدورها بدورهم من جهته من جهتها "
    "رسميا علنا صراحة "  # manner adverbs: "يعلن رسميا انتهاء …" has no source after the verb
    "مرارا مجددا تكرارا مثلا فعلا نفيا"  # "وأكدت حماس مرارا أنها …": the adverb ends the source
).split())
CHANNEL_NOUNS = frozenset(fold(w) for w in (
    "تصريح تصريحات بيان حديث مقابلة مؤتمر تغريدة تغريدات رسالة اتصال لقاء كلمة خطاب منشور "
    "تقرير تسجيل بث شريط مداخلة حوار"
).split())
RECIPIENT_HEADS = frozenset(fold(w) for w in (
    "وكالة الوكالة قناة القناة صحيفة الصحيفة موقع الموقع شبكة الشبكة تلفزيون إذاعة راديو مراسل المراسل "
    "مراسلي وسائل الصحفيين الصحافيين الصحافة الصحافة الإعلاميين المراسلين الجزيرة العربية الجديد "
    "عنب سكاي رويترز فرانس الحياة الشرق القدس العربي"
).split())
# Heads of unnamed sources: source.kind = anonymous.
ANONYMOUS_HEADS = frozenset(fold(w) for w in (
    "مصدر مصادر المصادر المصدر مسؤول مسؤولون مسؤولين ناشط ناشطون ناشطين الناشطون نشطاء ناشطو شهود سكان "
    "أهالي الأهالي وسائل تقارير جهات أوساط مراقبون محللون متحدث ناطق مقربون مقربين مصدرا عناصر قيادي "
    "قياديون ضابط ضباط مواقع صفحات حسابات معارضون موالون مدنيون مراسلون شخص أشخاص خبراء معلومات أنباء "
    "هذه هذا أغلب بعض"
).split())
FEMININE_HEADS = frozenset(fold(w) for w in (
    "مصادر المصادر قوات وسائل سلطات جهات فصائل أوساط تقارير أنباء معلومات وحدات ميليشيات مليشيات "
    "أجهزة دول الحكومة وزارة الوزارة وكالة الوكالة شبكة منظمة هيئة"
).split())
# Objects that open the content of a verb with no complementiser ("نفت … صحة …").
MASDARS = frozenset(fold(w) for w in (
    "صحة وجود وقوع حدوث سيطرة تطويق دخول انسحاب مقتل إسقاط استهداف قصف استعادة تحرير إطلاق بدء انتهاء "
    "استيلاء تقدم اعتقال إرسال مشاركة تورط مسؤولية شن تنفيذ أسر قتل إصابة تدمير فرض رفض قبول موافقة توقيع "
    "التوصل عقد إجراء الاتهامات اتهامات الأنباء الأخبار التقارير المعلومات الادعاءات المزاعم الشائعات "
    "أي أية كل ما هذه هذا تلك ذلك حصول نقل سقوط تعرض إحراز تمكن عودة خروج فتح إغلاق نية قيام استخدام وصول "
    "وفاة نزوح تهجير حشد تعزيز هجوم هجمات غارات ضربات مقتلهم سيطرتها سيطرته سيطرتهم أنباء أخبار عدم"
).split())
PARTICLES = frozenset(fold(w) for w in (
    "قد لقد وقد فقد كان وكان كانت وكانت ثم لم لن ما لا إلا لكن ولكن بل في من على إلى الى عن مع بعد قبل "
    "خلال منذ حتى عند بين حيث إذ اذ كما فيما بينما هل وهو وهي هو هي أما وأما إذا إن "
    "ب بال أمام بشكل رغم برغم بالرغم نفسه"  # "قال أمام العسكريين :", "تشير بشكل غير مباشر", "يصف نفسه بأنه"
).split())
STRONG_BOUNDARIES = frozenset(fold(w) for w in "لكن ولكن بينما وبينما حيث".split())
BOUNDARY_WORDS = frozenset(fold(w) for w in (
    "إلا لكن ولكن بينما فيما حيث إذ كما بعدما عندما حين حينما وحين وحينما وفيما وبينما وحيث "
    "وحذر وحذرت ودعا ودعت وطالب وطالبت وأشاد وأشادت وتعهد وتعهدت "  # a new act after a comma
    "الأمر وهو وهذا"  # "…، الأمر الذي نفاه …": a comment on what came before
).split())
NARRATION_FORMS = frozenset(fold(w) for w in ("يذكر", "يشار", "تجدر", "يجدر"))
# "كشف زيف الادعاءات", "تكشف حقيقة ما جرى": a thing laid bare right after كشف is its object, no speaker
KASHF_OBJECTS = frozenset(fold(w) for w in (
    "حقيقة زيف خسة تفاصيل أسرار خبايا سر مدى حجم نوايا النوايا ظواهر وجه وجهه وجهها عورة لثام ستار غطاء "
    "حسابات أوراق زيفها حقيقته حقيقتها"
).split())
AQARRA_FORMS = frozenset(fold(w) for w in "أقر أقرت أقروا يقر تقر".split())
# "ي ذكر أن" (the passive يُذكر split by the tokeniser), "أي ذكر", "في ذكر اسمه": ذكر is no verb here
DHIKR_NOT_VERB = frozenset(fold(w) for w in "ي أي في دون بدون عدم".split())
RUMOR_TRIGGERS = frozenset(fold(w) for w in "وردت ترددت رشحت تواترت تسربت انتشرت تناقلت تتحدث تحدثت وتحدثت ظهرت برزت".split())
RUMOR_FRAMES = frozenset(fold(w) for w in "وسط ووسط مع ظل ضوء وقع بعد عقب إثر اثر رغم".split())
RUMOR_FOLLOWERS = frozenset(fold(w) for w in "عن حول تفيد تشير بان ان بأن أن مفادها".split())
HEDGE_NOUNS = frozenset(fold(w) for w in "تقديرات إحصائيات إحصاءات أرقام بيانات معلومات تقرير رواية وجهة تعبير".split())
DISTANCING_LEAD = (("ما", "تعرف"), ("ما", "يعرف"), ("ما", "يسمي"), ("ما", "تسمي"), ("ما", "يطلق", "عليه"))
# Discourse openers that are the journalist's, not the source's ("وفي السياق ذاته، …").
_OPENER = re.compile(
    r"(?:و?في (?:هذا |ذات )?السياق(?: ذاته| نفسه)?|و?في سياق (?:متصل|اخر|منفصل)|و?من جهه (?:اخري|ثانيه)|"
    r"و?الي ذلك|و?في غضون ذلك|و?في (?:هذه )?الاثناء|و?في الوقت (?:نفسه|ذاته))\s*,?\s*"
)
CONSTRUCT_HEADS = ANONYMOUS_HEADS | RECIPIENT_HEADS | FEMININE_HEADS
MAX_SOURCE = 20
MAX_BACK = 10
# Heads that take a في phrase inside the source: "مصدر في الوحدات", "مسؤول في الوزارة".
PERSON_HEADS = frozenset(fold(w) for w in (
    "مصدر مصادر المصدر المصادر مسؤول مسؤولون مسؤولين المسؤول عضو أعضاء قيادي القيادي قياديون ضابط ضباط "
    "ناشط ناشطون ناشطين الناشط قائد القائد متحدث المتحدث ناطق الناطق خبير خبراء باحث مراسل مراسلنا مستشار"
).split())

NEGATIVE_TYPES = frozenset({"deny", "doubt"})
RUMOR_HEADS = frozenset(fold(w) for w in "أنباء معلومات تقارير أخبار روايات شائعات تسريبات".split())
ADVERBIAL_STARTS = frozenset(fold(w) for w in "في فيه فيها فيهم خلال عبر أيضا كذلك بدوره بدورها حينها آنذاك قبل بعد".split())
# "مما يشير إلى", "ما يؤكد أن", "ومما يلفت": an imperfect of these after ما states what a fact
# shows (the writer's inference), not what somebody said; "ما تقول إنه …" stays a claim.
_WHAT = frozenset(fold(w) for w in "ما مما وما ومما".split())
# "أكدت هذه الأوساط أن …": a demonstrative + noun right before the complementiser is the subject,
# not the object it is in "نفت هذه الأنباء".
_DEMONSTRATIVES = frozenset(fold(w) for w in "هذه هذا تلك ذلك".split())
# A finite verb never follows these prepositions: the cue word after them is a noun ("في إفادتها
# الصحفية", "عن رأيه", "على قدرته", "إلى نقل السلطة"). Not منذ/بعد/قبل ("منذ أعلن", "فيما بعد أعلن")
# nor مع ("مع كشف النظام عن …" is a masdar cue of the guide).
_NOUN_PREPS = frozenset(fold(w) for w in "في على عن إلى حول رغم برغم خلال عبر لدى".split())
_INFERENCE_LEMMAS = frozenset({"أشار", "أكد", "أوضح", "بين", "لفت", "كشف", "ذكر"})
# Definite adjectives of a title: "القائد العام ل - …", "الرئيس المشترك ل - …", "المكتب الإعلامي ل - …".
_TITLE_ADJECTIVES = frozenset(fold(w) for w in "العام العامة المشترك المشتركة الإعلامي الرسمي الرسمية الأعلى".split())
_TITLE_HEADS = frozenset(fold(w) for w in (
    "القائد المسؤول الأمين الرئيس المدير المتحدث الناطق المكتب المركز المنسق المفوض الممثل النائب "
    "قائد مسؤول أمين رئيس مدير متحدث ناطق مكتب مركز منسق مفوض ممثل نائب").split())
# Quantity heads whose من opens what they count, inside one source ("العشرات من الصفحات").
PARTITIVES = frozenset(fold(w) for w in "العشرات عشرات المئات مئات الآلاف آلاف العديد عدد عددا بعض أغلب معظم كثير الكثير مجموعة".split())
# Adverbs that may stand between a verb and its subject ("أكد مجددا وزير الخارجية أن", "أكدت مرارا أن"):
# skipped when the source is read after the verb, and they end a source written before them.
SKIPPED_ADVERBS = frozenset(fold(w) for w in "مرارا مجددا تكرارا مثلا فعلا نفيا".split())
# A preposition with a pronoun right after the verb is its complement, not the subject:
# "نقلت عنه الصحيفة", "أشار إليه الناطق", "رد عليه الملك"; the subject, if any, follows it.
PREP_PRONOUNS = frozenset(fold(p + s) for p in ("عن", "إلي", "الي", "علي", "من") for s in _PRONOUNS[1:])
# After "ما وصفه"/"ما ذكرته": ب and عن open the object ("بالإرهاب", "عن مقبرة"), not the source.
BACK_REF_STOPS = frozenset({"ب", "بال", "عن"})
STATEMENT_NOUNS = frozenset(fold(w) for w in "بيانا بيان تصريحا تسجيلا رسالة تقريرا شريطا".split())
ISSUE_VERBS = frozenset(fold(w) for w in "أصدر أصدرت وأصدر وأصدرت نشر نشرت ونشر ونشرت بث بثت وبث وبثت وزع وزعت".split())
APPOSITION_STOPS = frozenset(fold(w) for w in "على من إلى الى مع عن لدى أمام يوم مساء صباح خلال عبر بعد قبل حسب بحسب وفق وفقا نقلا".split())
AN_LEMMAS = frozenset({"كشف", "أعلن", "تحدث", "أفاد", "أعرب"})
RECIPIENT_NAMES = frozenset(fold(w) for w in (
    "نيوز برس بوست بلدي 24 عربية ستيب سبوتنيك رويترز الأناضول سانا أسوشيتد فرانس بي سي إن ديارنا روداو "
    "هاوار سمارت أورينت تاس إنترفاكس نوفوستي"
).split())
MASDAR_OBJECT_TYPES = frozenset({"deny", "confirm", "announce", "doubt", "say"})
# "ادعى التنظيم مقتل …", "زعم … إسقاط": the guide's allege verbs take a verbal-noun object like
# deny/confirm; accusations (اتهم X بـ) do not (their object is the accused).
MASDAR_ALLEGE_LEMMAS = frozenset({"ادعى", "زعم"})
MODAL_GOVERNORS = frozenset(fold(w) for w in "ينبغي يجب يتعين يمكن يفترض بد عليه عليها عليهم يريد تريد يريدون".split())
TIME_NOUNS = frozenset(fold(w) for w in "أسبوع شهر عام سنة صباح مساء يوم أسبوع".split())
KANA = frozenset(fold(w) for w in "كان وكان كانت وكانت فكان فكانت".split())
# "وفقا لاتفاق …", "حسب القانون": according-to phrases whose object is not a source.
# "قال لنظيره الأمريكي": the counterpart spoken to is a recipient.
COUNTERPARTS = frozenset(fold(w) for w in "نظيره نظيرها نظيريه نظرائه".split())
# "قال لهم", "أكد له", "يقولون لنا": ل + a pronoun is the one spoken to.
PRONOUN_RECIPIENTS = frozenset(fold(w) for w in "له لها لهم لهما لهن لنا لك لكم".split())
# Pronoun-bearing particles that open a clause: "لكنه أضاف" has no written subject.
PRONOUN_PARTICLES = frozenset(fold(p + s) for p in ("لكن", "ولكن", "إن", "وإن", "أن", "كأن") for s in _PRONOUNS[1:])
# Sentence openers that are no subject before "X , قال" ("وفي سياق متصل , قال").
_OPENERS = frozenset(fold(w) for w in (
    "وفي ومن وعلى وإلى والى وعن ومع وبعد وقبل وخلال ومنذ وحول حول وفيما وبينما وأما وكما ولكن وحسب بحسب وفق "
    "وفق وبحسب ووفق ووفقا وفقا ونقلا نقلا بدوره بدورها وبدوره وبدورها كذلك وكذلك أيضا وأيضا بالمقابل وبالمقابل "
    "إذا وإذا لو ولو عندما وعندما بعدما وبعدما حين وحين"
).split())
# Words that end a source: "وقال يلدريم ردا على سؤال"، "قائلا"، "بالقول".
SOURCE_STOPS = frozenset(fold(w) for w in "ردا تعليقا تعقيبا قائلا قائلة قائل بالقول".split())  # قائل: "قائل ا" split by the tokeniser
# Broken plurals of speakers: a plural continuation ("وأشاروا") wants a plural antecedent.
PLURAL_HEADS = frozenset(fold(w) for w in (
    "مصادر المصادر ناشطون ناشطين الناشطون سكان السكان شهود الشهود مسؤولون مسؤولين المسؤولون أهالي الأهالي "
    "قادة القادة عناصر مقاتلون المقاتلون خبراء الخبراء محللون المحللون وسائل نشطاء النشطاء معارضون المعارضون "
    "المكاتب مكاتب تنسيقيات التنسيقيات فصائل الفصائل أطباء الأطباء"
).split())
NOT_SOURCES = frozenset(fold(w) for w in (
    "اتفاق الاتفاق لاتفاق مبادئ لمبادئ قرار القرار لقرار القانون للقانون الدستور للدستور خطة لخطة برنامج "
    "شروط لشروط آلية لآلية نظام بنود لبنود قواعد لقواعد تعليمات لتعليمات الأصول الحاجة الظروف الطلب "
    "وجهة تعبير تعبيره تعبيرها رأيه رأيها تطورات التطورات المستجدات مستجدات الأوضاع الوضع المعطيات "
    "لذلك لهذا لهذه للمعطيات رغبة لرغبة حسابات لحسابات مسارات لمسارات سياسات لسياسات "
    "بوصلة لبوصلة مصالح لمصالح للمصالح خطط لخطط للخطط الخطط "
    "للقرار للقرارات لقرارات القرارات للاتفاق للاتفاقية لاتفاقية الاتفاقية المادة للمادة لمادة البند للبند"  # "وفقا لذلك", "وفق ا لرغبة تركيا": a plan, not a speaker
).split())


class Tok(NamedTuple):
    start: int  # view offsets
    end: int
    text: str


@dataclass
class Draft:
    """A claim under construction; view offsets until `to_record`."""

    cue: tuple[int, int]
    entry: CueEntry
    rule: str
    source: tuple[int, int] | None = None
    source_kind: str = "none"
    resolved: bool = False
    recipient: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    type: str = ""
    hedges: list = field(default_factory=list)
    sentence: Sentence | None = None
    feminine: bool | None = None
    plural: bool = False


_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_new_tuple = tuple.__new__


def _tokens(text: str, base: int) -> list[Tok]:
    return _tokens_and_starts(text, base)[0]


def _tokens_and_starts(text: str, base: int) -> tuple[list[Tok], list[int]]:
    # split gives [gap, token, gap, token, …, gap]; offsets are the running sum of
    # their lengths: no match object and no Python call per token
    parts = _TOKEN_SPLIT.split(text)
    at = list(accumulate(map(len, parts), initial=base))
    starts = at[1:-1:2]
    return list(map(_new_tuple, repeat(Tok), zip(starts, at[2::2], parts[1::2]))), starts


def _strip_clitic(word: str) -> str:
    for p in ("وال", "فال", "بال", "لل", "ال", "و", "ف", "ب"):
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p):]
    return word


def _bare(word: str) -> str:
    """A word without its conjunction/preposition/article, for head lookups."""
    w = word
    for p in ("وال", "فال", "بال", "كال", "لل", "ال"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            return w[len(p):]
    return w


def _head_in(word: str, heads: frozenset) -> bool:
    return word in heads or _bare(word) in heads or ("ال" + _bare(word)) in heads


def _is_comp(tok: Tok) -> bool:
    return tok.text in COMPLEMENTISERS


@lru_cache(maxsize=8192)  # pure: word lists are constants; the readers ask it of the same words (cap: `normalize.fold`)
def _is_masdar(word: str) -> bool:
    if word in MASDARS:
        return True
    if word.startswith("ال") and word[2:] in MASDARS:
        return True
    for suf in ("ها", "ه", "هم", "هما"):
        if word.endswith(suf) and len(word) > len(suf) + 2:
            stem = word[: -len(suf)]
            if stem in MASDARS or (stem.endswith("ت") and stem[:-1] + "ه" in MASDARS):
                return True
    return False


# Verbal-noun patterns of the derived forms (انفعال، افتعال، استفعال، تفعيل، تفاعل) in the view.
_VERBAL_NOUN = re.compile(r"(?:ان..ا.|ا.ت.ا.|است..ا.|ت..ي.|ت.ا..)(?:ه|ات)?")


@lru_cache(maxsize=8192)  # pure: word lists are constants; the readers ask it of the same words (cap: `normalize.fold`)
def _is_verbal_noun(word: str) -> bool:
    """A listed object noun, or a derived-form verbal noun (الانتقال، استهداف)."""
    rest = word[2:] if word.startswith("ال") else word
    return _is_masdar(word) or _VERBAL_NOUN.fullmatch(rest) is not None


@lru_cache(maxsize=8192)  # pure: word lists are constants; the readers ask it of the same words (cap: `normalize.fold`)
def _is_bi_masdar(word: str) -> bool:
    """"بارتفاع", "بمقتل", "باندلاع": ب + a verbal noun opens the content of أفاد/أكد."""
    if not word.startswith("ب") or len(word) <= 3:
        return False
    rest = word[3:] if word.startswith("بال") else word[1:]
    return _is_masdar(word[1:]) or _is_masdar(rest) or _VERBAL_NOUN.fullmatch(rest) is not None


def _is_recipient(toks: list[Tok], k: int) -> bool:
    t = toks[k].text
    if t in PRONOUN_RECIPIENTS:
        return True  # "قال لهم"، "أكد له": the one spoken to, never the speaker
    if t == "ل" and k + 1 < len(toks):
        return True  # لـ"العربي الجديد"
    if t.startswith("لل") and len(t) > 3:
        return "ال" + t[2:] in RECIPIENT_HEADS or t[2:] in RECIPIENT_HEADS
    if t.startswith("ل") and len(t) > 2:
        return t[1:] in RECIPIENT_HEADS or t[1:] in COUNTERPARTS
    return False


def _feminine_form(form: str, entry: CueEntry) -> bool | None:
    if entry.pos == "participle":
        return form.endswith("ه")
    if entry.pos == "verb":
        if form.endswith("ت") or form.endswith("تا"):
            return True
        if form.startswith("ت") and not form.startswith("تا") and entry.lemma[0] != "ت":
            return True
        return False
    return None


def _source_feminine(words: list[str]) -> bool:
    if not words:
        return False
    head = _bare(words[0])
    if words[0] in ("هذه", "تلك"):
        return True
    return head in FEMININE_HEADS or ("ال" + head) in FEMININE_HEADS or head.endswith("ه") or head.endswith("ات")


def _source_plural(words: list[str]) -> bool:
    """A plural or coordinated source: ناشطون، المصادر المحلية، المجلس والقوات."""
    if not words:
        return False
    head = _bare(words[0])
    if head in PLURAL_HEADS or ("ال" + head) in PLURAL_HEADS or head.endswith(("ون", "ين")) and len(head) > 4:
        return True
    return any(w.startswith("وال") and len(w) > 4 for w in words[1:4])


class _SentenceReader:
    """Applies the rules to one sentence. Offsets are in the view."""

    def __init__(self, doc: Document, sent: Sentence, lex: Lexicons, cue_matches: list[Match]):
        self.doc = doc
        self.view = doc.normalized.text
        self.sent = sent
        self.lex = lex
        self.toks, self._tok_starts = _tokens_and_starts(self.view[sent.nstart:sent.nend], sent.nstart)
        self.cues = cue_matches

    @property
    def starts(self) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(self.toks)}

    @property
    def ends(self) -> dict[int, int]:
        return {t.end: i for i, t in enumerate(self.toks)}

    # -- token helpers ------------------------------------------------------
    def tok_index_at(self, pos: int) -> int | None:
        i = bisect_right(self._tok_starts, pos) - 1  # tokens are disjoint and in order
        return i if i >= 0 and pos < self.toks[i].end else None

    def _unquote(self, span):
        """A source written in quotes ("المرصد السوري") is the name inside them."""
        if span and self.view[span[0]] == '"' and self.view[span[1] - 1] == '"' and span[1] - span[0] > 2 \
                and '"' not in self.view[span[0] + 1:span[1] - 1]:
            return span[0] + 1, span[1] - 1
        return span

    def _strip_opener(self, span):
        if span is None:
            return None
        m = _OPENER.match(self.view, span[0], span[1])
        if m and m.end() < span[1]:
            return m.end(), span[1]
        return span

    def _span(self, i: int, j: int) -> tuple[int, int] | None:
        """View span of tokens i..j-1, trimmed of punctuation at both ends."""
        while i < j and self.toks[i].text in _TRIMMED:
            i += 1
        while j > i and self.toks[j - 1].text in _TRIMMED:
            j -= 1
        if all(not t.text[0].isalnum() for t in self.toks[i:j]):
            return None
        if i >= j:
            return None
        return self.toks[i].start, self.toks[j - 1].end

    def _closing_quote(self, k: int) -> int | None:
        for q in range(k + 1, min(len(self.toks), k + 40)):
            if self.toks[q].text == '"':
                return q
        return None

    def _cue_token_range(self, m: Match) -> tuple[int, int]:
        i = self.tok_index_at(m.start)
        j = self.tok_index_at(m.end - 1)
        return i, (j if j is not None else i) + 1

    def content_end(self, k: int, cue_starts: set[int]) -> int:
        """Token index where a content starting at k ends (exclusive)."""
        toks = self.toks
        for q in range(k, len(toks)):
            if toks[q].text in (",", ";") and q + 1 < len(toks) and toks[q + 1].text in BOUNDARY_WORDS and q > k:
                return q  # "…، إلا أن …": a new clause that is not the source's
            if q > k + 2 and (toks[q].text in STRONG_BOUNDARIES or (toks[q].text == "في" and q + 1 < len(toks) and toks[q + 1].text == "حين")):
                return q
            if q in cue_starts and q > k:
                prev = toks[q - 1].text if q > 0 else ""
                coordinated = prev in (",", ";") or self.view[toks[q].start - 1:toks[q].start] in ("و", "ف") \
                    or self._coordinated_cue(q)
                if coordinated:
                    return q - 1 if prev in (",", ";") else q
        return len(toks)

    def _coordinated_cue(self, q: int) -> bool:
        m = self._cue_at_token.get(q)
        if m is None:
            return False
        e: CueEntry = m.payload
        return e.pos == "participle" or m.prefix in ("و", "ف") or e.type == "according_to" and self.toks[q - 1].text == ","

    # -- the rules ------------------------------------------------------------
    def read(self) -> list[Draft]:
        drafts: list[Draft] = []
        self._cue_at_token: dict[int, Match] = {}
        for m in self.cues:
            i, _ = self._cue_token_range(m)
            if i is not None:
                self._cue_at_token.setdefault(i, m)
        cue_starts = set(self._cue_at_token)
        for i, m in sorted(self._cue_at_token.items()):
            entry: CueEntry = m.payload
            rule = getattr(self, f"_read_{entry.pos}", None)
            # "بيان نشرته الوكالة", "تم نقله": an object pronoun makes the thing published or moved, not
            # a report; the word still ends a source before it
            d = rule(m, i, cue_starts) if rule and not (m.suffix and entry.no_enclitic) else None
            if d is not None:
                d.sentence = self.sent
                d.type = d.type or entry.type
                drafts.append(d)
        return drafts

    def _negated(self, i: int) -> bool:
        return i > 0 and self.toks[i - 1].text in NEGATIONS

    def _read_verb(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        entry: CueEntry = m.payload
        toks = self.toks
        _, j = self._cue_token_range(m)
        if fold(m.phrase) in NARRATION_FORMS and j < len(toks) and (_is_comp(toks[j]) or toks[j].text in ("الي",)):
            return None  # "يذكر أن …": the journalist's narration
        if not m.prefix and fold(m.phrase) == "ذكر" and i > 0 and toks[i - 1].text in DHIKR_NOT_VERB:
            return None
        if entry.lemma == "تابع" and not m.prefix and i > 0 and toks[i - 1].text not in (".", '"', ":", "!", "?"):
            return None  # "مركز تابع للحكومة", "تابع الجيش عملياتهم": only "وتابع" or a sentence-initial تابع continues a speech
        if not m.prefix and i > 0 and toks[i - 1].text == "الم":
            return None  # "ومن غير الم رج ح أن": the participle المرجّح split by the tokeniser, no verb
        if not m.prefix and i > 0 and toks[i - 1].text in _NOUN_PREPS and not (
                j < len(toks) and (_is_comp(toks[j]) or toks[j].text in ("الي", "عن") and j + 1 < len(toks) and _is_comp(toks[j + 1]))):
            # "في إفادتها", "عن رأيه", "على قدرته", "إلى نقل السلطة": a noun after a preposition, no verb;
            # a masdar that opens a proposition stays a cue ("رغم إشارته إلى أن …")
            return None
        if i > 0 and toks[i - 1].text in _WHAT and entry.lemma in _INFERENCE_LEMMAS and not m.suffix \
                and not m.phrase.endswith(("ه", "ها")) and fold(m.phrase)[:1] in ("ي", "ت") \
                and not self._preceded_by_according(i):
            return None  # "مما يشير إلى أن …", "وهو ما يؤكد أن …": the writer's inference, nobody's report
        if i > 1 and toks[i - 1].text == "ان" and toks[i - 2].text in MODAL_GOVERNORS:
            return None  # "ينبغي أن يؤكد المجتمع الدولي …": an exhortation, not a report
        d = Draft(cue=(m.start, m.end), entry=entry, rule="verb")
        if self._negated(i):
            if entry.type in ("confirm",):
                d.type, d.rule = "doubt", "negated-confirm"
            elif entry.type == "doubt":
                d.type, d.rule = "estimate", "negated-doubt"
            else:
                return None
        d.feminine = _feminine_form(m.phrase, entry)
        d.plural = fold(m.phrase).endswith("وا")
        if entry.type == "announce" and j < len(toks) and toks[j].text in ("عنه", "عنها", "عنهم"):
            return None  # "مكافأة … أعلنت عنها الولايات المتحدة": announced a thing, not a proposition
        if entry.lemma == "كشف" and j < len(toks) and _bare(toks[j].text) in KASHF_OBJECTS:
            return None
        if entry.type == "announce" and (m.suffix in ("ه", "ها") or m.phrase.endswith(("ه", "ها"))) and i > 1 \
                and toks[i - 1].text in RELATIVES and toks[i - 2].text not in ("الامر", "امر", "وهو", "هو", "وهي", "هي", "وهذا"):
            return None  # "دولة الخلافة التي أعلنها": a relative clause describing a noun
        if (m.suffix in ("ه", "ها") or m.phrase.endswith(("ه", "ها"))) and i > 0 and toks[i - 1].text in RELATIVES | {"ما"}:
            return self._back_reference(d, i, j)
        if i > 0 and self._preceded_by_according(i):
            q = i - 1 if self.toks[i - 1].text not in ("ما", "لما") else i - 2
            d.cue = (self.toks[q].start, m.end)
            d.type = "according_to"
            return self._content_before(d, i, rule="verb-according")
        src_i, src_j, k, content_k = j, None, j, None
        after_time = False
        recipient = via = None
        recipient_first = False
        n = len(toks)
        while k < n and k - j <= MAX_SOURCE:
            t = toks[k].text
            if _is_comp(toks[k]):
                content_k = k + 1
                break
            if k > src_i and _is_bi_masdar(t) and entry.type in ("say", "confirm", "announce") and entry.needs != "clause":
                src_j = src_j if src_j is not None else k
                content_k = k  # "أفاد مصدر بارتفاع الحصيلة"
                break
            if t == "الي" and k + 1 < n and not _is_comp(toks[k + 1]) and entry.lemma in ("أشار", "لفت", "نوه") \
                    and _is_verbal_noun(toks[k + 1].text):
                src_j = src_j if src_j is not None else k
                content_k = k + 1  # "وأشار البيان إلى الانتقال إلى مرحلة …"
                break
            if t == "علي" and k > src_i and entry.lemma in ("شدد", "أكد") and src_j is None:
                src_j = k  # "شدد أبو مرزوق على عدم وجود …": على ends the source
                content_k = k + 2 if k + 1 < n and _is_comp(toks[k + 1]) else k + 1
                if toks[src_i].text.endswith(("ها", "هم", "هما")) and toks[src_i].text not in COUNTERPARTS:
                    src_j = content_k = src_i  # "وأكدت تصميمها على …": her resolve is the object, no written source
                break
            if t == "الي" and k + 1 < n and _is_comp(toks[k + 1]):
                content_k = k + 2
                break
            if t == ":":
                if entry.needs == "clause" and toks[k - 1].text == "في":
                    return None  # "نشرت في : 1 : 05": a time stamp
                content_k = k + 1
                break
            if t == '"':
                close = self._closing_quote(k)
                if close is not None and close - k <= 6 and k > src_i and src_j is None \
                        and not (close + 1 < n and toks[close + 1].text in (".",)):
                    k = close + 1  # a quoted name inside the source: وكالة "سانا"
                    continue
                if close is not None and close - k <= 6 and k == src_i:
                    k = close + 1
                    continue
                if close is not None and close - k <= 6 and self._find_comp(close + 1, 14) is not None:
                    k = close + 1  # "في حملة "غضب الفرات" … : " — a name in an aside, not the content
                    continue
                content_k = k
                break
            if t == "(" and k == src_i:
                close = next((q for q in range(k + 1, min(n, k + 6)) if toks[q].text == ")"), None)
                if close is not None:
                    k = close + 1  # "وتابعت ( الأخبار ) أن": the source in brackets
                    continue
            if t in (",", ";", "(", ")", "-") and entry.needs == "clause":
                break  # "نشر الجيش بطارية …، في حين …": no look past asides for a verb whose object is a thing
            if t in (",", ";", "(", ")", "-"):
                # "قال المعلم، اليوم الأربعاء، خلال لقائه …، إن …": look past asides
                masdar_ok = entry.type in MASDAR_OBJECT_TYPES or entry.lemma in MASDAR_ALLEGE_LEMMAS
                nxt = self._find_comp(k + 1, 22, an_ok=entry.lemma in AN_LEMMAS, masdar_ok=masdar_ok)
                if nxt is not None:
                    if src_j is None:
                        src_j = self._appositions_end(k, nxt)
                    content_k = nxt if _is_bi_masdar(toks[nxt].text) or (masdar_ok and _is_masdar(toks[nxt].text)) \
                        or toks[nxt].text == '"' else nxt + 1
                    break
                if t == "," and k + 1 < n and src_j is None and entry.type in MASDAR_OBJECT_TYPES \
                        and _is_masdar(toks[k + 1].text):
                    src_j, content_k = k, k + 1  # "أكدت شبكة "فرات بوست"، سيطرة النظام …"
                    break
                if t == "," and k + 1 < n and src_j is None and self._coordinated_source(k + 1):
                    k += 2  # "وكالة سانا، وشبكة الإعلام الحربي …": one source of two bodies
                    continue
                break
            if t == "عن" and k > src_i:
                if entry.lemma in ("نقل", "تناقل"):
                    via = (src_i, k)
                    src_i = k + 1
                    k += 1
                    continue
                if entry.lemma in ("كشف", "أعلن", "تحدث", "أفاد", "أعرب"):
                    src_j = src_j if src_j is not None else k
                    content_k = k + 1
                    break
            if t == "النقاب" and k == src_i and entry.lemma == "كشف":
                src_i = k = k + 1  # "كشف النقاب عن": the veil is the idiom's object, not a source
                continue
            if t == "عن" and k == src_i and entry.lemma in ("كشف", "أعلن", "تحدث", "أفاد"):
                content_k = k + 1
                break
            if k == src_i and (t in PREP_PRONOUNS or t in SKIPPED_ADVERBS):
                src_i = k = k + 1  # "نقلت عنه الصحيفة قوله", "أشار إليه أيضا …", "أكد مجددا الوزير أن"
                continue
            if k == src_i and t == "لي" and k + 1 < n:
                recipient, src_i, k, recipient_first = (k, k + 1), k + 1, k + 1, True
                continue  # "قال لي", "أكدت لي": the writer was told; a name ending in لي ("دينج لي") never comes first
            if k == src_i and _is_recipient(toks, k):
                # "أشار لـ"العربي الجديد" مسؤول الإعلام …": recipient first, source after it
                r_end = self._recipient_end(k)
                recipient = (k, r_end)
                src_i = k = r_end
                recipient_first = True
                continue
            if t in SOURCE_STOPS and k >= src_i:
                src_j = src_j if src_j is not None else k  # "وتابع قائلا :", "وقال يلدريم ردا على سؤال :"
                after_time = True
                k += 1
                continue
            if src_j is None and _is_recipient(toks, k) and k > src_i and not self._title_of(k):
                src_j = k
                r_end = self._recipient_end(k)
                recipient = (k, r_end)
                k = r_end
                if k < n and toks[k].text not in CLAUSE_PUNCT and not _is_comp(toks[k]) and toks[k].text != '"' \
                        and entry.type in ("deny", "confirm", "announce", "doubt"):
                    content_k = k  # "نفت مصادر للجزيرة سيطرة …"
                    break
                if k + 1 < n and toks[k].text == "," and entry.type in ("deny", "confirm", "announce", "doubt") \
                        and _is_verbal_noun(toks[k + 1].text):
                    content_k = k + 1  # "وأكدت مصادر محلية ل - " القدس العربي " , انشقاق نحو 80 مقاتلا"
                    break
                continue
            if src_j is None and k == src_i and (t in ADVERBIAL_STARTS or t in TIME_WORDS):
                src_j, after_time = k, True  # "قالت فيه إن …", "ذكر في وقت سابق أن …"
            if src_j is None and k > src_i and t in TIME_WORDS \
                    and not (t == "من" and toks[k - 1].text in PARTITIVES):
                src_j, after_time = k, True  # ("العشرات من الصفحات على فيسبوك" is one source: a partitive goes on)
            if t == "في" and k > src_i and entry.lemma == "شكك":
                src_j = src_j if src_j is not None else k
                content_k = k + 1  # "شككت مصادر محلية في صحة …"
                break
            if src_j is None and k > src_i and (
                    (t in ("في", "خلال", "عبر", "قبل", "بعد", "امام", "لدي") and not _head_in(toks[k - 1].text, PERSON_HEADS))
                    or (t == "في" and k + 1 < n and _bare(toks[k + 1].text) in CHANNEL_NOUNS)):
                after_time = True  # an object may still follow the phrase
                src_j = k
            if k == src_i and t == "ما" and k + 1 < n and toks[k + 1].text in ("تعرف", "يعرف", "يسمي", "تسمي"):
                k += 2  # "أعلنت ما تعرف بقوات …": the distancing lead belongs to the source
                continue
            if (src_j is None or after_time) and entry.needs != "clause" and _is_masdar(t) and not (t == "كل" and k + 1 < n and toks[k + 1].text == "من") \
                    and not (t in _DEMONSTRATIVES and k == src_i and k + 2 < n and (_is_comp(toks[k + 2]) or toks[k + 2].text == "علي")
                             and (k + 1) not in cue_starts and not toks[k + 1].text.startswith("و")) \
                    and not (t == "عدم" and k > src_i) and (k > src_i or entry.type in ("deny", "confirm", "announce", "doubt")) \
                    and entry.type in ("deny", "confirm", "announce", "doubt", "say", "estimate", "opinion") \
                    and not (k > src_i and t.startswith("ال") and (_head_in(toks[k - 1].text, CONSTRUCT_HEADS)
                                                                  or toks[k - 1].text in ("باسم", "بإسم", "لـ"))):
                content_k = k
                break
            if k > src_i and src_j is None and k in cue_starts:
                inner = self._cue_at_token[k]
                if inner.payload.type == "according_to":
                    src_j = k  # "وقالت الوكالة - نقلا عن الوزارة - إن": the relay ends the source
                elif inner.prefix[:1] in ("و", "ف") or inner.payload.pos == "participle":
                    break
            k += 1
        if content_k is None:
            if entry.needs in ("complement", "direct", "an_or_an", "clause"):
                return None
            if (entry.type in ("deny", "confirm", "announce", "doubt") or entry.lemma in MASDAR_ALLEGE_LEMMAS) \
                    and src_j is None and k - src_i >= 2:
                # no complementiser: take the first noun phrase as the source
                src_j = self._np_end(src_i, min(k, n))
                content_k = src_j
            else:
                return None
        if entry.needs == "direct" and content_k - 1 != j and toks[content_k - 1].text != ":":
            return None
        if entry.needs == "direct" and not (_is_comp(toks[content_k - 1]) or toks[content_k - 1].text in (":", '"')
                                            or content_k < n and toks[content_k].text == '"'):
            return None  # "ورد الأسد باستخدام …", "وردت إيران بالتهديد": answered with a deed, not words
        if src_j is None:
            src_j = min(k, content_k)  # the loop stopped at the complementiser, quote or object
        if src_i < src_j <= src_i + 2 and _bare(toks[src_i].text) in RUMOR_HEADS:
            d.cue, d.type, d.rule = (m.start, toks[src_i].end), "rumor", "verb-rumor"
            d.source_kind = "none"
            src_j = src_i  # no source: the reports are anonymous hearsay
            d.resolved = False
            d.content = self._unquote(self._span(content_k, self.content_end(content_k, cue_starts)))
            return d if d.content else None
        stop = next((q for q in range(j, n) if toks[q].text in (".", "!", "?")), n)
        if entry.lemma == "شدد" and not any(toks[q].text in ("علي", ":", '"') or _is_comp(toks[q])
                                           for q in range(j, min(stop, j + 30))) \
                and '"' not in (toks[q].text for q in range(max(0, i - 3), i)):
            return None  # "شددت السلطات الأمن حول السفارة", "يشدد العقوبات": tightened, not stressed
            # (a quote just before keeps it: '" … " , كما تشدد جين سوك لي')
        if fold(m.phrase) in AQARRA_FORMS and m.suffix in ("ه", "ها", "هم"):
            return None  # "آخر مرسوم أقره المجلس": passed it (a law), not an admission (أقر ب/بأن)
        if entry.lemma == "نقل" and i > 0 and toks[i - 1].text in ("تم", "يتم", "سيتم", "وتم", "ويتم"):
            return None  # "تم نقل أربعة مرضى إلى مستشفيات": moved, not reported
        if fold(m.phrase) in AQARRA_FORMS and not (_is_comp(toks[content_k - 1]) or toks[content_k - 1].text == ":"
                                                   or any(_is_bi_masdar(toks[q].text) for q in range(j, min(n, content_k + 1)))):
            return None  # "أقر مجلس النواب قانون …", "يقر ر": passed or decided, not admitted; "أقر بأن …" admits
        if entry.lemma == "تحدث" and "عن" not in (toks[q].text for q in range(j, content_k)) \
                and not _is_bi_masdar(toks[content_k].text if content_k < n else "") \
                and not (_is_comp(toks[content_k - 1]) and content_k - 1 - j <= 3
                         and not any(q in cue_starts for q in range(j, content_k))):  # "وتحدث العميد أن"
            # "تحدث هاتفيا مع …", "الذي كان يتحدث أمام …": spoke, reported nothing; only تحدث عن reports,
            # its عن maybe past the point the loop stopped at ("في كتابه " نار وغضب " عن تفاصيل …")
            q = next((q for q in range(j, min(n, j + 20)) if toks[q].text in ("عن", ".", ",", ":", "?", "!")
                      or toks[q].text in STRONG_BOUNDARIES or _is_comp(toks[q])), None)
            if q is None or toks[q].text != "عن":
                return None
            src_j, content_k = min(src_j, q) if src_j is not None else q, q + 1
        if src_j > src_i and not self._plausible_source(src_i, src_j):
            src_j = src_i
        if src_j > src_i and not (m.prefix and m.prefix[0] in "وف") and self._kana_subject(i) is not None:
            src_j = src_i  # "وكانت روسيا قد ذكرت هذا الأسبوع أن …": the subject stands before the verb
        if recipient_first and src_j > src_i and not (m.prefix and m.prefix[0] in "وف") \
                and self._subject_before(i, m) is not None:
            src_j = src_i  # "لافروف قال لنظيره الأمريكي ريكس تيلرسون إن": SVO, the name after is the recipient's
        if src_j > src_i:
            d.source = self._span(src_i, src_j)
            d.rule = "verb-vso" if d.rule == "verb" else d.rule
            d.source = self._unquote(self._strip_distancing(d.source))
        elif self._relative_before(i):
            d.source = self._np_before(i - 1)
            d.rule = "verb-relative"
        elif self._statement_issuer(i) is not None:
            d.source, d.rule = self._statement_issuer(i), "verb-statement"
        else:
            back = self._subject_before(i, m)
            words = self.view[back[0]:back[1]].split() if back else []
            if back is not None and 0 < len(words) <= 2 and _bare(words[0]) in RUMOR_HEADS:
                d.cue, d.type, d.rule = (back[0], m.end), "rumor", "svo-rumor"  # "كانت معلومات قد أفادت"
            elif back is not None:
                d.source, d.rule = back, "verb-svo"
            else:
                d.rule = "verb-prodrop"
                d.resolved = True
        if recipient:
            d.recipient = self._span(*recipient)
        if via:
            d.via = self._span(*via)
        end = self.content_end(content_k, cue_starts)
        d.content = self._unquote(self._span(content_k, end))
        if d.content is None:
            return None
        return d

    def _appositions_end(self, k: int, comp: int) -> int:
        """Extend a source over comma-separated appositions up to the complementiser.

        "المتحدث باسم الجيش، محمد مصطفى، إن" keeps the name; a segment that opens
        with a time word or a preposition ("، اليوم الأربعاء،", "، في بيان،") ends it.
        """
        toks = self.toks
        end = k
        q = k
        while q < comp and toks[q].text in (",", "(", "-"):
            nxt = q + 1
            seg_end = next((r for r in range(nxt, comp) if toks[r].text in (",", "-")), comp)
            first = toks[nxt].text if nxt < comp else ""
            if not first or first in TIME_WORDS or first in ADVERBIAL_STARTS or first in APPOSITION_STOPS \
                    or first in RELATIVES or first.isdigit() or seg_end - nxt > 10:
                break
            end = seg_end
            q = seg_end
        return end  # _span trims the punctuation at its ends

    def _coordinated_source(self, q: int) -> bool:
        """"وشبكة", "والمرصد": a second body joined to the source, not a new clause."""
        t = self.toks[q].text
        if not t.startswith("و") or q in self._cue_at_token or len(t) < 4:
            return False
        return _head_in(t[1:], CONSTRUCT_HEADS)

    def _plausible_source(self, i: int, j: int) -> bool:
        """A source starts with a noun: not a particle, a demonstrative alone, or ب + verbal noun."""
        first = self.toks[i].text
        if first == "علي" and self.doc.text[slice(*self.doc.normalized.to_raw(self.toks[i].start, self.toks[i].end))] == "علي":
            return True  # the name Ali, not the preposition على (both fold to علي)
        if first == "امام" and self.doc.text[slice(*self.doc.normalized.to_raw(self.toks[i].start, self.toks[i].end))][:1] == "إ":
            return True  # إمام المسجد (an imam), not the preposition أمام (both fold to امام)
        if first == "ما" and i + 1 < j and self.toks[i + 1].text in ("تعرف", "يعرف", "يسمي", "تسمي"):
            return True  # "ما تعرف بقوات …": a distanced name
        if first in PARTICLES or first in TIME_WORDS or _is_bi_masdar(first):
            return False
        if j - i == 1 and first in ("ذلك", "هذا", "هذه", "ما", "انه", "انها"):
            return False
        if first in ("هذا", "هذه") and i + 1 < j and _bare(self.toks[i + 1].text) in TIME_NOUNS:
            return False  # "هذا الأسبوع": a time, not a source
        return True

    def _back_reference(self, d: Draft, i: int, j: int) -> Draft | None:
        """"…، الأمر الذي نفاه مسؤولون" / "وهو ما أكدته الوزارة": the pronoun on the cue
        points back to the proposition before it, and the source follows the cue."""
        toks = self.toks
        q = i - 1
        if q > 0 and toks[q - 1].text in ("الامر", "وهو", "وهذا", "هو", "وهي", "هي", "امر"):
            q -= 1
        s = q
        while s > 0 and toks[s - 1].text not in (".", "!", "?", ":") and (s - 1) not in self._cue_at_token \
                and not _is_comp(toks[s - 1]):
            s -= 1
        d.content = self._strip_opener(self._span(s, q))
        e = j
        while e < len(toks) and e - j <= MAX_SOURCE and toks[e].text not in CLAUSE_PUNCT and not _is_comp(toks[e]) \
                and not (toks[e].text in ADVERBIAL_STARTS and not _head_in(toks[e - 1].text, PERSON_HEADS)) \
                and not (e > j and (toks[e].text in BACK_REF_STOPS or toks[e].text.startswith("بال"))):
            e += 1
        first = toks[j].text if j < len(toks) else ""
        if first in BACK_REF_STOPS or first == "من" or first.startswith("بال") \
                or (d.entry.type == "opinion" and first == '"'):
            e = j  # "ما وصفه بالإرهاب", "ما تعلنه من جهود", "ما اعتبرته "إنكارا للواقع"": the object, no written source
        d.source = self._span(j, e) if e > j else None
        if d.source is None:
            d.resolved = True
        d.rule = "verb-back-reference"
        return d if d.content else None

    def _find_comp(self, k: int, limit: int, an_ok: bool = False, masdar_ok: bool = False) -> int | None:
        """The complementiser that follows an aside, if one comes before the clause ends.

        Right after a comma, an opening quote that is no short name, or (with `masdar_ok`) a
        verbal-noun object, opens the content as well: "وأضاف الشيخ سلطان , الجمعة , " لم نبدل
        …"", "أكد لواء … , اليوم الأحد , إصابة مقاتلين …"."""
        skip_to = -1
        for q in range(k, min(len(self.toks), k + limit)):
            if q <= skip_to:
                continue
            t = self.toks[q].text
            if _is_comp(self.toks[q]) or t == ":" or _is_bi_masdar(t) or (an_ok and t == "عن"):
                return q
            after_comma = q > 0 and self.toks[q - 1].text == ","
            if masdar_ok and after_comma and q > k and _is_masdar(t) and t not in _DEMONSTRATIVES \
                    and t not in ("كل", "ما", "اي", "ايه"):
                return q
            if t == '"':
                close = self._closing_quote(q)
                if close is not None and close - q <= 6:
                    skip_to = close  # a quoted name inside the aside
                    continue
                return q if after_comma and q > k else None
            if t in (".", "!", "?") or (t in RELATIVES and (q + 1) in self._cue_at_token
                                        and self._cue_at_token[q + 1].payload.lemma != "تحدث"):  # "، الذي تحدث في مؤتمر ،" is an aside
                return None
            m = self._cue_at_token.get(q)
            if m is not None and (m.prefix[:1] in ("و", "ف") or m.payload.pos == "participle"):
                return None  # a new coordinated claim begins
        return None

    def _title_of(self, k: int) -> bool:
        """"القائد العام ل - " الشرطة الحرة "", "الرئيس المشترك ل - " حزب …"": after a definite
        title adjective the split ل ties the title to its organisation; an outlet after it
        ("ل - " سبوتنيك "") is still the one spoken to."""
        toks = self.toks
        if toks[k].text != "ل" or k < 2 or toks[k - 1].text not in _TITLE_ADJECTIVES or toks[k - 2].text not in _TITLE_HEADS:
            return False
        q = k + 1
        while q < len(toks) and toks[q].text in ("-", '"'):
            q += 1
        return q < len(toks) and not _head_in(toks[q].text, RECIPIENT_HEADS) and toks[q].text not in RECIPIENT_NAMES

    def _recipient_end(self, k: int) -> int:
        toks = self.toks
        q = k + 1
        if toks[k].text == "ل" and q < len(toks) and toks[q].text == "-":
            while q < len(toks) and toks[q].text == "-":
                q += 1  # "ل - " سبوتنيك "", "ل - DW": the tokeniser's split لـ
            if q < len(toks) and toks[q].text != '"':
                e = q
                while e < len(toks) and e - q < 4 and toks[e].text not in CLAUSE_PUNCT and toks[e].text != '"' \
                        and not _is_comp(toks[e]) and toks[e].text not in TIME_WORDS and toks[e].text != "في":
                    e += 1
                return e  # "ل - DW", "ل - هيومن رايتس ووتش"
        if toks[k].text == "ل" and q < len(toks) and toks[q].text == '"':
            close = self._closing_quote(q)
            return (close + 1) if close is not None else q + 1
        while q < len(toks) and q - k < 4:
            t = toks[q].text
            if _is_comp(toks[q]) or t in CLAUSE_PUNCT or t == '"' or t in TIME_WORDS or t == "في" or _is_masdar(t):
                break
            if not (t.startswith("ال") or t in RECIPIENT_NAMES):
                break
            q += 1
        if q < len(toks) and toks[q].text == "(":
            close = next((c for c in range(q + 1, min(len(toks), q + 7)) if toks[c].text == ")"), None)
            if close is not None:
                return close + 1  # "لصحيفة ( كومسومولسكايا برافدا )"
        return q

    def _np_end(self, i: int, limit: int) -> int:
        """End of a noun phrase starting at i: head, idafa and adjectives."""
        toks = self.toks
        q = i + 1
        while q < limit:
            t = toks[q].text
            if t in CLAUSE_PUNCT or _is_comp(toks[q]) or _is_masdar(t):
                break
            if t == '"':
                close = self._closing_quote(q)
                if close is not None and close < limit and close - q <= 6:
                    q = close + 1  # a quoted name: شبكة "فرات بوست"
                    continue
            if t.startswith("ال") or t.startswith("لل") or t == '"':
                q += 1
                continue
            break
        return q

    def _strip_distancing(self, span):
        if span is None:
            return None
        text = self.view[span[0]:span[1]]
        words = text.split()
        for lead in DISTANCING_LEAD:
            if tuple(w.strip('"') for w in words[:len(lead)]) == lead:
                rest = text.find(words[len(lead) - 1]) + len(words[len(lead) - 1]) if len(words) > len(lead) else None
                if rest is None:
                    return span
                s = span[0] + rest
                while s < span[1] and (self.view[s].isspace() or self.view[s] == '"'):
                    s += 1
                if self.view[s:s + 1] == "ب":  # "ما تعرف ب" + name, glued or with a quote
                    s += 1
                    while s < span[1] and (self.view[s].isspace() or self.view[s] == '"'):
                        s += 1
                e = span[1]
                if self.view[e - 1] == '"' and self.view[s:e].count('"') % 2 == 1:
                    e -= 1
                return (s, e) if s < e else span
        return span

    def _relative_before(self, i: int) -> bool:
        return i > 0 and self.toks[i - 1].text in RELATIVES

    def _np_before(self, k: int) -> tuple[int, int] | None:
        """The noun phrase that ends just before token k (a relative pronoun)."""
        toks = self.toks
        e = k
        while e > 0 and toks[e - 1].text in (",",):
            e -= 1
        s = e
        while s > 0 and e - s < MAX_BACK and (toks[s - 1].text.startswith("ال") or toks[s - 1].text == '"') \
                and (s - 1) not in self._cue_at_token:
            s -= 1
        if s > 0 and _head_in(toks[s - 1].text, CONSTRUCT_HEADS) and (s - 1) not in self._cue_at_token:
            s -= 1
        if s == e:  # "…، صالح مسلم، الذي": a name, back to the previous comma
            while s > 0 and e - s < 6 and toks[s - 1].text not in CLAUSE_PUNCT and (s - 1) not in self._cue_at_token:
                s -= 1
        return self._unquote(self._span(s, e))

    def _cue_ends(self) -> set[int]:
        return {m.end for m in self.cues}

    def _subject_before(self, i: int, m: Match | None) -> tuple[int, int] | None:
        """SVO: the noun phrase between the clause start and the cue."""
        if m is not None and m.prefix and m.prefix[0] in "وف":
            return None
        toks = self.toks
        kana = self._kana_subject(i)
        if kana is not None:
            return kana
        if i > 1 and toks[i - 1].text == ",":
            # "الحركة، التي تشارك في القتال، أصدرت": step over the relative clause
            rel = next((q for q in range(i - 2, max(-1, i - 16), -1) if toks[q].text in RELATIVES), None)
            if rel is not None and rel > 0 and toks[rel - 1].text == "," and \
                    all(toks[q].text not in CLAUSE_PUNCT for q in range(rel, i - 1)):
                return self._np_before(rel)
        if 2 < i <= MAX_BACK + 1 and toks[i - 1].text == "," and toks[0].text not in PARTICLES | TIME_WORDS | _OPENERS \
                and not toks[0].text.isdigit() and all(toks[q].text not in CLAUSE_PUNCT and toks[q].text != '"' and not _is_comp(toks[q])
                                                       and toks[q].text not in _OPENERS and q not in self._cue_at_token for q in range(i - 1)):
            return self._span(0, i - 1)  # "نائب رئيس الوزراء نعمان قورتولموش , قال": the sentence opens with its subject
        s = i
        while s > 0 and i - s < MAX_BACK:
            t = toks[s - 1].text
            if t in CLAUSE_PUNCT or t == '"' or _is_comp(toks[s - 1]) or t in BOUNDARY_WORDS or (s - 1) in self._cue_at_token:
                break
            s -= 1
        if s == i or (s > 0 and i - s >= MAX_BACK and toks[s - 1].text not in CLAUSE_PUNCT and not _is_comp(toks[s - 1])):
            return None
        first = toks[s].text
        if first in PARTICLES or first in TIME_WORDS or first.isdigit() or first in PRONOUN_PARTICLES:
            return None
        return self._span(s, i)

    def _statement_issuer(self, i: int) -> tuple[int, int] | None:
        """"أصدرت الحركة بيانا قالت فيه": the subject of أصدر/نشر before the statement noun."""
        toks = self.toks
        if i < 2 or _bare(toks[i - 1].text) not in STATEMENT_NOUNS:
            return None
        for b in range(i - 2, max(-1, i - 10), -1):
            if _bare(toks[b].text) in ISSUE_VERBS or toks[b].text in ISSUE_VERBS:
                return self._span(b + 1, i - 1) if b + 1 < i - 1 else self._subject_before(b, None)
            if toks[b].text in CLAUSE_PUNCT:
                return None
        return None

    def _kana_subject(self, i: int) -> tuple[int, int] | None:
        """"وكان X (قد) قال": the subject stands between كان and the verb."""
        toks = self.toks
        q = i - 1
        if q >= 0 and toks[q].text in ("قد", "لقد"):
            q -= 1
        for b in range(q, max(-1, i - 16), -1):
            t = toks[b].text
            if t in KANA:
                e = q + 1
                while e > b + 1 and toks[e - 1].text in (",", "-"):
                    e -= 1
                first_comma = next((c for c in range(b + 1, e) if toks[c].text == ","), e)
                return self._unquote(self._span(b + 1, first_comma)) if first_comma > b + 1 else None
            if t in (".", ":", "?", "!") or _is_comp(toks[b]) or (b in self._cue_at_token and self._cue_at_token[b].payload.pos != "noun"):
                return None
        return None

    def _preceded_by_according(self, i: int) -> bool:
        q = i - 1
        if q >= 0 and self.toks[q].text in ("ما", "لما"):
            q -= 1
        if q < 0:
            return False
        m = self._cue_at_token.get(q)
        if self.toks[q].text == "كما":
            return q > 0 and self.toks[q - 1].text not in CLAUSE_PUNCT  # "…، كما قال" vs "كما أفادت مصادر"
        return bool(m and m.payload.type == "according_to") or self.toks[q].text in ("حسبما", "بحسبما", "وفقما")

    def _content_before(self, d: Draft, i: int, rule: str) -> Draft | None:
        """Content precedes the cue: "… ، بحسب المرصد" or "… كما قال المرصد"."""
        toks = self.toks
        q = i
        while q > 0 and (toks[q - 1].text in (",", "ما", "لما", "كما", "حسبما", "بحسبما") or (q - 1) in self._cue_at_token):
            q -= 1
        s = q
        while s > 0 and toks[s - 1].text not in (".", "!", "?", ":") and not ((s - 1) in self._cue_at_token and s - 1 < q):
            s -= 1
        d.content = self._strip_opener(self._span(s, q))
        if d.content is None:
            return None
        _, j = self._cue_token_range(next(m for k, m in self._cue_at_token.items() if k == i))
        if j + 1 < len(toks) and toks[j].text in ("به", "عنه", "عنها", "عنهم", "في"):
            j += 1  # "بحسب ما أفاد به المرصد", "كما نقلت عنه وكالات", "كما ورد في التقرير"
        end = j
        while end < len(toks) and end - j <= MAX_SOURCE and toks[end].text not in CLAUSE_PUNCT and not _is_comp(toks[end]):
            end += 1
        if end > j:
            d.source = self._span(j, end)
        d.rule = rule
        return d

    def _read_participle(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        entry: CueEntry = m.payload
        toks = self.toks
        _, j = self._cue_token_range(m)
        d = Draft(cue=(m.start, m.end), entry=entry, rule="participle", resolved=True)
        d.feminine = _feminine_form(m.phrase, entry)
        d.plural = fold(m.phrase).endswith("ين")
        k = j
        if k < len(toks) and entry.type == "opinion" and toks[k].text in ("اياه", "اياها", "اياهم"):
            k += 1  # "واصفا إياه بأنه …": the one described is the object, the content follows
            if k < len(toks) and toks[k].text == "ب":
                k += 1
        if k + 1 < len(toks) and toks[k].text == "علي" and _is_comp(toks[k + 1]):
            k += 1  # "مشددا على أن …"
        if k < len(toks) and toks[k].text == "الي":
            k += 1
        if k < len(toks) and (_is_comp(toks[k]) or toks[k].text == ":"):
            k += 1
        elif k < len(toks) and toks[k].text == "عن" and entry.lemma in ("كشف", "نقل"):
            k += 1
        elif k < len(toks) and not (entry.type in ("estimate", "deny", "confirm", "announce") and _is_verbal_noun(toks[k].text)):
            return None  # "لافتة تحمل اسم …" is a banner, not "لافتة إلى أن"
        if k >= len(toks):
            return None
        end = self.content_end(k, cue_starts)
        d.content = self._span(k, end)
        return d if d.content else None

    def _read_passive(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        toks = self.toks
        _, j = self._cue_token_range(m)
        if j < len(toks) and (_is_comp(toks[j]) or toks[j].text == ":"):
            d = Draft(cue=(m.start, m.end), entry=m.payload, rule="passive")
            d.content = self._span(j + 1, self.content_end(j + 1, cue_starts))
            return d if d.content else None
        return None

    def _read_prep(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        entry: CueEntry = m.payload
        toks = self.toks
        _, j = self._cue_token_range(m)
        if j < len(toks) and j in self._cue_at_token and self._cue_at_token[j].payload.pos != "noun":
            return None  # "حسبما أفاد …": the verb carries the claim
        if fold(m.phrase).endswith(" ما") or m.phrase in ("حسبما",):
            return None
        if m.phrase == "حسب" and not m.prefix and i > 0 and toks[i - 1].text in ("ي", "ت"):
            return None  # "ي حسب على المعسكر", "ت حسب له فرص": the passive يُحسب split by the tokeniser
        if j + 1 < len(toks) and toks[j].text in ("ما", "لما") and (j + 1) in self._cue_at_token:
            return None  # "حسب ما أورد المكتب": the verb carries the claim
        if j < len(toks) and toks[j].text in ("الي", "ل") and entry.id.startswith("according.istinadan") is False:
            j += 1
        split_alif = m.phrase in ("وفق", "طبقا") and j + 1 < len(toks) and toks[j].text == "ا" \
            and toks[j + 1].text.startswith("ل")
        if split_alif:
            j += 1  # "وفق ا لموقع ميدل إيست": the tokeniser split وفقا; the ل goes below
        d = Draft(cue=(m.start, m.end), entry=entry, rule="prep")
        hedge_end = j
        while hedge_end < len(toks) and toks[hedge_end].text in HEDGE_NOUNS:
            hedge_end += 1
        src_end = hedge_end
        quoted_end = False
        while src_end < len(toks) and not (src_end > hedge_end and toks[src_end - 1].text == '"' and src_end - 1 > hedge_end) and src_end - hedge_end <= MAX_SOURCE and toks[src_end].text not in CLAUSE_PUNCT \
                and not _is_comp(toks[src_end]) and (src_end not in cue_starts or self._cue_at_token[src_end].payload.pos == "noun"):
            if src_end > hedge_end and toks[src_end].text == "-" and i > 0 and toks[i - 1].text == "-":
                break  # "ويشمل هذا القرار - بحسب الشائعات - دفتر العائلة": the dashes close the aside
            if src_end > hedge_end and toks[src_end].text == '"' \
                    and (_head_in(toks[src_end - 1].text, RECIPIENT_HEADS) or toks[src_end - 1].text == "-"
                         or toks[src_end - 1].text[:1] == "ل" and _head_in(toks[src_end - 1].text[1:], RECIPIENT_HEADS)):
                close = self._closing_quote(src_end)
                if close is not None and src_end + 1 < close <= src_end + 4:
                    src_end, quoted_end = close + 1, True  # 'وفقا لوكالة " رويترز "', 'وفقا ل - " رويترز "': the quoted name is in the source
                    break
            src_end += 1
        if hedge_end < len(toks) and toks[hedge_end].text in NOT_SOURCES:
            return None
        speaker = toks[hedge_end].text if hedge_end < len(toks) else ""
        speaker = speaker[1:] if speaker.startswith("ل") else speaker
        if speaker in ("قوله", "قولها", "قولهم"):
            # "، بحسب قوله": the source is the one who spoke before, found like a pro-drop verb's
            d.resolved, d.feminine, d.plural = True, speaker == "قولها", speaker == "قولهم"
            src_end = hedge_end + 1
        if hedge_end < len(toks) and toks[hedge_end].text == '"':
            close = self._closing_quote(hedge_end)
            if close is not None and close - hedge_end <= 7:
                src_end = close + 1
        d.source = None if d.resolved else self._unquote(self._span(hedge_end, src_end))
        if d.source and (m.phrase in ("وفقا", "طبقا", "استنادا") or split_alif) and toks[hedge_end].text.startswith("ل") \
                and not toks[hedge_end].text.startswith("لل") and len(toks[hedge_end].text) > 3:
            d.source = (d.source[0] + 1, d.source[1])  # "وفقا لبيان …": the source is بيان …
        if d.source is None and not d.resolved:
            return None
        at_clause_start = i == 0 or toks[i - 1].text in CLAUSE_PUNCT
        after = src_end + 1 if src_end < len(toks) and toks[src_end].text == "," else src_end
        if after + 1 < len(toks) and toks[after].text in RELATIVES and (after + 1) in cue_starts:
            return None  # "بحسب المصادر، التي قالت إن …"
        if at_clause_start and src_end < len(toks) - 1 and not (quoted_end and toks[src_end].text in (".", "!", "?")):
            k = src_end
            while k < len(toks) and toks[k].text in (",", "فان", "فانه", "فانها", "فقد", "فإن"):
                k += 1
            end = self.content_end(k, cue_starts)
            d.content = self._span(k, end)
            d.rule = "prep-before"
        else:
            q = i
            s = q
            while s > 0 and toks[s - 1].text not in (".", "!", "?", ":", ";"):
                if (s - 1) in self._cue_at_token and self._cue_at_token[s - 1].payload.pos != "prep":
                    # the clause of another claim: start after its complementiser
                    break
                s -= 1
            while s < q and (_is_comp(toks[s]) or toks[s].text in CLAUSE_PUNCT):
                s += 1
            d.content = self._strip_opener(self._span(s, q))
            if i > 0 and toks[i - 1].text == "-" and src_end < len(toks) and toks[src_end].text == "-" and d.content:
                # "ويشمل هذا القرار - بحسب الشائعات - دفتر العائلة …": the clause runs on past the aside
                rest = self._span(src_end + 1, self.content_end(src_end + 1, cue_starts))
                if rest:
                    d.content = (d.content[0], rest[1])
            d.rule = "prep-after"
        return d if d.content else None

    def _read_noun(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        toks = self.toks
        if "ل" in m.prefix:
            return None  # "وكالة الأنباء", "الروسية للأنباء": part of a name
        _, j = self._cue_token_range(m)
        trigger = i > 0 and toks[i - 1].text in RUMOR_TRIGGERS
        follower = j < len(toks) and (toks[j].text in RUMOR_FOLLOWERS or _is_comp(toks[j]))
        # without a trigger verb, only "وسط أنباء عن …" or a clause-initial "أنباء عن …"
        framed = i == 0 or toks[i - 1].text in CLAUSE_PUNCT or toks[i - 1].text in RUMOR_FRAMES
        if not (trigger or (follower and framed)):
            return None
        d = Draft(cue=(toks[i - 1].start if trigger else m.start, m.end), entry=m.payload, rule="rumor")
        k = j
        if k < len(toks) and toks[k].text not in ("تفيد", "تشير") and (toks[k].text in RUMOR_FOLLOWERS or _is_comp(toks[k])):
            k += 1
        elif k < len(toks) and toks[k].text in ("تفيد", "تشير"):
            return None  # "أنباء تفيد بأن": the verb carries the claim with the noun as source
        if k < len(toks) and toks[k].text in ("ب", "الي"):
            k += 1
        if k < len(toks) and _is_comp(toks[k]):
            k += 1
        d.content = self._span(k, self.content_end(k, cue_starts))
        return d if d.content else None

    def _read_phrase(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        _, j = self._cue_token_range(m)
        d = Draft(cue=(m.start, m.end), entry=m.payload, rule="phrase")
        k = j
        if m.payload.id == "say.jaa_fi":
            # "وجاء في بيان وزارة الدفاع أن ...": the statement is the source, not a pro-drop subject
            c = j if j < len(self.toks) and (_is_comp(self.toks[j]) or self.toks[j].text == ":") else self._find_comp(j, 12)
            if c is None:  # "وجاء في نص البيان " نظرا …": the quotation opens the content
                c = next((q for q in range(j, min(len(self.toks), j + 5)) if self.toks[q].text == '"'), None)
            if c is not None:
                d.source = self._span(j - 1, c)
                k = c
        if k < len(self.toks) and (_is_comp(self.toks[k]) or self.toks[k].text == ":"):
            k += 1
        d.content = self._span(k, self.content_end(k, cue_starts))
        d.resolved = d.source is None
        return d if d.content else None

    def _read_predicate(self, m: Match, i: int, cue_starts: set[int]) -> Draft | None:
        """"… الأنباء عارية عن الصحة": content = what is called untrue."""
        toks = self.toks
        s = i
        while s > 0 and toks[s - 1].text not in CLAUSE_PUNCT and toks[s - 1].text != '"' and not _is_comp(toks[s - 1]) \
                and ((s - 1) not in self._cue_at_token or self._cue_at_token[s - 1].payload.pos == "noun"):
            s -= 1
        if s == i:
            return None
        d = Draft(cue=(m.start, m.end), entry=m.payload, rule="predicate", resolved=True)
        d.content = self._span(s, i)
        return d if d.content else None


def _hedges(doc: Document, d: Draft, lex: Lexicons, hedge_matches: list[Match]) -> list[dict]:
    view = doc.normalized.text
    regions = []
    if d.content:
        regions.append(d.content)
    if d.entry.pos == "prep" and d.source:
        regions.append((d.cue[1], d.source[0]))
    out, seen = [], set()
    if d.source and d.entry.type != "rumor":
        # a source headed by a rumor noun ("قالت تقارير", "نقلت … أنباء") is unverified
        head = view[d.source[0]:d.source[1]].split()[:1]
        if head and _bare(head[0]) in RUMOR_HEADS:
            s0 = d.source[0]
            out.append(((s0, s0 + len(head[0])), "unverified"))
    if d.type in ("estimate", "allege", "rumor"):
        htype = {"estimate": "estimate", "allege": "distancing", "rumor": "unverified"}[d.type]
        out.append((d.cue, htype))
    lo = min((s for s, _ in regions), default=0)
    hi = max((e for _, e in regions), default=0)
    for m in hedge_matches:  # in text order: skip to the regions, stop after them
        if m.start < lo:
            continue
        if m.start >= hi:
            break
        if any(s <= m.start and m.end <= e for s, e in regions):
            if d.type in NEGATIVE_TYPES and m.payload.type in ("unverified", "distancing"):
                continue  # "نفت صحة المعلومات": the reports are what is denied, not a hedge
            out.append(((m.start, m.end), m.payload.type))
    for s, e in regions:
        for mm in _qad_finditer(view, s, e):
            if _imperfect(mm.group(1)):
                out.append(((mm.start(), mm.end()), "modal"))
    result = []
    for (s, e), t in sorted(out):
        if (s, e) in seen:
            continue
        seen.add((s, e))
        span = doc.nspan_json(s, e)
        span["type"] = t
        result.append(span)
    return result


_QAD = re.compile(r"(?<![^\W_])(?:و|ف)?قد\s+([^\W_]+)")


def _qad_finditer(view: str, s: int, e: int):
    """`_QAD.finditer(view, s, e)`, tried only where قد occurs: a search for a pattern
    that opens with a lookbehind tries it at every character."""
    last = s
    q = view.find("قد", s, e)
    while q >= 0:
        for p in (q - 1, q):  # a match starts at its و/ف or at قد
            if p < last or (p < q and view[p] not in "وف"):
                continue
            m = _QAD.match(view, p, e)
            if m is not None:
                yield m
                last = m.end()
                break
        q = view.find("قد", max(q + 2, last), e)
_PERFECT_T = frozenset(fold(w) for w in "تم تمت تمكن تمكنت توصل توصلت تعرض تعرضت تحول تحولت تراجع تراجعت تقدم تقدمت تسلم تسلمت تلقى تلقت".split())


def _imperfect(word: str) -> bool:
    if word.startswith("ي"):
        return True
    if word[:1] in ("ت", "ن") and word not in _PERFECT_T and not word.endswith("ت") and not word.endswith("وا") \
            and not (word[:1] == "ت" and word.endswith("ي") and len(word) == 4):  # تبنى، تلقى، تولى: perfect
        return True
    return False


def _certainty(ctype: str, hedges: list[dict]) -> str:
    kinds = {h["type"] for h in hedges}
    if ctype == "deny":
        return "certain"
    if ctype in ("doubt", "rumor"):
        return "possible"
    if "modal" in kinds:
        return "possible"
    if ctype == "estimate" or kinds & {"estimate", "unverified", "distancing"}:
        return "probable"
    return "certain"


def _source_kind(text: str) -> str:
    words = fold(text).replace('"', " ").split()
    if not words:
        return "none"
    if not _head_in(words[0], ANONYMOUS_HEADS):
        return "named"
    # "الناشط طاهر العمر": a definite role noun followed by a name is a named person
    if words[0].startswith("ال") and len(words) > 1 and not words[1].startswith("ال") \
            and words[1] not in PARTICLES and words[1] not in ("باسم", "في", "من"):
        return "named"
    return "anonymous"


def _claim_id(doc: Document, cue: Span) -> str:
    key = f"{doc.id}\0{doc.sha256}\0{cue.start}\0{cue.end}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _is_headline(doc: Document, sent: Sentence, sentences: list[Sentence]) -> bool:
    """A short first line with no final punctuation: the title, not the body.

    The whole line is tested, one of the first three, so a title with an inner ".."
    ("يعلن سيطرته على البوكمال.. ومصادر تنفي") is one headline, not a sentence and a
    headline.
    """
    a = doc.text.rfind("\n", 0, sent.start) + 1
    top, pos = 0, 0
    while top < 3 and pos <= a:  # a is one of the first three non-empty lines
        nl = doc.text.find("\n", pos)
        if pos == a:
            break
        if nl < 0:
            return False
        top += nl > pos and bool(doc.text[pos:nl].strip())
        pos = nl + 1
    if top >= 3 or pos != a:
        return False
    b = doc.text.find("\n", sent.end)
    text = doc.text[a:len(doc.text) if b < 0 else b]
    return not text.rstrip().endswith((".", "!", "?", "؟", ":")) and len(text.split()) <= 16


_LEAD_LINE_WORDS = 60  # a ticker line may run several headlines together


def _leading_headlines(text: str) -> int:
    """Raw offset where the story starts, when the page opens with a title line and a ticker.

    A first line ending in "|" is the page title ("<title> - العربية . نت |"); the
    lines after it that end without sentence punctuation, up to the first line that
    ends with it, are a news ticker (alarabiya.net: "الصفحة الرئيسية <headline>", one
    headline of another story a line), not the story. 0 when the page has no such frame.
    """
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if len(lines) < 3 or not lines[0].group().rstrip().endswith("|"):
        return 0
    end = lines[0].end()
    for line in lines[1:]:
        stripped = line.group().rstrip()
        if stripped.endswith((".", "!", "?", "؟")):
            return end
        if len(stripped.split()) > _LEAD_LINE_WORDS:
            return 0
        end = line.end()
    return 0


_TITLE_END = re.compile(r"\s\|\s")
# "طائرات يعتقد أنها روسية"، "قاربا يرجح أنه يتبع": a passive estimate (يُعتقد) describing an
# indefinite noun is part of the sentence it sits in, not a claim whose source is that noun.
_PASSIVE_ESTIMATES = frozenset(fold(w) for w in "يعتقد يرجح يقدر".split())
_ESTIMATE_THAT = re.compile(r"\s+[اإ]?ن(?:ه|ها|هم)(?![^\W\d_])")
_NOT_INDEFINITE = frozenset(fold(w) for w in (
    "انه انها انهم لانه لانها جعله جعلها جعلهم يزال تزال زال كان كانت بات باتت ظل ظلت هو هي وهو وهي من ما لا لم"
).split()) | PARTICLES


def _passive_estimate(view: str, m: Match) -> bool:
    if m.prefix or m.suffix or m.phrase not in _PASSIVE_ESTIMATES or not _ESTIMATE_THAT.match(view, m.end):
        return False
    prev = view[max(0, m.start - 40):m.start].split()[-1:]
    return bool(prev) and prev[0][0].isalpha() and not prev[0].startswith(("ال", "و")) and prev[0] not in _NOT_INDEFINITE
# A verb in a relative clause on a news noun describes the news, it reports nothing: "الأنباء
# التي تفيد بدخول"، "التسريبات التي تداولها الناشطون"، "إن المعلومات لديه تفيد بأن" (folded view).
_INFO_RELATIVE = re.compile(
    r"(?<![^\s])[وفبل]?(?:ال)?(?:انباء|اخبار|معلومات|تسريبات|تقارير|شائعات)\s+(?:التي|الذي|لديه|لديها|لدينا|لديهم)\s+(?:[وف]?قد\s+)?$")


def _title_spans(view: str) -> list[tuple[int, int]]:
    """Where the page title stands in a scraped page (view offsets).

    Scraped pages open with the title ("<title> | <site>") and repeat it over
    the story; the gold sets leave titles unannotated (or optional), and a cue
    in a title is a headline, not an attributed sentence. The title is the
    longest run of 5 to 40 words opening the first line that occurs again in
    the text; failing that, such a run starting after up to ten words of site
    name or section heading whose copy follows within a few characters; failing
    that, the words before a " | " among the first 40. Every occurrence of it
    is a title span.
    """
    first = re.search(r"\S[^\n]*", view)
    if first is None:
        return []
    words = list(re.finditer(r"\S+", first.group()))[:40 + _TITLE_LEAD]
    spans = _repeated_title(view, first.start(), words[:40])
    if spans:
        return spans
    # A site name or section heading before the title ("SMART News Agency - وكالة سمارت للأنباء -",
    # "أخبار دولية وعربية", "الميادين |"): the title starts a few words in and its copy follows at once.
    for s in range(1, min(_TITLE_LEAD, len(words) - 5) + 1):
        spans = _repeated_title(view, first.start(), words[s:s + 40], near=_TITLE_NEAR)
        if spans:
            return spans
    words = words[:40]
    bar = _TITLE_END.search(first.group(), 0, words[-1].end() if words else 0)
    if bar is None or len(first.group()[:bar.start()].split()) < 3:
        return []
    cand = first.group()[:bar.start()]
    title = re.compile(r"\s+".join(re.escape(w) for w in cand.split()))
    return [m.span() for m in title.finditer(view)]


_TITLE_LEAD = 10  # words of site name / section heading that may stand before a repeated title
_TITLE_NEAR = 40  # ... whose first copy must then start within this many characters after it


def _title_copies(view: str, ws: list[str], ends: list[int], limit: int) -> list[tuple[int, int]]:
    """(start, words matched) of each later run equal to a prefix (5+ words) of the words
    `ws` (ending at view offsets `ends`), for the runs starting before `limit`."""
    copies = []
    p = view.find(ws[0], ends[0], limit + len(ws[0]) - 1)
    while p >= 0:  # scrapes glue words to the copy ("مباشرالبيت الأبيض"): no word boundary at its ends
        q, n = p, 0
        while n < len(ws) and ends[n] <= p and view.startswith(ws[n], q):
            q += len(ws[n])
            n += 1
            if q == len(view) or not view[q].isspace():
                break
            while q < len(view) and view[q].isspace():
                q += 1
        if n >= 5:
            copies.append((p, n))
        p = view.find(ws[0], p + 1, limit + len(ws[0]) - 1)
    return copies


def _repeated_title(view: str, base: int, words: list, near: int | None = None) -> list[tuple[int, int]]:
    """Spans of the longest run (5+ words) of `words` (matches on the first line, `base` its
    view offset) that occurs again later, and of each copy; [] when none. With `near`, only
    a run with a copy starting within `near` characters of the run's end counts."""
    if len(words) >= 5:
        ws = [w.group() for w in words]
        ends = [base + w.end() for w in words]
        if near is not None:
            # a copy within `near` of its run's end starts by ends[-1] + near: when the page holds
            # none, the scan of the rest of the page (every occurrence of the first word) is skipped
            if not any(p - ends[n - 1] <= near for p, n in _title_copies(view, ws, ends, ends[-1] + near + 1)):
                return []
        copies = _title_copies(view, ws, ends, len(view))
        if copies:
            k = max(n for _, n in copies)
            spans = [(base + words[0].start(), ends[k - 1])]
            for p, n in copies:
                if n >= k and p >= spans[-1][1]:
                    q = p
                    for w in ws[:k]:
                        q = view.index(w, q) + len(w)
                    spans.append((p, q))
            return spans
    return []


def find_claims(doc: Document, lex: Lexicons | None = None, sentences: list[Sentence] | None = None,
                extra_cues: list[dict] | None = None) -> list[Draft]:
    """Claim drafts (view offsets) for a document, in text order, pro-drop resolved.

    `extra_cues` are cue words an engine found outside the lexicon's forms (camel:
    "تصرحان" by its lemma صرح), as raw spans with their lexicon entry id.
    """
    lex = lex or default_lexicons()
    view = doc.normalized.text
    sentences = sentences if sentences is not None else split_sentences(doc)
    cues, noun_cues, _ = lex.scan(view)
    found = cues + noun_cues + _engine_matches(doc, lex, extra_cues)
    cue_matches = [m for m in resolve_overlaps(found)
                   if (m.prefix + m.phrase + m.suffix) not in lex.not_cues and not _teh_marbuta_suffix(doc, m)
                   and not _bad_verb_prefix(m) and not _raw_not_cue(doc, m, lex)]
    cue_matches = [m for m in cue_matches if not (m.payload.pos == "verb" and _INFO_RELATIVE.search(view, max(0, m.start - 60), m.start))
                   and not _passive_estimate(view, m)]
    titles = _title_spans(view)
    lead_end = _leading_headlines(doc.text)
    if titles:
        cue_matches = [m for m in cue_matches if not any(a <= m.start and m.end <= b for a, b in titles)]
    drafts: list[Draft] = []
    mi = 0
    for sent in sentences:
        while mi < len(cue_matches) and cue_matches[mi].start < sent.nstart:
            mi += 1
        mj = mi
        while mj < len(cue_matches) and cue_matches[mj].end <= sent.nend:
            mj += 1
        if mj == mi or sent.boilerplate or _is_headline(doc, sent, sentences) or sent.end <= lead_end:
            mi = mj
            continue
        drafts.extend(_SentenceReader(doc, sent, lex, cue_matches[mi:mj]).read())
        mi = mj
    drafts = _drop_nested(drafts)
    for d in drafts:
        if d.source is not None and not d.resolved:
            d.source = _trim_source_tail(view, d.source)
    _resolve_prodrop(doc, drafts)
    return [d for d in drafts if not _exhortation(view, d)]  # after: an exhortation still names the speaker


_EXHORT_LEMMAS = frozenset({"أكد", "شدد", "أشار", "لفت"})
_EXHORT_HEADS = frozenset(fold(w) for w in "ضرورة أهمية وجوب".split())
_EXHORT_PREPS = frozenset(fold(w) for w in "على إلى الى".split())


def _exhortation(view: str, d: Draft) -> bool:
    """"شدد على ضرورة احترام …", "أكد أهمية التدريب": urging, not asserting a fact (like دعا، طالب)."""
    if d.entry.lemma not in _EXHORT_LEMMAS or d.content is None:
        return False
    words = view[d.content[0]:d.content[1]].replace('"', " ").split()
    if words and words[0] in _EXHORT_PREPS:
        words = words[1:]
    return bool(words) and words[0] in _EXHORT_HEADS


# A source ends before a time phrase or a manner participle that the readers let it swallow
# ("يلدريم , أول من أمس", "ريابكوف عقب محادثات", "قيادي رافضا الكشف عن اسمه", "عن مصدر … قوله").
_TAIL_STOPS = frozenset(fold(w) for w in "أمس بالأمس عقب رافضا رافضة مفضلا مفضلة قوله قولها قولهم".split())
_TAIL_TIME_HEADS = frozenset(fold(w) for w in "اليوم مساء صباح ظهر فجر ليل".split())
_WEEKDAYS = frozenset(fold(w) for w in "اليوم أمس الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split())
_WORD = re.compile(r"\S+")
_TAIL_ANY = _TAIL_STOPS | _TAIL_TIME_HEADS | {"أول", "اول", "في", "ل"}  # every word the test below starts from
_TAIL_LONGEST = max(map(len, _TAIL_ANY))


def _trim_source_tail(view: str, src: tuple[int, int]) -> tuple[int, int]:
    words = list(_WORD.finditer(view, src[0], src[1]))
    for q in range(1, len(words)):
        w = words[q].group()
        if len(w) > _TAIL_LONGEST:  # the view is folded: folding again never lengthens a word
            continue
        w = fold(w)
        if w not in _TAIL_ANY:  # the test below needs the next words only after these
            continue
        nxt = fold(words[q + 1].group()) if q + 1 < len(words) else ""
        after = fold(words[q + 2].group()) if q + 2 < len(words) else ""
        if w in _TAIL_STOPS or (w in ("أول", "اول") and nxt == "من" and after in ("أمس", "امس")) \
                or (w in _TAIL_TIME_HEADS and nxt in _WEEKDAYS) \
                or (w == "في" and (_bare(nxt) in CHANNEL_NOUNS or nxt in ("هذا", "هذه"))) \
                or (w == "ل" and nxt == "-" and words[q - 1].group() in (",", "،")):
            # "لافروف في اتصال هاتفي مع …", "الطبيب أبو محمد في هذا الصدد": how or where he spoke;
            # "الناشط مازن الريفي , ل - " العربي الجديد "": the one he spoke to
            end = q
            while end > 1 and words[end - 1].group() in (",", "،", "-", "("):
                end -= 1
            return (src[0], words[end - 1].end())
    return src


def _engine_matches(doc: Document, lex: Lexicons, cues: list[dict] | None) -> list[Match]:
    """Engine cue candidates as matcher results in the view (prefixes stay outside)."""
    if not cues:
        return []
    by_id = {e.id: e for e in lex.cues}
    n = doc.normalized
    out = []
    for c in cues:
        entry = by_id.get(c.get("entry"))
        if entry is None:
            continue
        s, e = n.raw_to_view(c["start"]), n.raw_to_view(c["end"])
        if s < e:
            out.append(Match(s, e, n.text[s:e], entry, "", ""))
    return out


def _bad_verb_prefix(m: Match) -> bool:
    """ل and س go only before an imperfect verb: "لبثوا" is not ل + بثوا, "لنقل" is not ل + نقل.
    ب never goes before a verb: "بنقل السفارة", "بوصفها قوة احتلال", "بزعم الانضمام" are nouns
    ("برأيه فإن …", in his view, stays: an attribution)."""
    if "ب" in m.prefix and m.payload.pos in ("verb", "passive") and m.payload.lemma != "رأى":
        return True
    if not ("ل" in m.prefix or "س" in m.prefix) or m.payload.pos not in ("verb", "passive"):
        return False
    lemma = fold(m.payload.lemma)
    imperfect = m.phrase[:1] in ("ي", "ت", "ن", "ا") and m.phrase[:2] != lemma[:2]
    return not imperfect


def _raw_not_cue(doc: Document, m: Match, lex: Lexicons) -> bool:
    if not lex.not_cues_raw:
        return False
    rs, re_ = doc.normalized.to_raw(m.start - len(m.prefix), m.end + len(m.suffix))
    word = "".join(c for c in doc.text[rs:re_] if not unicodedata.combining(c))
    return word in lex.not_cues_raw


def _teh_marbuta_suffix(doc: Document, m: Match) -> bool:
    """"إضافة", "إشارة" fold to أضاف/أشار + ه: a noun, not a verb with a pronoun."""
    if m.suffix != "ه":
        return False
    rs, re_ = doc.normalized.to_raw(m.end, m.end + 1)
    return "\u0629" in doc.text[rs:re_]


def _inside(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return bool(a and b and b[0] <= a[0] and a[1] <= b[1])


def _drop_nested(drafts: list[Draft]) -> list[Draft]:
    """A rumor noun inside another claim's source or cue is not a claim of its own."""
    out = []
    for d in drafts:
        if d.entry.pos == "noun" and any(
            o is not d and (_inside(d.cue, o.source) or _inside(d.cue, o.via)) for o in drafts
        ):
            continue
        out.append(d)
    return out


# Speech acts that are no claims (warnings, calls, condemnations) still name the speaker a
# following "… , وقال" continues: "فيما حذر وزير الدفاع , X , من … , وقال إن"، "أما الوزارة
# فحثت … , وقالت"، "أدانت رئاسة المجلس … , وقالت في بيان". Matched on the folded view.
_ACT_SUBJECT = re.compile(
    r"(?:^|(?<=\s))(?:و|ف|فيما\s+|بينما\s+)?(?:حذر|دعا|دعت|حث|ناشد|ادان|دان|ندد|رحب|اعرب|طالب)(?:ت)?\s+"
    r"(?P<np>(?:(?!من\s|علي\s|الي\s|في\s|عن\s|ب\s|ل\s|بان\s|بضروره\s)[^\s,،.:]+\s+){1,7}?)(?=من\s|علي\s|الي\s|في\s|عن\s|ب|,|،)"
    r"|(?:^|(?<=\s))و?اما\s+(?P<topic>(?:[^\s,،.:ف][^\s,،.:]*\s+){1,5}?)"
    r"ف(?:قد\s|(?:حذر|دعا|دعت|حث|ناشد|ادان|دان|ندد|رحب|اعرب|طالب)(?:ت)?\s)")


_ACT_NOT_SUBJECT = frozenset(fold(w) for w in "جميع كافة بعد".split())


def _speech_act_subject(view: str, d: Draft, after: int) -> tuple[int, int] | None:
    """The subject of a warning/call verb earlier in d's sentence (after `after`), or None."""
    if d.sentence is None:
        return None
    start = max(d.sentence.nstart, after)
    found = None
    for m in _ACT_SUBJECT.finditer(view, start, d.cue[0]):
        g = "np" if m.group("np") else "topic"
        a, b = m.span(g)
        text = view[a:b].rstrip('" \t')
        lead = len(text) - len(text.lstrip('" '))
        a, text = a + lead, text[lead:]
        words = text.split()
        if words and (words[0] in _ACT_NOT_SUBJECT or words[0].startswith("بال") or _is_bi_masdar(words[0])
                      or words[0] == "بحلول"):
            continue  # "كما دعا جميع أطراف الصراع", "طالب بإلغاء المادة", "نددت بالغارات": no subject written
        cut = next((q for q, w in enumerate(words) if q > 0 and w in _ACT_NOT_SUBJECT), None)
        if cut is not None:  # "دعا الأمين العام جميع الأطراف": the addressee is no part of the subject
            text = text[:text.index(" " + words[cut]) if (" " + words[cut]) in text else len(text)].rstrip()
        if text and (d.feminine is None or _source_feminine(text.split()) == d.feminine):
            found = (a, a + len(text))
    return found


def _resolve_prodrop(doc: Document, drafts: list[Draft]) -> None:
    """Continuations take the nearest earlier source, preferring one of the same gender."""
    view = doc.normalized.text
    history: list[Draft] = []
    for d in drafts:
        if d.resolved and d.source is None and d.entry.pos != "predicate" and not d.plural:
            act = _speech_act_subject(view, d, history[-1].cue[1] if history else 0)
            if act is not None:
                d.source, d.source_kind = act, _source_kind(view[act[0]:act[1]])
        if d.resolved and d.source is None and d.entry.pos != "predicate":
            pick = None
            if d.plural:
                pick = next((c for c in reversed(history[-4:]) if _source_plural(view[c.source[0]:c.source[1]].split())), None)
            for cand in ([] if pick else reversed(history[-4:])):
                words = view[cand.source[0]:cand.source[1]].split()
                if d.feminine is None or _source_feminine(words) == d.feminine:
                    pick = cand
                    break
            pick = pick or (history[-1] if history else None)
            if pick is not None:
                d.source, d.source_kind = pick.source, pick.source_kind
        elif d.resolved and d.source is None and d.entry.pos == "predicate":
            same = [h for h in history if h.sentence is d.sentence]
            if same:
                d.source = same[-1].source
        if d.source is not None and not d.resolved \
                and fold((view[d.source[0]:d.source[1]].split(None, 1) or [""])[0]).split()[:1] \
                in (["قد"], ["لقد"], ["وقد"], ["كان"], ["وكان"]):  # the first word only: fold's cache hits
            d.source = None  # a clause, not a source
        if d.source is not None:
            if not d.resolved:
                d.source_kind = _source_kind(view[d.source[0]:d.source[1]])
            same_sentence_verb = history and history[-1].sentence is d.sentence and history[-1].type != "according_to"
            nested = any(h.content and h.content[0] <= d.cue[0] < h.content[1] for h in history[-2:])
            if not (d.type == "according_to" and same_sentence_verb) and not nested:
                history.append(d)  # "وقالت المصادر، وفقا لما ذكرته قناة …": continuations follow المصادر
        if d.source is not None and not d.source_kind or d.source_kind == "none" and d.source is not None:
            d.source_kind = _source_kind(view[d.source[0]:d.source[1]])


def to_records(doc: Document, drafts: list[Draft], lex: Lexicons, outlet=None) -> list[dict]:
    view = doc.normalized.text
    hedge_matches = resolve_overlaps(lex.scan(view)[2]) if drafts else []
    records = []
    info = doc.info(outlet)  # one block for all the claims of the document (encoded once: parallel.json_lines)
    span = doc.nspan_json
    for d in drafts:
        cue = doc.nspan(*d.cue)
        hedges = _hedges(doc, d, lex, hedge_matches)
        source = None
        if d.source is not None:
            source = span(*d.source)
            source.update(kind=d.source_kind or "named", resolved=d.resolved, entity=None)
        else:
            source = {"text": "", "start": cue.start, "end": cue.start, "kind": "none", "resolved": False, "entity": None}
        sent = d.sentence
        rec = {
            "schema": SCHEMA,
            "id": _claim_id(doc, cue),
            "doc": info,
            "sentence": {"index": sent.index, "start": sent.start, "end": sent.end},
            "cue": {"text": cue.text, "start": cue.start, "end": cue.end, "lemma": d.entry.lemma, "type": d.type},
            "source": source,
            "recipient": span(*d.recipient) if d.recipient else None,
            "via": span(*d.via) if d.via else None,
            "content": span(*d.content),
            "polarity": "negative" if d.type in NEGATIVE_TYPES else "positive",
            "certainty": _certainty(d.type, hedges),
            "hedges": hedges,
            "entities": [],
            "evidence": {"cue": d.entry.id, "rule": d.rule, "engine": "light"},
        }
        records.append(rec)
    return records


def extract(text: str, doc_id: str = "-") -> list[dict]:
    """Claims of one text as records (the library's one-call API).

    >>> [c["cue"]["type"] for c in extract("نفت وزارة الدفاع صحة المعلومات.")]
    ['deny']
    """
    from .pipeline import Pipeline

    return Pipeline().extract(Document(doc_id, text))


class _CallableModule(type(sys.modules[__name__])):
    """`claimx.extract(text)` keeps working after `import claimx.extract` binds the
    package attribute to this module (the function and the module share a name)."""

    def __call__(self, text: str, doc_id: str = "-") -> list[dict]:
        return extract(text, doc_id)


sys.modules[__name__].__class__ = _CallableModule
