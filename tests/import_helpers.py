"""Small paired sources for the importer tests: a folder, and the same files as a wheel and an sdist
built here with zipfile and tarfile, in the layout of the HuggingFace transformers wheel."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

# A re-export module, as transformers/modeling_tf_utils.py gets Keras.
TF_UTILS = '''"""Shared TensorFlow helpers."""
try:
    import tf_keras as keras
except ImportError:
    import keras


def shape_list(tensor):
    return list(tensor.shape)
'''

TORCH_BERT = '''import torch
from torch import nn


class BertLayer(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.dense = nn.Linear(size, size)

    def forward(self, x):
        return torch.relu(self.dense(x))
'''

TF_BERT = '''import tensorflow as tf

from ...modeling_tf_utils import keras, shape_list


class TFBertLayer(keras.layers.Layer):
    def __init__(self, size, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(size, name="dense")

    def call(self, x):
        return tf.nn.relu(self.dense(x))


class TFBertPooler(keras.layers.Layer):
    def call(self, x):
        return x[:, 0]
'''

FILES = {
    "pkg/__init__.py": "",
    "pkg/modeling_utils.py": "import torch\n\n\ndef shape(t):\n    return list(t.shape)\n",
    "pkg/modeling_tf_utils.py": TF_UTILS,
    "pkg/models/bert/modeling_bert.py": TORCH_BERT,
    "pkg/models/bert/modeling_tf_bert.py": TF_BERT,
    "pkg/models/gpt/modeling_gpt.py": "import torch\n\nx = torch.zeros(2)\n",          # torch only: unpaired
    "pkg/models/gpt/modeling_flax_gpt.py": "import jax\n",                               # matches torch's pattern only
    "pkg/models/gpt/configuration_gpt.py": "SIZE = 2\n",                                  # matches nothing
}
MATCH = ["--match", "torch=**/modeling_{name}.py", "--match", "tensorflow=**/modeling_tf_{name}.py"]
PATTERNS = {"torch": "**/modeling_{name}.py", "tensorflow": "**/modeling_tf_{name}.py"}


def write_tree(root: Path, files: dict[str, str | bytes] = FILES) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


def write_wheel(path: Path, files: dict[str, str | bytes] = FILES, name: str = "pkg", version: str = "1.2.3") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in files.items():
            archive.writestr(relative, text)
        archive.writestr(f"{name}-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return path


def write_sdist(path: Path, files: dict[str, str | bytes] = FILES, name: str = "pkg", version: str = "1.2.3") -> Path:
    top = f"{name}-{version}"
    with tarfile.open(path, "w:gz") as archive:
        entries = {f"{top}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                   **{f"{top}/src/{k}": v for k, v in files.items()}}
        for relative, text in entries.items():
            data = text if isinstance(text, bytes) else text.encode()
            info = tarfile.TarInfo(relative)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
