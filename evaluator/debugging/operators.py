"""The mutation operator catalogue: every planted bug, declared once, with the fault taxonomy entries
it stands for. `sites.py` holds the matchers (a test fails when the two drift apart).

Sources, cited by short key:
- Humbatova et al., "Taxonomy of Real Faults in Deep Learning Systems", ICSE 2020 (top category >
  inner category > leaf, as the paper's taxonomy figure names them; leaves paraphrased where long).
- Islam et al., "A Comprehensive Study on Deep Learning Bug Characteristics", FSE 2019 (root causes).
- Zhang et al., "An Empirical Study on TensorFlow Program Bugs", ISSTA 2018 (root causes: IPS incorrect
  model parameter or structure, UT unaligned tensor, CCM confusion with the computation model, APIM
  API misuse).
- DeepCrime: Humbatova, Jahangirova and Tonella, "DeepCrime: Mutation Testing of Deep Learning Systems
  Based on Real Faults", ISSTA 2021 (operator abbreviations from its replication package).
"""

from __future__ import annotations

from dataclasses import dataclass

HUMBATOVA = "Humbatova et al. ICSE 2020"
ISLAM = "Islam et al. FSE 2019"
ZHANG = "Zhang et al. ISSTA 2018"


@dataclass(frozen=True)
class Operator:
    id: str
    title: str
    fault: str                       # the bug a developer makes, in words
    rule: str                        # the framework-neutral rewrite, one site per mutant
    sites: dict[str, str]            # framework -> where it applies ("" = no site in that framework, and why)
    taxonomy: tuple[str, ...]        # fault taxonomy entries it stands for
    deepcrime: str | None = None     # the closest DeepCrime operator, where one exists


OPERATORS: tuple[Operator, ...] = (
    Operator(
        "SHP-R", "reshape target wrong", "a reshape/view or permute target with two dimensions swapped or off by one",
        "the last two entries of the target shape (or permutation) swapped; a one-entry shape gets + 1",
        {"torch": "x.view(...), x.reshape(...), torch.reshape(x, shape), x.permute(...)",
         "tensorflow": "tf.reshape(x, shape), tf.transpose(x, perm), keras Reshape(shape)"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Tensor Shape", f"{ISLAM}: Unaligned Tensor", f"{ZHANG}: UT")),
    Operator(
        "SHP-W", "layer width or matmul operand wrong", "a layer declared with the wrong input width, or a matmul operand transposed",
        "the model's first declared input width + 1; the second matmul operand transposed",
        {"torch": "nn.Linear/Conv*/LSTM/GRU(in, ...): the first one is the model's input width, the others inner widths; a @ b, torch.matmul(a, b)",
         "tensorflow": "keras Input(shape=(..., d)) (Keras infers inner widths: none there); a @ b, tf.matmul(a, b)"},
        (f"{HUMBATOVA}: Model > Layers > Layer Properties (wrong defined input shape; layer dimension mismatch)",
         f"{ISLAM}: Incorrect Model Parameter or Structure", f"{ZHANG}: IPS, UT")),
    Operator(
        "AXIS", "dimension/axis wrong", "a reduction, concatenation or softmax over the wrong dimension",
        "an integer dim=/axis= k moved to its neighbour: 0 -> 1, k -> k - 1 otherwise (-1 -> -2)",
        {"torch": "any call with an integer dim= keyword", "tensorflow": "any call with an integer axis= keyword"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Tensor Shape", f"{ISLAM}: API Misuse", f"{ZHANG}: UT")),
    Operator(
        "DTYPE", "data enters as float64 or int64", "NumPy data passed on in NumPy's default 64-bit precision, or a cast to the wrong type",
        "the array entering the framework becomes .astype(\"float64\"); a float32 cast target becomes float64",
        {"torch": "torch.from_numpy/tensor/as_tensor(a); .to(torch.float32), .float(), dtype=torch.float32",
         "tensorflow": "tf.constant/convert_to_tensor/Variable(a), Dataset.from_tensor_slices(a), model.fit(x, y, ...); tf.cast(x, tf.float32), dtype=tf.float32"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Input > wrong input type", f"{ISLAM}: Absence of Type Checking",
         f"{ZHANG}: UT")),
    Operator(
        "DEV", "device transfer removed", "a tensor or model left on the host: the .to(device) call forgotten",
        "x.to(device) and x.cuda() become x; with tf.device(d) becomes with tf.device(None)",
        {"torch": "x.to(device) (no dtype), x.cuda()", "tensorflow": "with tf.device(...) (Keras primaries place by themselves: none there)"},
        (f"{HUMBATOVA}: GPU Usage > missing transfer of data to GPU",)),
    Operator(
        "GRAD-RESET", "gradient reset removed", "gradients accumulate across steps because the reset was forgotten",
        "the statement optimizer.zero_grad() becomes pass",
        {"torch": "optimizer.zero_grad(), model.zero_grad()", "tensorflow": ""},
        (f"{HUMBATOVA}: API > missing API call", f"{ISLAM}: API Misuse")),
    Operator(
        "OPT-STEP", "parameter update removed", "the optimizer step is forgotten: the model never learns",
        "the statement optimizer.step() / optimizer.apply_gradients(...) becomes pass",
        {"torch": "optimizer.step() (receivers named like an LR scheduler excluded)",
         "tensorflow": "optimizer.apply_gradients(...), optimizer.apply(...) (Keras fit hides it: none there)"},
        (f"{HUMBATOVA}: API > missing API call", f"{HUMBATOVA}: Training > Optimiser", f"{ISLAM}: API Misuse")),
    Operator(
        "MODE", "wrong train/eval flag", "the model runs in training mode when evaluating, or the reverse",
        "model.eval() <-> model.train(); with torch.no_grad() -> torch.enable_grad(); training=False <-> training=True",
        {"torch": "model.eval(), model.train(), with torch.no_grad()/inference_mode()", "tensorflow": "training=True/False"},
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM")),
    Operator(
        "RED", "mean and sum swapped", "a loss or statistic reduced with sum where mean was meant, or the reverse",
        "mean -> sum and sum -> mean (method, function or reduction= keyword)",
        {"torch": "x.mean()/x.sum(), torch.mean/sum, reduction='mean'|'sum'",
         "tensorflow": "tf.reduce_mean/reduce_sum, reduction='sum_over_batch_size'|'sum'"},
        (f"{HUMBATOVA}: Training > Loss Function", f"{ISLAM}: Incorrect Model Parameter or Structure", f"{ZHANG}: IPS"),
        deepcrime="LCH (change loss function)"),
    Operator(
        "DETACH", "value cut from the graph", "the value being differentiated is detached, so no gradient reaches the parameters",
        "the assignment of the value later differentiated (x.backward(), torch.autograd.grad(x, ...), tape.gradient(x, ...)) "
        "gets .detach() / tf.stop_gradient(...)",
        {"torch": "the last assignment before x.backward() or torch.autograd.grad(x, ...)",
         "tensorflow": "the last assignment before tape.gradient(x, ...) (Keras fit hides it: none there)"},
        (f"{HUMBATOVA}: Training > Training Process", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM")),
    Operator(
        "INPLACE", "in-place op in the autograd graph", "an activation or update made in place, overwriting a value autograd needs",
        "nn.ReLU() -> nn.ReLU(inplace=True); F.relu(x) -> F.relu(x, inplace=True); torch.relu/sigmoid/tanh/exp(x) -> the _ form; "
        "a = a + b -> a += b",
        {"torch": "nn.ReLU(), F.relu(x), torch.relu/sigmoid/tanh/exp(x), x.relu()..., a = a + b",
         "tensorflow": ""},
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model")),
    Operator(
        "ACT", "activation removed", "a hidden activation forgotten: the model becomes (more) linear",
        "the activation becomes the identity (nn.Identity(), activation=None, or its argument)",
        {"torch": "nn.ReLU/GELU/Tanh/Sigmoid/SiLU/LeakyReLU/ELU(), F.relu(x) etc., torch.relu/tanh/sigmoid(x), x.relu()",
         "tensorflow": "activation=... keyword, tf.nn.relu(x), tf.tanh(x) etc., keras ReLU() layer"},
        (f"{HUMBATOVA}: Model > Layers > Activation Function", f"{ISLAM}: Incorrect Model Parameter or Structure", f"{ZHANG}: IPS"),
        deepcrime="ARM (remove activation function)"),
    Operator(
        "SLICE", "off-by-one slice bound", "a slice that takes one element too many",
        "the slice's upper bound + 1 (its lower bound where it has none)",
        {"torch": "x[a:b] slices", "tensorflow": "x[a:b] slices"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Tensor Shape", f"{ISLAM}: Data Flow bug", f"{ZHANG}: UT")),
    Operator(
        "NUM", "numeric guard removed", "a numerically stable form replaced by the naive one",
        "log1p(x) -> log(x); log_softmax(x) -> log(softmax(x)); eps=/epsilon= -> 0.0; x + <tiny constant> -> x",
        {"torch": "torch.log1p, F.log_softmax / x.log_softmax, eps=, + 1e-8", "tensorflow": "tf.math.log1p, tf.nn.log_softmax, epsilon=, + 1e-8"},
        (f"{HUMBATOVA}: Training > Loss Function", f"{ZHANG}: IPS", f"{ISLAM}: Incorrect Model Parameter or Structure")),
    Operator(
        "TRACE", "Python value inside a compiled function", "a tensor read as a Python value inside torch.compile / tf.function",
        "the first assignment v = ... in the compiled function gets ; v_value = v.numpy()",
        {"torch": "functions decorated with @torch.compile or passed to torch.compile(f)",
         "tensorflow": "functions decorated with @tf.function or passed to tf.function(f) (Keras's own compiled fit: none)"},
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM")),
)

OPERATOR_IDS: tuple[str, ...] = tuple(op.id for op in OPERATORS)


def get_operator(operator_id: str) -> Operator:
    for op in OPERATORS:
        if op.id == operator_id:
            return op
    raise KeyError(f"unknown operator {operator_id!r}; known: {', '.join(OPERATOR_IDS)}")
