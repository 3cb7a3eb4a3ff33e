"""The encoder: a fine-tuned MiniLM sentence encoder (int8 ONNX) that scores passages offline.

It is optional and separable: without ``encoder.onnx`` (or without onnxruntime) the detector runs
on the rules and the linear model. ``tools/train_encoder.py`` fits and exports it.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policyreader.core.practices.sentences import Passage
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

if TYPE_CHECKING:
    # numpy comes with onnxruntime; without the runtime the app never needs it.
    import numpy as np

ENCODER_FILE = ("practices", "encoder.onnx")
VOCAB_FILE = ("practices", "encoder-vocab.txt")
SETTINGS_FILE = ("practices", "encoder.json")
SETTINGS_FORMAT = "policyreader-encoder-1"
BATCH = 32
THREADS = 2
MAX_WORD_CHARS = 100


class EncoderError(ValueError):
    """The encoder's files are there but cannot be used (damaged, wrong format, runtime failed).

    Callers show the message and carry on with the fast path (rules and the linear model).
    """


def encoder_input(text: str, passage: Passage) -> str:
    """What the encoder reads for a passage: its heading, its list's lead-in, then its words."""
    body = " ".join(text[s.start : s.end] for s in passage.sentences)
    parts = [passage.context, passage.lead_in, body]
    return " | ".join(part for part in parts if part.strip())


# --- WordPiece ------------------------------------------------------------------------------------


def _is_control(char: str) -> bool:
    return char not in "\t\n\r" and unicodedata.category(char).startswith("C")


def _is_whitespace(char: str) -> bool:
    return char in " \t\n\r" or unicodedata.category(char) == "Zs"


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_WORD = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")


class WordPiece:
    """BERT's uncased tokenizer (basic splitting, then greedy longest-match WordPiece), as ids."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {token: index for index, token in enumerate(vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self.pad = self.ids["[PAD]"]
        # Policies repeat their words: each distinct word is cut into pieces once.
        self._pieces = functools.lru_cache(maxsize=65536)(self._word_ids)

    def encode(self, text: str, max_length: int) -> list[int]:
        """[CLS] pieces [SEP], truncated to ``max_length`` ids in all."""
        ids = [self.cls]
        limit = max_length - 1
        for word in self.words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= limit:
                del ids[limit:]
                break
        ids.append(self.sep)
        return ids

    def tokens(self, text: str) -> list[str]:
        """The pieces as strings (for tests and inspection)."""
        names = {index: token for token, index in self.ids.items()}
        return [names[i] for word in self.words(text) for i in self._pieces(word)]

    @staticmethod
    def words(text: str) -> list[str]:
        """Lower-cased, accent-stripped words and punctuation marks, as BERT's basic tokenizer."""
        if text.isascii():
            # The same words by one regular expression: ASCII has no accents, no CJK, and its
            # punctuation is every printable character that is not a letter or a digit.
            return _ASCII_WORD.findall(_ASCII_CONTROL.sub("", text).lower())
        return WordPiece.unicode_words(text)

    @staticmethod
    def unicode_words(text: str) -> list[str]:
        """``words`` for any text, character by character."""
        cleaned = []
        for char in text:
            code = ord(char)
            if code == 0 or code == 0xFFFD or _is_control(char):
                continue
            if _is_whitespace(char):
                cleaned.append(" ")
            elif _is_cjk(code):
                cleaned.append(f" {char} ")
            else:
                cleaned.append(char)
        words: list[str] = []
        for token in "".join(cleaned).split():
            token = unicodedata.normalize("NFD", token.lower())
            token = "".join(c for c in token if unicodedata.category(c) != "Mn")
            current: list[str] = []
            for char in token:
                if _is_punctuation(char):
                    if current:
                        words.append("".join(current))
                        current = []
                    words.append(char)
                else:
                    current.append(char)
            if current:
                words.append("".join(current))
        return words

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.ids.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)


# --- the model ------------------------------------------------------------------------------------


class PassageEncoder:
    """Scores texts with the ONNX model: one logit per practice category."""

    def __init__(self, model: bytes, vocab: str, settings: dict[str, Any]) -> None:
        try:
            import numpy as np
            import onnxruntime
        except ImportError as error:  # checked by ``default_encoder`` first; kept for callers
            raise EncoderError("onnxruntime is not installed") from error
        if settings.get("format") != SETTINGS_FORMAT:
            raise EncoderError(f"encoder settings are not {SETTINGS_FORMAT}")
        try:
            self.categories = [Category(name) for name in settings["categories"]]
            self.max_length = int(settings["max_length"])
            self.cuts = np.array(settings["cuts"], dtype=np.float32)
            self.settings = settings
            self.tokenizer = WordPiece(vocab.splitlines())
        except (KeyError, TypeError, ValueError) as error:
            raise EncoderError(f"encoder settings or vocabulary are damaged ({error})") from error
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: on a busy desktop spinning cost a third more
        # CPU and was slower (50 KB policy: 2.7 against 1.7 CPU-seconds, 4.0 against 3.1 s).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = onnxruntime.InferenceSession(
                model, options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped failures
            raise EncoderError(f"encoder model file cannot be read ({error})") from error
        outputs = self.session.get_outputs()
        if len(outputs) != 1 or outputs[0].shape[-1] != len(self.categories):
            raise EncoderError("encoder model does not give one score per category")

    def logits(self, texts: Sequence[str], batch: int = BATCH) -> np.ndarray:
        """Logits of shape (len(texts), categories); texts of like length share a batch."""
        import numpy as np

        encoded = [self.tokenizer.encode(text, self.max_length) for text in texts]
        result = np.zeros((len(texts), len(self.categories)), dtype=np.float32)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        for first in range(0, len(order), batch):
            rows = order[first : first + batch]
            result[rows] = self._run([encoded[i] for i in rows])
        return result

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        return 1.0 / (1.0 + np.exp(-self.logits(texts)))

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        import numpy as np

        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = row
            mask[index, : len(row)] = 1
        try:
            (out,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        except Exception as error:  # a damaged graph may load and fail only when run
            raise EncoderError(f"encoder model failed to run ({error})") from error
        return out


def read_encoder(model: bytes, vocab: bytes, settings: bytes) -> PassageEncoder:
    """An encoder from its three files' bytes; ``EncoderError`` when any is unusable."""
    try:
        parsed = json.loads(settings)
        words = vocab.decode("utf-8")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EncoderError(f"encoder settings or vocabulary are damaged ({error})") from error
    if not isinstance(parsed, dict):
        raise EncoderError("encoder settings are damaged (not a JSON object)")
    return PassageEncoder(model, words, parsed)


def encoder_available() -> bool:
    """Whether the bundled encoder file and onnxruntime are there, without loading either
    (the window decides with this whether to start its refine worker at all)."""
    return resource(*ENCODER_FILE).is_file() and importlib.util.find_spec("onnxruntime") is not None


def runtime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def default_encoder() -> PassageEncoder | None:
    """The bundled encoder; None when its file or onnxruntime is absent, ``EncoderError`` when
    the files are there but damaged."""
    model = resource(*ENCODER_FILE)
    if not model.is_file() or not runtime_available():
        return None
    vocab, settings = resource(*VOCAB_FILE), resource(*SETTINGS_FILE)
    if not (vocab.is_file() and settings.is_file()):
        raise EncoderError("encoder.onnx is there but its vocabulary or settings file is missing")
    return read_encoder(model.read_bytes(), vocab.read_bytes(), settings.read_bytes())
