"""Load the weights of a TensorFlow.js graph model as numpy arrays.

A TF.js graph model is a `model.json` (graph topology + `weightsManifest`) next to
binary shard files. Each manifest group lists shard paths and, in order, the tensors
packed back to back into the concatenation of those shards (little-endian, no padding).

Only what the USE-lite package uses is supported: unquantised float32 / int32 tensors.
"""

import json
import os

import numpy as np

# TF.js dtype name -> (numpy dtype, bytes per element)
_DTYPES = {
    "float32": (np.dtype("<f4"), 4),
    "int32": (np.dtype("<i4"), 4),
}


def read_tfjs_weights(model_dir):
    """Return (model_json, {weight name: read-only ndarray}) in manifest order."""
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        model_json = json.load(f)

    tensors = {}
    for group in model_json["weightsManifest"]:
        blob = bytearray()
        for shard in group["paths"]:
            with open(os.path.join(model_dir, shard), "rb") as f:
                blob += f.read()
        blob = bytes(blob)

        cursor = 0
        for spec in group["weights"]:
            name = spec["name"]
            if "quantization" in spec:
                raise NotImplementedError(f"quantised TF.js weight not supported: {name}")
            if spec["dtype"] not in _DTYPES:
                raise NotImplementedError(f"TF.js dtype {spec['dtype']!r} not supported: {name}")
            dtype, width = _DTYPES[spec["dtype"]]
            shape = tuple(spec["shape"])
            count = int(np.prod(shape, dtype=np.int64)) if shape else 1
            array = np.frombuffer(blob, dtype=dtype, count=count, offset=cursor).reshape(shape)
            cursor += count * width
            if name in tensors:
                raise ValueError(f"weight listed twice in the manifest: {name}")
            tensors[name] = array

        if cursor != len(blob):
            raise ValueError(f"shards {group['paths']} hold {len(blob)} bytes, manifest describes {cursor}")

    return model_json, tensors
