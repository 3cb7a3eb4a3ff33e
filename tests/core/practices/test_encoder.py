"""The encoder: exact WordPiece, scores of the bundled ONNX file, and the app without it."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyreader.cli import main
from policyreader.core.loading import load_text
from policyreader.core.practices import encoder as encoder_module
from policyreader.core.practices.detector import (
    DetectorKind,
    PracticeDetector,
    detect_practices,
)
from policyreader.core.practices.encoder import (
    ENCODER_FILE,
    SETTINGS_FILE,
    SETTINGS_FORMAT,
    VOCAB_FILE,
    EncoderError,
    WordPiece,
    default_encoder,
    read_encoder,
)
from policyreader.core.practices.model import default_model
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.resources_path import resource
from tests.all_rules_detector import AllRulesDetector

pytest.importorskip("onnxruntime")

SAMPLES = [
    "We collect your e-mail address, IP address and device IDs (e.g., IDFA).",
    "Vous pouvez exercer vos droits d'accès à tout moment — café, naïve, Ångström.",
    "We do NOT sell personal information; see §4.2 and https://example.org/privacy?x=1&y=2.",
    "Data is kept 30\u00a0days\tthen deleted.\r\nControl\u0007chars and zero\u200bwidth.",
    "個人情報 is protected under 中华人民共和国 law. Emoji 🙂 and ﬁ ligatures.",
    "Supercalifragilisticexpialidocious " + "x" * 120 + " pseudonymisation",
]
POLICY = """# Privacy Policy

## What we collect

We collect your name, email address and the pages you visit when you create an account.

## Sharing

We share your information with advertising partners who show you ads on other sites.

## Changes

We may update this policy from time to time and will post the new date here.
"""


def _vocab() -> list[str]:
    return resource(*VOCAB_FILE).read_text(encoding="utf-8").splitlines()


def test_wordpiece_matches_bert_tokenizer_of_transformers(tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    # A folder with vocab.txt alone loads BERT's uncased defaults (lower case, strip accents).
    (tmp_path / "vocab.txt").write_bytes(resource(*VOCAB_FILE).read_bytes())
    reference = transformers.BertTokenizerFast.from_pretrained(str(tmp_path))
    ours = WordPiece(_vocab())
    for text in SAMPLES:
        assert ours.encode(text, 512) == reference(text)["input_ids"], text


def test_wordpiece_truncates_between_cls_and_sep() -> None:
    tokenizer = WordPiece(_vocab())
    ids = tokenizer.encode(" ".join(SAMPLES), 12)
    assert len(ids) == 12
    assert ids[0] == tokenizer.cls and ids[-1] == tokenizer.sep
    pieces = tokenizer.tokens("Pseudonymisation")
    assert pieces == ["pseudonym", "##isation"]
    assert "".join(piece.removeprefix("##") for piece in pieces) == "pseudonymisation"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_words_split_as_the_character_by_character_path(text: str) -> None:
    assert WordPiece.words(text) == WordPiece.unicode_words(text)


def _tiny_encoder_files(folder: Path) -> Path:
    """An encoder of the shipped file format small enough to build here: each word piece adds
    its own logits (masked sum), "collect" for collection and "share" for sharing."""
    pytest.importorskip("onnx")
    np = pytest.importorskip("numpy")
    from onnx import TensorProto, helper, numpy_helper

    vocab = _vocab()
    weights = np.zeros((len(vocab), len(PRACTICE_CATEGORIES)), dtype=np.float32)
    weights[vocab.index("collect"), 0] = 4.0
    weights[vocab.index("share"), 1] = 4.0
    constants = [
        numpy_helper.from_array(weights, "weights"),
        numpy_helper.from_array(np.full(len(PRACTICE_CATEGORIES), -2.0, np.float32), "bias"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "last"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "tokens"),
    ]
    nodes = [
        helper.make_node("Gather", ["weights", "input_ids"], ["per_token"]),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask", "last"], ["mask3"]),
        helper.make_node("Mul", ["per_token", "mask3"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "tokens"], ["summed"], keepdims=0),
        helper.make_node("Add", ["summed", "bias"], ["logits"]),
    ]
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "length"])
        for name in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info(
        "logits", TensorProto.FLOAT, ["batch", len(PRACTICE_CATEGORIES)]
    )
    graph = helper.make_graph(nodes, "tiny", inputs, [output], initializer=constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    (folder / "encoder.onnx").write_bytes(model.SerializeToString())
    (folder / "encoder-vocab.txt").write_bytes(resource(*VOCAB_FILE).read_bytes())
    count = len(PRACTICE_CATEGORIES)
    settings = {
        "format": SETTINGS_FORMAT,
        "categories": [c.value for c in PRACTICE_CATEGORIES],
        "max_length": 32,
        "cuts": [0.0] * count,
        "best": {"weight": [1.0] * count, "cuts": [0.0] * count},
    }
    (folder / "encoder.json").write_text(json.dumps(settings), encoding="utf-8")
    return folder


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The tiny encoder's files stand in for the bundled ones."""
    folder = _tiny_encoder_files(tmp_path)
    real = encoder_module.resource
    names = {ENCODER_FILE: "encoder.onnx", VOCAB_FILE: "encoder-vocab.txt"}
    names[SETTINGS_FILE] = "encoder.json"

    def patched(*parts: str):  # type: ignore[no-untyped-def]
        return folder / names[parts] if parts in names else real(*parts)

    monkeypatch.setattr(encoder_module, "resource", patched)
    default_encoder.cache_clear()
    yield folder
    default_encoder.cache_clear()


def test_the_encoder_gives_a_probability_per_category(bundled: Path) -> None:
    encoder = default_encoder()
    assert encoder is not None
    texts = [
        "We collect your email address and phone number when you register.",
        "We may share it with partners.",
        "",
    ]
    probabilities = encoder.probabilities(texts)
    assert probabilities.shape == (3, len(PRACTICE_CATEGORIES))
    assert ((probabilities > 0) & (probabilities < 1)).all()
    # "collect" once: 4 - 2 = logit 2; "share" once on sharing; nothing else above the bias.
    assert abs(probabilities[0, 0] - 1 / (1 + math.exp(-2))) < 1e-5
    assert abs(probabilities[1, 1] - probabilities[0, 0]) < 1e-5
    assert abs(probabilities[2] - 1 / (1 + math.exp(2))).max() < 1e-5
    alone = encoder.probabilities(texts[1:2])
    assert abs(alone[0] - probabilities[1]).max() < 1e-6


@pytest.mark.parametrize("kind", [DetectorKind.ENCODER, DetectorKind.BEST])
def test_encoder_kinds_find_practices_with_evidence(bundled: Path, kind: DetectorKind) -> None:
    document = load_text(POLICY)
    detector = PracticeDetector(kind, model=default_model(), encoder=default_encoder())
    assert detector.kind is kind
    practices = detector.detect(document)
    found = {p.category for p in practices}
    assert {Category.FIRST_PARTY_COLLECTION, Category.THIRD_PARTY_SHARING} <= found
    if kind is DetectorKind.ENCODER:
        assert found == {Category.FIRST_PARTY_COLLECTION, Category.THIRD_PARTY_SHARING}
        assert {p.source for p in practices} == {"encoder"}
    for practice in practices:
        assert practice.evidence
        assert 0 <= practice.start < practice.end <= len(document.text)


def test_without_the_encoder_file_the_fast_detector_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(encoder_module, "ENCODER_FILE", ("practices", "no-such-encoder.onnx"))
    default_encoder.cache_clear()
    try:
        assert default_encoder() is None
        document = load_text(POLICY)
        problems: list[str] = []
        best = detect_practices(document, DetectorKind.BEST, problems.append)
        assert best == detect_practices(document, DetectorKind.COMBINED)
        assert best and not problems
        assert PracticeDetector(DetectorKind.BEST, model=default_model()).kind is (
            DetectorKind.COMBINED
        )
    finally:
        default_encoder.cache_clear()


def _damage(folder: Path, model: bytes) -> None:
    (folder / "encoder.onnx").write_bytes(model)
    default_encoder.cache_clear()


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_encoder_file_gives_a_message_and_the_fast_path(
    damage: str, bundled: Path
) -> None:
    whole = (bundled / "encoder.onnx").read_bytes()
    model = b"not a model at all\x00\xff" * 100 if damage == "garbage" else whole[: len(whole) // 2]
    _damage(bundled, model)
    with pytest.raises(EncoderError, match="encoder model"):
        default_encoder()
    document = load_text(POLICY)
    problems: list[str] = []
    found = detect_practices(document, DetectorKind.BEST, problems.append)
    assert found == detect_practices(document, DetectorKind.COMBINED)
    assert len(problems) == 1 and "using the fast detector" in problems[0]


def test_inspect_reports_a_damaged_encoder_and_still_prints_practices(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _damage(bundled, b"\x08\x07garbage")
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    assert main(["inspect", "--json", str(policy)]) == 0
    captured = capsys.readouterr()
    assert "encoder could not be used" in captured.err
    assert "Traceback" not in captured.err
    assert json.loads(captured.out)["practices"]


def test_damaged_settings_or_vocabulary_raise_the_one_error(bundled: Path) -> None:
    model = (bundled / "encoder.onnx").read_bytes()
    vocab = (bundled / "encoder-vocab.txt").read_bytes()
    settings = (bundled / "encoder.json").read_bytes()
    assert read_encoder(model, vocab, settings).categories == list(PRACTICE_CATEGORIES)
    for bad in (
        (model, vocab, b"{not json"),
        (model, vocab, b"[1, 2]"),
        (model, vocab, json.dumps({"format": "other"}).encode()),
        (model, b"\xff\xfe\x00bad", settings),
        (model, b"no special tokens", settings),
    ):
        with pytest.raises(EncoderError):
            read_encoder(*bad)


def test_best_tries_fewer_rules_without_changing_its_findings(bundled: Path) -> None:
    document = load_text(POLICY * 3)
    model, encoder = default_model(), default_encoder()
    pruned = PracticeDetector(DetectorKind.BEST, model=model, encoder=encoder).detect(document)
    full = AllRulesDetector(DetectorKind.BEST, model=model, encoder=encoder).detect(document)
    assert pruned == full
