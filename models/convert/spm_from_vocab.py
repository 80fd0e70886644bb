#!/usr/bin/env python3
"""Build a SentencePiece `tokenizer.model` (unigram) from USE-lite's `vocab.json`.

vocab.json is a list of 8,000 `[piece, log-prob score]` pairs; the index is the token id.
The result is a serialised sentencepiece ModelProto that Microsoft.ML.Tokenizers'
SentencePieceTokenizer (and Google's sentencepiece) can load:

  * id 0 UNKNOWN; ids 1-5 CONTROL (`<s>`, `</s>`, `extra_token_id_1..3`); the rest NORMAL;
  * trainer spec: unigram, unk 0, bos 1, eos 2, no pad;
  * normalizer "identity" with dummy prefix and whitespace escaping, no whitespace
    squeezing -- the caller applies NFKC itself.

Two repairs, vocab.json itself is not changed:
  * pieces whose score is `null` (seven of them, all with ':') get score 0, which is how
    the original TF.js tokenizer effectively treats them;
  * a piece listed more than once (`”5` at ids 230, 238, 4464) is only reachable at its
    last id in the original tokenizer; earlier copies are renamed `<unused_dup_{id}>` and
    typed UNUSED, because Microsoft.ML.Tokenizers rejects duplicate pieces.

Only the Python standard library is needed; the output is deterministic.
"""

import json
import struct
import sys

# sentencepiece_model.proto field numbers / enum values used here
_MODEL_PIECES, _MODEL_TRAINER_SPEC, _MODEL_NORMALIZER_SPEC = 1, 2, 3
_PIECE_TEXT, _PIECE_SCORE, _PIECE_TYPE = 1, 2, 3
_TRAINER_MODEL_TYPE, _TRAINER_VOCAB_SIZE = 3, 4
_TRAINER_UNK_ID, _TRAINER_BOS_ID, _TRAINER_EOS_ID, _TRAINER_PAD_ID = 40, 41, 42, 43
_NORM_NAME, _NORM_ADD_DUMMY_PREFIX, _NORM_REMOVE_EXTRA_WS, _NORM_ESCAPE_WS = 1, 3, 4, 5

NORMAL, UNKNOWN, CONTROL, UNUSED = 1, 2, 3, 5
UNIGRAM = 1

# protobuf wire types
_VARINT, _LEN, _FIXED32 = 0, 2, 5


class ProtoWriter:
    """Minimal protobuf encoder: fields are written in the order they are added."""

    def __init__(self):
        self.buf = bytearray()

    @staticmethod
    def varint(value):
        value &= (1 << 64) - 1           # negative int32/int64 -> two's complement, 10 bytes
        out = bytearray()
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
        return bytes(out)

    def _key(self, field, wire_type):
        self.buf += self.varint((field << 3) | wire_type)

    def uint(self, field, value):
        self._key(field, _VARINT)
        self.buf += self.varint(value)
        return self

    def float32(self, field, value):
        self._key(field, _FIXED32)
        self.buf += struct.pack("<f", value)
        return self

    def bytes_(self, field, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._key(field, _LEN)
        self.buf += self.varint(len(data))
        self.buf += data
        return self

    def message(self, field, sub):
        return self.bytes_(field, bytes(sub.buf))


def piece_table(vocab):
    """[(text, score, type)] for every id, with the two repairs applied."""
    last_id = {}
    for i, (text, _) in enumerate(vocab):
        last_id[text] = i

    table = []
    for i, (text, score) in enumerate(vocab):
        if i == 0:
            kind = UNKNOWN
        elif i <= 5:
            kind = CONTROL
        else:
            kind = NORMAL
        if kind == NORMAL and last_id[text] != i:
            text, kind = f"<unused_dup_{i}>", UNUSED
        table.append((text, 0.0 if score is None else float(score), kind))
    return table


def build_model_proto(vocab):
    model = ProtoWriter()
    for text, score, kind in piece_table(vocab):
        model.message(_MODEL_PIECES, ProtoWriter().bytes_(_PIECE_TEXT, text)
                                                   .float32(_PIECE_SCORE, score)
                                                   .uint(_PIECE_TYPE, kind))
    trainer = (ProtoWriter().uint(_TRAINER_MODEL_TYPE, UNIGRAM)
                            .uint(_TRAINER_VOCAB_SIZE, len(vocab))
                            .uint(_TRAINER_UNK_ID, 0)
                            .uint(_TRAINER_BOS_ID, 1)
                            .uint(_TRAINER_EOS_ID, 2)
                            .uint(_TRAINER_PAD_ID, -1))
    model.message(_MODEL_TRAINER_SPEC, trainer)
    normalizer = (ProtoWriter().bytes_(_NORM_NAME, "identity")
                               .uint(_NORM_ADD_DUMMY_PREFIX, 1)
                               .uint(_NORM_REMOVE_EXTRA_WS, 0)
                               .uint(_NORM_ESCAPE_WS, 1))
    model.message(_MODEL_NORMALIZER_SPEC, normalizer)
    return bytes(model.buf)


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} vocab.json tokenizer.model", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        vocab = json.load(f)
    data = build_model_proto(vocab)
    with open(argv[2], "wb") as f:
        f.write(data)
    renamed = sum(1 for text, _, kind in piece_table(vocab) if kind == UNUSED)
    print(f"wrote {argv[2]} ({len(vocab)} pieces, {renamed} duplicates renamed, {len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
