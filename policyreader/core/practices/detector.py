"""The detector: rules, model or both over a document's passages, merged into ``Practice`` spans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat
from typing import Any, NamedTuple

from policyreader.core.document import PolicyDocument
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.practices.attributes import AttributeLexicon, default_attributes
from policyreader.core.practices.encoder import (
    EncoderError,
    PassageEncoder,
    default_encoder,
    encoder_input,
)
from policyreader.core.practices.model import (
    TOKEN,
    LinearModel,
    ScoredPassage,
    default_model,
    fold_lowered,
    sigmoid,
)
from policyreader.core.practices.polarity import Polarity, PolarityModel, default_polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.rules import WORD, RuleHit, RuleSet, default_rules
from policyreader.core.practices.sentences import Passage, Sentence, lower_text, passages
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category

# A sentence joins the model's highlight when it carries at least this share of the strongest
# sentence's contribution: the highlight covers the sentences that say it, not the whole passage.
SENTENCE_SHARE = 0.5
MAX_EVIDENCE = 5
# Consecutive sentences of one category merge into one highlight up to this length, so that a
# highlight marks statements, never a whole section (or a whole file without paragraphs).
MAX_PRACTICE_CHARS = 1500
# Collection and sharing: the categories OPP-115 annotates "Does" / "Does Not".
POLARITY_CATEGORIES = (Category.FIRST_PARTY_COLLECTION, Category.THIRD_PARTY_SHARING)
_NEGATION_CUE = re.compile(r"\b(?:not|no|never|n't|cannot|without|nor)\b|n't")
# The model folds digits to 0 (``fold_lowered``); text without them reads the same either way.
_DIGIT = re.compile(r"\d")
# The rules may reuse the model's words only while both split words alike.
_SAME_WORDS = TOKEN.pattern == WORD.pattern and TOKEN.flags == WORD.flags


class RuleHits(NamedTuple):
    """A passage's rule hits per sentence, the candidate patterns per sentence, and the
    categories the hits were scored for (the others were not tried)."""

    hits: list[dict[Category, RuleHit]]
    candidates: list[dict[Category, list[Any]]]
    scored: set[Category]


# Polarity readings by (sentence, lead-in), for one document.
_Readings = dict[tuple[str, str], Polarity]


class DetectorKind(StrEnum):
    RULES = "rules"
    MODEL = "model"
    COMBINED = "combined"
    # The fine-tuned encoder alone, and the encoder weighed with ``combined`` (the best there is).
    ENCODER = "encoder"
    BEST = "best"


# What each kind needs; without it a kind falls back to the next best one.
_USES_ENCODER = {DetectorKind.ENCODER, DetectorKind.BEST}


@dataclass(slots=True)
class _Finding:
    """A category found in one sentence, before neighbouring sentences are merged."""

    confidence: float
    evidence: list[tuple[int, int]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    # The model's evidence is worked out only when the practice needs it (see ``spans``): a
    # practice shows MAX_EVIDENCE phrases, most often all from its first sentence.
    model_evidence: tuple[ScoredPassage, Category, int] | None = None

    def spans(self) -> Iterable[tuple[int, int]]:
        """Evidence offsets: the rules' first, then the model's."""
        yield from self.evidence
        if self.model_evidence is not None:
            scored, category, index = self.model_evidence
            for _, start, end in scored.evidence(category, index):
                yield start, end


class PracticeDetector:
    """Finds practices with the rules, the model, the encoder or a mix; ``model=None`` means
    rules alone, and the encoder kinds need both the model and the encoder."""

    def __init__(
        self,
        kind: DetectorKind = DetectorKind.COMBINED,
        rules: RuleSet | None = None,
        model: LinearModel | None = None,
        encoder: PassageEncoder | None = None,
        polarity: PolarityModel | None = None,
    ) -> None:
        self.rules = rules or default_rules()
        self.model = model
        # Without the polarity file every practice reads as done, as before it existed.
        self.polarity = polarity
        # Without the encoder its kinds fall back to ``combined``; without weights every kind
        # falls back to the rules: the app still works.
        if kind in _USES_ENCODER and encoder is None:
            kind = DetectorKind.COMBINED
        self.kind = kind if model is not None else DetectorKind.RULES
        self.encoder = encoder if self.kind in _USES_ENCODER else None
        self.attributes = (
            default_attributes()
            if rules is None
            else AttributeLexicon.from_data(self.rules.lexicon)
        )
        # Per category, what ``combined`` weighs: the cut, the rules' bonus, and the rule
        # confidence that decides alone (hits of the lexicon's decisive patterns always do).
        self._overrides: dict[Category, float] = {}
        self._weighing: list[tuple[Category, float, float, float]] = []
        # ``best`` adds weight x the encoder's logit to the score and moves the cut by its own.
        self._encoder_weight: dict[Category, float] = {}
        self._cuts: dict[Category, float] = {}
        if model is not None:
            best = self.encoder.settings.get("best") if self.encoder is not None else None
            for index, category in enumerate(PRACTICE_CATEGORIES):
                override = model.rule_override[category]
                self._overrides[category] = override
                cut = model.combined_cuts[category]
                if best is not None and self.kind is DetectorKind.BEST:
                    self._encoder_weight[category] = best["weight"][index]
                    cut += best["cuts"][index]
                self._cuts[category] = cut
                self._weighing.append((category, cut, model.rule_bonus[category], override))

    def detect(self, document: PolicyDocument) -> list[Practice]:
        # Detection allocates much and leaves no cycles: collections would only cost time.
        with cyclic_gc_paused():
            return self._detect(document)

    def _detect(self, document: PolicyDocument) -> list[Practice]:
        text = document.text
        heard: Iterable[Sequence[float] | None] = repeat(None)
        found: Iterable[Passage] = passages(document)
        if self.encoder is not None:
            found = list(found)
            # One call over all passages: the encoder batches passages of like length.
            heard = self.encoder.logits([encoder_input(text, passage) for passage in found])
            heard = heard.tolist()
        return self.detect_passages(prepare_text(text, self.model is not None), found, heard)

    def detect_passages(
        self,
        prepared: PreparedText,
        found: Iterable[Passage],
        heard: Iterable[Sequence[float] | None],
        readings: _Readings | None = None,
    ) -> list[Practice]:
        """Practices of ``found`` (whole blocks, in text order), each passage with the encoder's
        logits or None (then ``best`` weighs it as ``combined`` does); sorted by start.

        Practices never span blocks, so the blocks of a document may be detected in any
        groups: the refine step in the window goes visible blocks first.
        """
        text, lowered, folded = prepared
        categories = self.encoder.categories if self.encoder is not None else []
        findings: dict[tuple[Category, Sentence], _Finding] = {}
        practices: list[Practice] = []
        lead_ins: dict[Sentence, str] = {}
        # Policies repeat sentences (boilerplate, list items): each is read once per document
        # (per call: the refine passes one dict for all its calls).
        readings = readings if readings is not None else {}
        block = -1
        with cyclic_gc_paused():
            for passage, row in zip(found, heard, strict=False):
                if passage.block != block and findings:
                    # Practices never span blocks: a finished block's findings are merged now,
                    # so the scored passages they hold are freed (else 18 bytes a character).
                    practices += self._merge_block(text, lowered, findings, lead_ins, readings)
                    findings, lead_ins = {}, {}
                block = passage.block
                passage_heard = dict(zip(categories, row, strict=True)) if row else None
                self._detect_passage(lowered, folded, passage, findings, passage_heard, readings)
                if passage.lead_in:
                    lead_ins.update(dict.fromkeys(passage.sentences, passage.lead_in))
            practices += self._merge_block(text, lowered, findings, lead_ins, readings)
        practices.sort(key=lambda p: (p.start, PRACTICE_CATEGORIES.index(p.category)))
        return practices

    def _merge_block(
        self,
        text: str,
        lowered: str,
        findings: dict[tuple[Category, Sentence], _Finding],
        lead_ins: dict[Sentence, str],
        readings: _Readings,
    ) -> list[Practice]:
        polarities = self._polarities(text, findings, lead_ins, readings)
        return self._merge(text, lowered, findings, polarities)

    def _polarities(
        self,
        text: str,
        findings: dict[tuple[Category, Sentence], _Finding],
        lead_ins: dict[Sentence, str],
        readings: _Readings,
    ) -> dict[Sentence, Polarity]:
        """The polarity of every sentence that states a practice (one reading per sentence)."""
        if self.polarity is None:
            return {}
        found: dict[Sentence, Polarity] = {}
        for _, sentence in findings:
            if sentence not in found:
                found[sentence] = self._read(
                    text[sentence.start : sentence.end], lead_ins.get(sentence, ""), readings
                )
        return found

    def _read(self, sentence: str, lead_in: str, readings: _Readings) -> Polarity:
        """The polarity model's reading of a sentence, once per distinct sentence."""
        assert self.polarity is not None
        key = (sentence, lead_in)
        reading = readings.get(key)
        if reading is None:
            reading = readings[key] = self.polarity.polarity(sentence, lead_in)
        return reading

    def _detect_passage(
        self,
        lowered: str,
        folded: str,
        passage: Passage,
        findings: dict[tuple[Category, Sentence], _Finding],
        heard: dict[Category, float] | None = None,
        readings: _Readings | None = None,
    ) -> None:
        """``heard``: the encoder's logit per category, for the kinds that use it;
        ``readings``: the polarity readings of the document so far."""
        if self.kind is DetectorKind.RULES or self.model is None:
            hits = [self.rules.score(lowered, sentence) for sentence in passage.sentences]
            _add_rule_findings(passage, hits, PRACTICE_CATEGORIES, findings)
            return
        scored = self.model.score(lowered, passage, folded)
        if self.kind is DetectorKind.MODEL:
            for category in PRACTICE_CATEGORIES:
                if scored.logits[category] >= self.model.cuts[category]:
                    _add_model_findings(scored, category, scored.confidence(category), findings)
            return
        if self.kind is DetectorKind.ENCODER:
            assert heard is not None and self.encoder is not None
            # The encoder says whether; the model's word weights say which sentences and words.
            for category, cut in zip(
                self.encoder.categories, self.encoder.cuts.tolist(), strict=True
            ):
                if heard[category] >= cut:
                    confidence = sigmoid(heard[category] - cut)
                    _add_model_findings(scored, category, confidence, findings, "encoder")
            return
        shift = (
            {c: w * heard[c] for c, w in self._encoder_weight.items()}
            if heard is not None and self._encoder_weight
            else None
        )
        known = self._needed_rule_hits(lowered, passage, scored, shift)
        hits = known.hits
        strongest: dict[Category, float] = {}
        decided: set[Category] = set()
        for sentence_hits in hits:
            for category, hit in sentence_hits.items():
                if hit.confidence > strongest.get(category, 0.0):
                    strongest[category] = hit.confidence
                if self.rules.decides(category, hit):
                    decided.add(category)
        logits = scored.logits
        for category, cut, bonus, override in self._weighing:
            logit = logits[category]
            rule_confidence = strongest.get(category, 0.0)
            score = logit + bonus * rule_confidence
            if shift is not None:
                score += shift[category]
            if score < cut and rule_confidence < override and category not in decided:
                continue
            confidence = scored.confidence(category, score, cut)
            fired = _add_rule_findings(passage, hits, (category,), findings, floor=confidence)
            if not fired or logit >= cut:
                source = "model" if shift is None or logit >= cut else "encoder"
                _add_model_findings(scored, category, confidence, findings, source)
        if self.polarity is not None:
            self._add_not_done(lowered, passage, findings, known, readings)

    def _add_not_done(
        self,
        lowered: str,
        passage: Passage,
        findings: dict[tuple[Category, Sentence], _Finding],
        known: RuleHits | None = None,
        readings: _Readings | None = None,
    ) -> None:
        """Keep what the rules find in a sentence the polarity model reads as "not done".

        The linear model learnt from passages where such statements are rare and often misses
        them ("your e-mail address is never shared"); the rules name the practice, the
        polarity model (not the cue alone) decides the sentence states it as not done.
        ``known``: the passage's rule hits, candidates and the categories they were scored for.
        """
        assert self.polarity is not None
        for index, sentence in enumerate(passage.sentences):
            if not _NEGATION_CUE.search(lowered, sentence.start, sentence.end):
                continue  # only a cheap filter: no cue, no "not done" reading worth the work
            hits = {
                category: hit
                for category, hit in self._polarity_hits(lowered, sentence, index, known)
                if hit.fires and (category, sentence) not in findings
            }
            if not hits:
                continue
            sentence_text = lowered[sentence.start : sentence.end]
            reading = self._read(
                sentence_text, passage.lead_in, {} if readings is None else readings
            )
            if reading is Polarity.DOES:
                continue
            _add_rule_findings(
                passage, [hits if s == sentence else {} for s in passage.sentences], hits, findings
            )

    def _polarity_hits(
        self, lowered: str, sentence: Sentence, index: int, known: RuleHits | None
    ) -> Iterator[tuple[Category, RuleHit]]:
        """The sentence's rule hits of the polarity categories, reusing those already scored."""
        if known is None:
            for category, hit in self.rules.score(lowered, sentence).items():
                if category in POLARITY_CATEGORIES:
                    yield category, hit
            return
        for category, patterns in known.candidates[index].items():
            if category not in POLARITY_CATEGORIES:
                continue
            if category in known.scored:
                found = known.hits[index].get(category)
            else:
                found = self.rules.score_candidates(lowered, sentence, {category: patterns}).get(
                    category
                )
            if found is not None:
                yield category, found

    def _needed_rule_hits(
        self,
        lowered: str,
        passage: Passage,
        scored: ScoredPassage,
        shift: dict[Category, float] | None = None,
    ) -> RuleHits:
        """Rule hits of the passage, matching only the categories where they could matter.

        The model has spoken first; a category's patterns are tried only when the passage is
        already found (rules then add their sentences and words) or when the most the candidate
        patterns could add would reach the cut or the override, or one of them is decisive. Same
        result, less matching.
        """
        assert self.model is not None
        sentences = passage.sentences
        if _DIGIT.search(lowered, passage.start, passage.end) is None and _SAME_WORDS:
            # Without digits the folded text is the lowered text: the model's words will do.
            candidates = [
                self.rules.candidates(lowered, sentence, words)
                for sentence, words in zip(sentences, scored.words, strict=True)
            ]
        else:
            candidates = [self.rules.candidates(lowered, sentence) for sentence in sentences]
        bounds: dict[Category, float] = {}
        needed: set[Category] = set()
        for found in candidates:
            for category, patterns in found.items():
                bound = self.rules.bound(patterns)
                if bound > bounds.get(category, 0.0):
                    bounds[category] = bound
                if self.rules.may_decide(category, patterns):
                    needed.add(category)
        logits = scored.logits
        for category, bound in bounds.items():
            logit = logits[category] + (shift[category] if shift is not None else 0.0)
            cut = self._cuts[category]
            if (
                logit >= cut
                or logit + self.model.rule_bonus[category] * bound >= cut
                or bound >= self._overrides[category]
            ):
                needed.add(category)
        if not needed:
            return RuleHits([{} for _ in passage.sentences], candidates, needed)
        hits = [
            self.rules.score_candidates(lowered, sentence, found, needed)
            for sentence, found in zip(passage.sentences, candidates, strict=True)
        ]
        return RuleHits(hits, candidates, needed)

    def _merge(
        self,
        text: str,
        lowered: str,
        findings: dict[tuple[Category, Sentence], _Finding],
        polarities: dict[Sentence, Polarity],
    ) -> list[Practice]:
        """Join a category's findings in consecutive sentences of one block into one practice
        (in no particular order: the caller sorts).

        A change of polarity ends a practice: "we collect X. We do not sell it." is two.
        """
        practices: list[Practice] = []
        ordered = sorted(findings.items(), key=lambda item: (item[0][0].value, item[0][1].start))
        run: list[tuple[Sentence, _Finding]] = []
        run_category: Category | None = None
        run_polarity = Polarity.DOES
        for (category, sentence), finding in ordered:
            polarity = polarities.get(sentence, Polarity.DOES)
            if run and (
                category is not run_category
                or polarity is not run_polarity
                or sentence.block != run[-1][0].block
                or not _adjacent(text, run[-1][0], sentence)
                or sentence.end - run[0][0].start > MAX_PRACTICE_CHARS
            ):
                practices.append(self._practice(text, lowered, run_category, run, run_polarity))
                run = []
            run_category = category
            run_polarity = polarity
            run.append((sentence, finding))
        if run and run_category is not None:
            practices.append(self._practice(text, lowered, run_category, run, run_polarity))
        return practices

    def _practice(
        self,
        text: str,
        lowered: str,
        category: Category | None,
        run: list[tuple[Sentence, _Finding]],
        polarity: Polarity,
    ) -> Practice:
        assert category is not None
        start, end = run[0][0].start, run[-1][0].end
        evidence: list[str] = []
        sources: set[str] = set()
        for _, finding in run:
            sources |= finding.sources
            if len(evidence) == MAX_EVIDENCE:
                continue
            for ev_start, ev_end in finding.spans():
                phrase = text[ev_start:ev_end]
                if phrase not in evidence:
                    evidence.append(phrase)
                    if len(evidence) == MAX_EVIDENCE:
                        break
        return Practice(
            category=category,
            start=start,
            end=end,
            confidence=max(finding.confidence for _, finding in run),
            attributes=self.attributes.extract(category, text, start, end, lowered),
            evidence=tuple(evidence),
            source="+".join(sorted(sources)),
            polarity=polarity,
        )


class PreparedText(NamedTuple):
    """The text, its lower-cased copy (same offsets) and the model's folded copy."""

    text: str
    lowered: str
    folded: str


def prepare_text(text: str, with_model: bool = True) -> PreparedText:
    """Case-blind matching works on one lower-cased copy of the text with the same offsets."""
    lowered = lower_text(text)
    return PreparedText(text, lowered, fold_lowered(lowered) if with_model else "")


def _adjacent(text: str, first: Sentence, second: Sentence) -> bool:
    return second.start >= first.end and not text[first.end : second.start].strip()


def _add_rule_findings(
    passage: Passage,
    hits: list[dict[Category, RuleHit]],
    categories: Iterable[Category],
    findings: dict[tuple[Category, Sentence], _Finding],
    floor: float = 0.0,
) -> bool:
    """Record the sentences where the rules fire; True if there was any."""
    fired = False
    for sentence, sentence_hits in zip(passage.sentences, hits, strict=True):
        for category in categories:
            hit = sentence_hits.get(category)
            if hit is None or not hit.fires:
                continue
            fired = True
            finding = findings.setdefault((category, sentence), _Finding(0.0))
            finding.confidence = max(finding.confidence, hit.confidence, floor)
            finding.evidence.extend(hit.evidence)
            finding.sources.add("rules")
    return fired


def _add_model_findings(
    scored: ScoredPassage,
    category: Category,
    confidence: float,
    findings: dict[tuple[Category, Sentence], _Finding],
    source: str = "model",
) -> None:
    shares = scored.localise(category)
    strongest = max(shares)
    for index, (sentence, share) in enumerate(zip(scored.passage.sentences, shares, strict=True)):
        if share < strongest * SENTENCE_SHARE or (share <= 0 and share != strongest):
            continue
        finding = findings.setdefault((category, sentence), _Finding(0.0))
        finding.confidence = max(finding.confidence, confidence)
        # Held until merging (``_Finding.spans``); with the cyclic collector paused during
        # detection, keeping every scored passage alive that long costs nothing.
        finding.model_evidence = (scored, category, index)
        finding.sources.add(source)


def detect_practices(
    document: PolicyDocument,
    kind: DetectorKind | str = DetectorKind.COMBINED,
    on_problem: Callable[[str], None] | None = None,
) -> list[Practice]:
    """Practices in ``document`` using the bundled rules and, if shipped, the bundled model and
    encoder. An encoder that cannot be used is reported to ``on_problem`` and the fast path
    (rules and model) answers instead."""
    kind = DetectorKind(kind)
    model = None if kind is DetectorKind.RULES else default_model()
    polarity = default_polarity()
    encoder = None
    if kind in _USES_ENCODER:
        try:
            encoder = default_encoder()
            if encoder is not None:
                return PracticeDetector(
                    kind, model=model, encoder=encoder, polarity=polarity
                ).detect(document)
        except EncoderError as error:
            if on_problem is not None:
                on_problem(f"the encoder could not be used ({error}); using the fast detector")
    return PracticeDetector(kind, model=model, polarity=polarity).detect(document)


def coverage(practices: Iterable[Practice]) -> dict[str, str]:
    """For each practice category, ``stated`` if some practice has it, else ``not_stated``."""
    found = {practice.category for practice in practices}
    return {c.value: "stated" if c in found else "not_stated" for c in PRACTICE_CATEGORIES}
