"""The operator catalogue and its sites: every operator on a small fixture pair, with the mutant text
expected line by line (written out by hand below), glue never mutated, line numbers kept everywhere."""

import ast

import libcst as cst
import pytest

from evaluator.corpus.discovery import discover
from evaluator.debugging.mutants import MutantError, make_mutants, mutate, write_mutant
from evaluator.debugging.operators import OPERATOR_IDS, OPERATORS, get_operator
from evaluator.debugging.sites import MATCHERS, find_sites

from conftest import TASKS

FIXTURE = __import__("pathlib").Path(__file__).resolve().parent / "debug_corpus" / "operators"

# (framework, site id, role) -> the planted line as the mutant reads (stripped). Written by hand from
# each operator's rule in operators.py applied to tests/debug_corpus/operators/*.py.
EXPECTED = {
    ('torch', 'ACT@9', 'activation'): 'self.stack = nn.Sequential(nn.Linear(4, 8), nn.Identity(), nn.Linear(8, 2))',
    ('torch', 'INPLACE@9', 'activation'): 'self.stack = nn.Sequential(nn.Linear(4, 8), nn.ReLU(inplace=True), nn.Linear(8, 2))',
    ('torch', 'SHP-W@17', 'matmul'): 'product = a @ b.mT',
    ('torch', 'SIDE@17', 'compiled function'): 'product = a @ b; product_state = torch.nn.Parameter(product.detach())',
    ('torch', 'TRACE@17', 'compiled function'): 'product = a @ b; product_value = product.numpy()',
    ('torch', 'ACT@18', 'activation'): 'return product',
    ('torch', 'INPLACE@18', 'activation'): 'return F.relu(product, inplace=True)',
    ('torch', 'DEV@22', 'placement'): 'x = torch.from_numpy(inputs["x"])',
    ('torch', 'DTYPE@22', 'input conversion'): 'x = torch.from_numpy(inputs["x"].astype("float64")).to(device)',
    ('torch', 'DEV@23', 'placement'): 'model = Net()',
    ('torch', 'LR@25', 'learning rate'): 'optimizer = torch.optim.SGD(model.parameters(), lr=1.0)',
    ('torch', 'OPTIM@25', 'optimiser'): 'optimizer = torch.optim.Adam(model.parameters(), lr=0.1)',
    ('torch', 'MODE@31', 'train mode'): 'model.eval()',
    ('torch', 'DETACH@32', 'differentiated value'): 'loss = model(x).mean().detach()',
    ('torch', 'RED@32', 'mean'): 'loss = model(x).sum()',
    ('torch', 'SHP-W@32', 'model call input'): 'loss = model(x[..., 1:]).mean()',
    ('torch', 'GRAD-TWICE@33', 'gradient computation'): 'loss.backward(); loss.backward()',
    ('torch', 'OPT-STEP@34', 'parameter update'): 'pass',
    ('torch', 'GRAD-RESET@35', 'gradient reset'): 'pass',
    ('torch', 'MODE@36', 'eval mode'): 'model.train()',
    ('torch', 'SHP-R@37', 'reshape'): 'flat = x.view(6, 2)',
    ('torch', 'AXIS@38', 'sum'): 'totals = flat.sum(dim=0)',
    ('torch', 'RED@38', 'sum'): 'totals = flat.mean(dim=1)',
    ('torch', 'SLICE@39', 'slice'): 'first = x[:, :3]',
    ('torch', 'NUM@40', 'log1p'): 'safe = torch.log(totals)',
    ('torch', 'LOSS@45', 'regression loss'): 'loss_fn = nn.L1Loss()',
    ('torch', 'LOGITS@46', 'logits flag'): 'criterion = nn.NLLLoss()',
    ('torch', 'AXIS@47', 'softmax'): 'probs = F.softmax(x, dim=0)',
    ('torch', 'OUT-ACT@47', 'output activation'): 'probs = torch.sigmoid(x)',
    ('torch', 'SOFTMAX2@47', 'softmax'): 'probs = F.softmax(F.softmax(x, dim=1), dim=1)',
    ('torch', 'SHP-W@48', 'model call input'): 'loss = loss_fn(model(x[..., 1:]), y)',
    ('torch', 'TARGET@48', 'loss target'): 'loss = loss_fn(model(x), y[..., None])',
    ('torch', 'WATCH@49', 'watched input'): 'pass',
    ('torch', 'ITEM@50', 'python number'): 'return loss, criterion(probs, y)',
    ('torch', 'LABELS@50', 'label encoding'): 'return loss.item(), criterion(probs, torch.nn.functional.one_hot(y))',
    ('torch', 'TARGET@50', 'loss target'): 'return loss.item(), criterion(probs, y[..., None])',
    ('tensorflow', 'SHP-W@6', 'matmul'): 'product = tf.matmul(a, b, transpose_b=True)',
    ('tensorflow', 'SIDE@6', 'compiled function'): 'product = tf.matmul(a, b); product_state = tf.Variable(product)',
    ('tensorflow', 'TRACE@6', 'compiled function'): 'product = tf.matmul(a, b); product_value = product.numpy()',
    ('tensorflow', 'ACT@7', 'activation'): 'return product',
    ('tensorflow', 'DTYPE@11', 'input conversion'): 'x = tf.constant(inputs["x"].astype("float64"))',
    ('tensorflow', 'ACT@14', 'activation'): 'tf.keras.layers.Dense(8, activation=None),',
    ('tensorflow', 'LR@18', 'learning rate'): 'return {"x": x, "model": model, "optimizer": tf.keras.optimizers.SGD(learning_rate=1.0)}',
    ('tensorflow', 'OPTIM@18', 'optimiser'): 'return {"x": x, "model": model, "optimizer": tf.keras.optimizers.Adam(learning_rate=0.1)}',
    ('tensorflow', 'DETACH@24', 'differentiated value'): 'loss = tf.stop_gradient(tf.reduce_mean(model(x, training=True)))',
    ('tensorflow', 'MODE@24', 'train mode'): 'loss = tf.reduce_mean(model(x, training=False))',
    ('tensorflow', 'RED@24', 'mean'): 'loss = tf.reduce_sum(model(x, training=True))',
    ('tensorflow', 'SHP-W@24', 'model call input'): 'loss = tf.reduce_mean(model(x[..., 1:], training=True))',
    ('tensorflow', 'GRAD-TWICE@25', 'gradient computation'): 'grads = tape.gradient(loss, model.trainable_variables); grads = tape.gradient(loss, model.trainable_variables)',
    ('tensorflow', 'OPT-STEP@26', 'parameter update'): 'pass',
    ('tensorflow', 'DEV@27', 'placement'): 'with tf.device(None):',
    ('tensorflow', 'SHP-R@28', 'reshape'): 'flat = tf.reshape(x, [6, 2])',
    ('tensorflow', 'AXIS@29', 'sum'): 'totals = tf.reduce_sum(flat, axis=0)',
    ('tensorflow', 'RED@29', 'sum'): 'totals = tf.reduce_mean(flat, axis=1)',
    ('tensorflow', 'SLICE@30', 'slice'): 'first = x[:, :3]',
    ('tensorflow', 'NUM@31', 'log1p'): 'safe = tf.math.log(totals)',
    ('tensorflow', 'LOSS@36', 'regression loss'): 'loss_fn = tf.keras.losses.MeanAbsoluteError()',
    ('tensorflow', 'LABELS@37', 'label encoding'): 'labels = tf.keras.losses.CategoricalCrossentropy(from_logits=True)',
    ('tensorflow', 'LOGITS@37', 'logits flag'): 'labels = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False)',
    ('tensorflow', 'OUT-ACT@38', 'output activation'): 'probs = tf.sigmoid(x)',
    ('tensorflow', 'SOFTMAX2@38', 'softmax'): 'probs = tf.nn.softmax(tf.nn.softmax(x))',
    ('tensorflow', 'WATCH@39', 'watched input'): 'pass',
    ('tensorflow', 'MODE@40', 'train mode'): 'loss = loss_fn(y, model(x, training=False))',
    ('tensorflow', 'SHP-W@40', 'model call input'): 'loss = loss_fn(y, model(x[..., 1:], training=True))',
    ('tensorflow', 'TARGET@40', 'loss target'): 'loss = loss_fn(y[..., None], model(x, training=True))',
    ('tensorflow', 'ITEM@41', 'python number'): 'return loss, labels(y, probs)',
}


def fixture_mutants(framework):
    source = (FIXTURE / f"{framework}_impl.py").read_text()
    scan = find_sites(source, framework)
    mutants, problems = make_mutants(scan, "operators", framework, framework, f"{framework}_impl.py", source)
    assert problems == []
    return source, mutants


def test_the_catalogue_is_one_registry_with_a_matcher_per_operator():
    assert len(OPERATOR_IDS) == len(set(OPERATOR_IDS)) == 27
    assert set(MATCHERS) == set(OPERATOR_IDS)
    for op in OPERATORS:
        assert op.taxonomy and all(op.taxonomy), op.id
        assert set(op.sites) == {"torch", "tensorflow"}, op.id
        assert get_operator(op.id) is op
    assert get_operator("ACT").deepcrime.startswith("ARM")
    with pytest.raises(KeyError, match="unknown operator 'NOPE'"):
        get_operator("NOPE")


@pytest.mark.parametrize("framework", ["torch", "tensorflow"])
def test_every_operator_plants_the_expected_mutant_on_the_fixture_pair(framework):
    source, mutants = fixture_mutants(framework)
    found = {(framework, m.site.site_id, m.site.role): m.source.splitlines()[m.site.line - 1].strip() for m in mutants}
    expected = {k: v for k, v in EXPECTED.items() if k[0] == framework}
    assert found == expected
    # one site per mutant: every other line is the clean file's
    for m in mutants:
        changed = [i + 1 for i, (a, b) in enumerate(zip(source.splitlines(), m.source.splitlines())) if a != b]
        assert changed == list(range(m.site.line, m.site.end_line + 1)) or changed == [m.site.line], m.site.site_id


def test_every_operator_has_a_site_where_its_framework_can_express_it():
    covered = {(fw, site.partition("@")[0]) for fw, site, _ in EXPECTED}
    for op in OPERATORS:
        for framework, where in op.sites.items():
            assert ((framework, op.id) in covered) == bool(where), (op.id, framework)


def test_glue_lines_are_never_sites():
    source = (FIXTURE / "torch_impl.py").read_text()
    glue_line = next(i for i, line in enumerate(source.splitlines(), 1) if "easeval: glue" in line)
    assert "from_numpy" in source.splitlines()[glue_line - 1]  # DTYPE and DEV would match it
    assert all(not (s.line <= glue_line <= s.end_line) for s in find_sites(source, "torch").sites)


def test_a_deleted_statement_becomes_pass_on_its_own_line():
    _, mutants = fixture_mutants("torch")
    step = next(m for m in mutants if m.site.operator == "OPT-STEP")
    line = step.source.splitlines()[step.site.line - 1]
    assert line == "    pass"


def test_every_corpus_mutant_keeps_every_line_in_place_and_parses():
    corpus = discover(TASKS)
    count = 0
    for task in corpus.tasks:
        for impl in task.implementations:
            if impl.framework not in ("torch", "tensorflow"):
                continue
            source = impl.path.read_text()
            mutants, problems = make_mutants(find_sites(source, impl.framework), task.task_id, impl.key, impl.framework,
                                             impl.path.name, source)
            assert problems == [], problems
            for m in mutants:
                old, new = source.splitlines(), m.source.splitlines()
                assert len(old) == len(new), m.mutant_id
                assert [a == b for a, b in zip(old, new)].count(False) >= 1, m.mutant_id
                assert all(a == b for i, (a, b) in enumerate(zip(old, new), 1) if not m.site.line <= i <= m.site.end_line), m.mutant_id
                ast.parse(m.source)
                count += 1
    assert count > 300


def test_a_rewrite_that_would_move_lines_is_refused():
    source = "import torch\n\n\ndef run(x):\n    return x.view(2, 3)\n"
    scan = find_sites(source, "torch", ["SHP-R"])
    site = scan.sites[0]
    bad = site.__class__(**{**vars(site), "after": "x.view(\n3, 2)"})
    with pytest.raises(MutantError, match="number of lines"):
        mutate(scan, bad, source)


def test_names_resolve_through_imports_not_spelling():
    source = "import numpy as np\nimport torch as th\n\n\ndef run(x):\n    a = np.mean(x)\n    return th.mean(x), x.mean()\n"
    sites = [s for s in find_sites(source, "torch", ["RED"]).sites]
    assert [s.before for s in sites] == ["th.mean(x)", "x.mean()"]  # np.mean is NumPy's, not the framework's
    keras = "from tensorflow import keras\n\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation='relu')])\n"
    assert {s.operator for s in find_sites(keras, "tensorflow").sites} == {"SHP-W", "ACT"}


def test_mutants_are_written_outside_the_task_folder(tmp_path):
    _, mutants = fixture_mutants("torch")
    path = write_mutant(mutants[0], tmp_path)
    assert path.parent.parent == tmp_path and path.name == "torch_impl.py"
    assert path.read_text() == mutants[0].source
    assert (FIXTURE / "torch_impl.py").read_text() != mutants[0].source


def test_a_file_that_does_not_parse_raises():
    with pytest.raises(cst.ParserSyntaxError):
        find_sites("def broken(:\n", "torch")
