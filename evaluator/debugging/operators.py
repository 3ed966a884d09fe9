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
  Based on Real Faults", ISSTA 2021 (operator abbreviations from the paper where one is close; the
  newer operators cite the `mutationName` of its tool, github.com/dlfaults/deepcrime `mutations.py`).

Weights (for the weighted secondary analysis: `Operator.weight`, carried by every mutant and pair).
Each should be the operator's frequency among real faults. None of the sources reachable here gives
per-leaf counts: the stored pages of Humbatova et al. list the taxonomy's leaves without their
occurrence counts, the pages of Islam et al. give only the abstract's aggregate (IPS and SI together
"more than 43%"), which no single operator matches, and DeepCrime's repository holds no frequency
table (its spreadsheets are in the Zenodo replication package, not in the repository). So every
weight is 1.0 and `weight_source` says so; a real frequency replaces a 1.0 only with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HUMBATOVA = "Humbatova et al. ICSE 2020"
ISLAM = "Islam et al. FSE 2019"
ZHANG = "Zhang et al. ISSTA 2018"
DEEPCRIME = "DeepCrime (Humbatova, Jahangirova, Tonella ISSTA 2021)"
NO_FREQUENCY = ("weight 1: no per-fault frequency available from the sources reachable here "
                "(Humbatova et al. ICSE 2020 leaves without counts; Islam et al. FSE 2019 aggregates only)")


@dataclass(frozen=True)
class Operator:
    id: str
    title: str
    fault: str                       # the bug a developer makes, in words
    rule: str                        # the framework-neutral rewrite, one site per mutant
    sites: dict[str, str]            # framework -> where it applies ("" = no site in that framework, and why)
    taxonomy: tuple[str, ...]        # fault taxonomy entries it stands for
    deepcrime: str | None = None     # the closest DeepCrime operator, where one exists
    not_expressible: dict[str, str] = field(default_factory=dict)  # framework -> why the bug cannot be written there
    weight: float = 1.0              # real-fault frequency weight (module docstring)
    weight_source: str = NO_FREQUENCY


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
        (f"{HUMBATOVA}: GPU Usage > missing transfer of data to GPU",),
        not_expressible={"tensorflow": "TensorFlow places tensors and variables on a device by itself: the code has no transfer to forget"}),
    Operator(
        "GRAD-RESET", "gradient reset removed", "gradients accumulate across steps because the reset was forgotten",
        "the statement optimizer.zero_grad() becomes pass",
        {"torch": "optimizer.zero_grad(), model.zero_grad()", "tensorflow": ""},
        (f"{HUMBATOVA}: API > missing API call", f"{ISLAM}: API Misuse"),
        not_expressible={"tensorflow": "tape.gradient returns fresh gradients on every step: nothing accumulates, so there is no reset to forget"}),
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
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM"),
        not_expressible={"tensorflow": "a no-grad context has no TensorFlow counterpart: only what runs under a GradientTape is recorded; "
                                       "and a layer's mode is passed per call (training=), not set on the model",
                         "torch": "a PyTorch module starts in training mode and keeps its mode: a flag TensorFlow passes per "
                                  "call has no statement of its own in PyTorch unless the code calls model.train()/eval()"}),
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
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model"),
        not_expressible={"tensorflow": "TensorFlow tensors are immutable: no in-place operation can overwrite a value the tape needs"}),
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
    # --- real-fault kinds added for issue 22 ----------------------------------------------------------
    Operator(
        "LOSS", "wrong loss function", "a regression loss swapped for another (mean squared for mean absolute error, or the reverse)",
        "MSE <-> MAE: nn.MSELoss <-> nn.L1Loss, F.mse_loss <-> F.l1_loss; keras MeanSquaredError <-> MeanAbsoluteError, 'mse' <-> 'mae'",
        {"torch": "nn.MSELoss/L1Loss(), F.mse_loss/l1_loss(...)",
         "tensorflow": "keras.losses.MeanSquaredError/MeanAbsoluteError(), mean_squared_error/mean_absolute_error, loss='mse'|'mae'"},
        (f"{HUMBATOVA}: Training > Loss Function > wrong loss function calculation", f"{ISLAM}: Incorrect Model Parameter or Structure"),
        deepcrime="LCH (change_loss_function)"),
    Operator(
        "LOGITS", "logits/probabilities mismatch", "a loss told it gets logits when it gets probabilities, or the reverse (from_logits)",
        "from_logits=True <-> False; nn.CrossEntropyLoss <-> nn.NLLLoss, F.cross_entropy <-> F.nll_loss, BCEWithLogitsLoss <-> BCELoss",
        {"torch": "nn.CrossEntropyLoss/NLLLoss/BCEWithLogitsLoss/BCELoss(), F.cross_entropy/nll_loss/binary_cross_entropy(_with_logits)",
         "tensorflow": "from_logits=True/False on a Keras loss"},
        (f"{HUMBATOVA}: Training > Loss Function > wrong loss function calculation", f"{ISLAM}: API Misuse")),
    Operator(
        "SOFTMAX2", "softmax applied twice", "a softmax applied to values that already are probabilities",
        "softmax(x, ...) -> softmax(softmax(x, ...), ...)",
        {"torch": "F.softmax(x, ...), torch.softmax(x, ...), x.softmax(...)",
         "tensorflow": "tf.nn.softmax(x), tf.math.softmax(x), keras.activations.softmax(x)"},
        (f"{HUMBATOVA}: Model > Layers > Activation Function > wrong activation function", f"{ISLAM}: Incorrect Model Parameter or Structure")),
    Operator(
        "TARGET", "target shape broadcast", "the target handed to the loss with one more axis than the prediction, (N,) against (N, 1)",
        "the loss call's target y becomes y[..., None]",
        {"torch": "the target (second argument) of a loss call: F.*_loss(pred, y), loss_fn(pred, y), criterion(pred, y)",
         "tensorflow": "the target (first argument) of a Keras loss call: loss_fn(y, pred), keras.losses.*(y, pred)"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Tensor Shape", f"{ISLAM}: Unaligned Tensor", f"{ZHANG}: UT")),
    Operator(
        "WATCH", "input not watched", "a tensor that is differentiated with respect to is not marked for it (tape.watch / requires_grad)",
        "tape.watch(x) -> pass; x.requires_grad_() -> pass; requires_grad=True -> False",
        {"torch": "x.requires_grad_(), requires_grad=True", "tensorflow": "tape.watch(x)"},
        (f"{HUMBATOVA}: API > missing API call", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM"),
        not_expressible={"tensorflow": "a GradientTape watches trainable variables by itself: only a plain tensor needs tape.watch, "
                                       "and an implementation that differentiates variables has none to forget",
                         "torch": "parameters require gradients by themselves: only a plain tensor needs requires_grad"}),
    Operator(
        "GRAD-TWICE", "gradient taken twice", "backward called twice on one graph, or a non-persistent tape asked twice",
        "loss.backward() -> loss.backward(); loss.backward(); g = tape.gradient(...) -> the same statement twice on its line",
        {"torch": "x.backward() statements", "tensorflow": "g = tape.gradient(...) statements"},
        (f"{HUMBATOVA}: Training > Training Process", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM")),
    Operator(
        "ITEM", "tensor kept where a number was meant", "a loss accumulated as a tensor (keeping its graph) instead of a Python number",
        "x.item() -> x; x.numpy() -> x; float(x) -> x",
        {"torch": "x.item()", "tensorflow": "x.numpy(), float(x)"},
        (f"{HUMBATOVA}: Training > Training Process", f"{ISLAM}: Confusion with Computation Model"),
        not_expressible={"tensorflow": "a TensorFlow tensor keeps no graph (the tape does): code that accumulates tensors or "
                                       "Keras metrics (Mean.update_state) has no conversion to forget"}),
    Operator(
        "LABELS", "one-hot vs sparse labels", "integer class labels given where one-hot labels are expected, or the reverse",
        "SparseCategoricalCrossentropy <-> CategoricalCrossentropy (and the function and string forms); "
        "the target of a PyTorch cross-entropy call y -> F.one_hot(y)",
        {"torch": "the target of F.cross_entropy(pred, y) or of a loss object in a file that builds nn.CrossEntropyLoss",
         "tensorflow": "keras (Sparse)CategoricalCrossentropy, (sparse_)categorical_crossentropy, loss='(sparse_)categorical_crossentropy'"},
        (f"{HUMBATOVA}: Tensors & Inputs > Wrong Input > wrong input format", f"{ISLAM}: Absence of Type Checking", f"{ZHANG}: UT")),
    Operator(
        "SIDE", "state created inside a compiled function", "a variable (framework state) created inside torch.compile / tf.function",
        "the compiled function's first assignment v = ... gets ; v_state = tf.Variable(v) / torch.nn.Parameter(v.detach())",
        {"torch": "functions decorated with @torch.compile or passed to torch.compile(f)",
         "tensorflow": "functions decorated with @tf.function or passed to tf.function(f)"},
        (f"{HUMBATOVA}: API > wrong API usage", f"{ISLAM}: Confusion with Computation Model", f"{ZHANG}: CCM")),
    Operator(
        "OUT-ACT", "output activation changed", "the output's softmax replaced by a sigmoid, or the reverse",
        "softmax -> sigmoid and sigmoid -> softmax at the output (modules, functions, activation= strings)",
        {"torch": "nn.Softmax(...) -> nn.Sigmoid(), F.softmax/torch.softmax(x, dim) -> torch.sigmoid(x)",
         "tensorflow": "activation='softmax' <-> 'sigmoid', tf.nn.softmax(x) -> tf.sigmoid(x)"},
        (f"{HUMBATOVA}: Model > Layers > Activation Function > wrong activation function", f"{ISLAM}: Incorrect Model Parameter or Structure"),
        deepcrime="ACH (change_activation_function)"),
    Operator(
        "LR", "learning rate wrong", "the learning rate ten times too large",
        "a literal learning rate (lr=, learning_rate=, or a module constant named so) multiplied by 10",
        {"torch": "lr=<number>, learning_rate = <number>", "tensorflow": "learning_rate=<number>, learning_rate = <number>"},
        (f"{HUMBATOVA}: Training > Hyperparameters > suboptimal learning rate", f"{ISLAM}: Incorrect Model Parameter or Structure", f"{ZHANG}: IPS"),
        deepcrime="HLR (change_learning_rate)"),
    Operator(
        "OPTIM", "optimiser changed", "a different optimiser than the one meant (SGD for Adam, or the reverse)",
        "SGD <-> Adam (other optimisers -> SGD), keeping the parameters and the learning rate and dropping other options",
        {"torch": "torch.optim.SGD/Adam/AdamW/RMSprop/Adagrad(params, lr=...)",
         "tensorflow": "keras.optimizers.SGD/Adam/AdamW/RMSprop/Adagrad(learning_rate=...)"},
        (f"{HUMBATOVA}: Training > Optimiser > wrong optimisation function", f"{ISLAM}: Incorrect Model Parameter or Structure"),
        deepcrime="OCH (change_optimisation_function)"),
)

OPERATOR_IDS: tuple[str, ...] = tuple(op.id for op in OPERATORS)


def get_operator(operator_id: str) -> Operator:
    for op in OPERATORS:
        if op.id == operator_id:
            return op
    raise KeyError(f"unknown operator {operator_id!r}; known: {', '.join(OPERATOR_IDS)}")


def operator_weight(operator_id: str) -> float:
    """The operator's real-fault weight (1.0 where no frequency is available: `weight_source` says why)."""
    return get_operator(operator_id).weight
