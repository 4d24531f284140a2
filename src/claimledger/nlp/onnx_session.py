"""Open a shipped int8 ONNX model so that it computes the same on every x86 CPU.

The models are stored as onnxruntime dynamic-quantisation graphs (int8 weights, per-channel scales):
small files, but at run time each activation is quantised to uint8 and multiplied in integers, and
those integer kernels differ by CPU. With AVX-512 VNNI the products are exact; on AVX2 alone the
u8×s8 pair sums saturate at 16 bits, so vectors and logits move, and a judgment that sits near a
threshold flips with the machine. Here each quantised matrix product is rewritten, in memory, as a
float32 product with the weights dequantised once at load: the stored weights (and the file's
sha256) are unchanged, activations are no longer rounded to 8 bits, and what is left to differ
between CPUs is float32 summation order (around 1e-6), not the 1e-2 of saturated integer sums.

The rewrite matches the pattern onnxruntime's ``quantize_dynamic`` writes:
``DynamicQuantizeLinear(x) → MatMulInteger(xq, Wq, xzp, Wzp) → Cast → Mul(x_scale·W_scale)``
becomes ``MatMul(x, (Wq − Wzp)·W_scale)``. A graph without that pattern loads unchanged.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from pathlib import Path

import numpy as np

from claimledger.errors import ModelError

if TYPE_CHECKING:
    import onnxruntime


def open_session(path: str | os.PathLike, threads: int = 1, *, spinning: bool = True) -> onnxruntime.InferenceSession:
    """An onnxruntime CPU session for the model at ``path``, with int8 products computed in float32."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    if not spinning:
        # No busy-waiting between ops: on a shared machine spinning threads steal the other's core.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        model_bytes = float_compute_model(Path(path))
        return onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
    except ModelError:
        raise
    except Exception as error:  # onnx and onnxruntime raise their own untyped errors for bad files
        raise ModelError(f"{path}: cannot load ONNX model ({type(error).__name__}: {error})") from None


def float_compute_model(path: Path) -> bytes:
    """The serialised model at ``path`` with every dynamic-quantised MatMul turned into a float32 one."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    producer = {output: node for node in graph.node for output in node.output}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    removed: set[int] = set()
    replacements: dict[int, object] = {}
    new_initializers = []
    for node in graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] not in initializers:
            continue
        quantize = producer.get(node.input[0])
        cast = _only_consumer(consumers, node.output[0], "Cast")
        rescale = _only_consumer(consumers, cast.output[0], "Mul") if cast is not None else None
        if quantize is None or quantize.op_type != "DynamicQuantizeLinear" or rescale is None:
            continue
        scales_name = next(name for name in rescale.input if name != cast.output[0])
        scales_node = producer.get(scales_name)
        weight_scale_name = None
        if scales_node is not None and scales_node.op_type == "Mul":
            weight_scale_name = next((name for name in scales_node.input if name in initializers), None)
        if weight_scale_name is None:
            continue
        weight = numpy_helper.to_array(initializers[node.input[1]]).astype(np.float32)
        zero_point = (
            numpy_helper.to_array(initializers[node.input[3]]).astype(np.float32)
            if len(node.input) > 3 and node.input[3]
            else np.float32(0.0)
        )
        scale = numpy_helper.to_array(initializers[weight_scale_name]).astype(np.float32)
        float_name = node.input[1] + "_float32"
        new_initializers.append(numpy_helper.from_array(((weight - zero_point) * scale).astype(np.float32), float_name))
        replacements[id(node)] = helper.make_node(
            "MatMul", [quantize.input[0], float_name], [rescale.output[0]], name=node.name + "_float32"
        )
        removed.update({id(cast), id(rescale)})

    if not replacements:
        return model.SerializeToString()

    kept: list[Any] = []  # onnx NodeProtos
    for node in graph.node:
        if id(node) in replacements:
            kept.append(replacements[id(node)])
        elif id(node) not in removed:
            kept.append(node)
    # Drop what only fed the removed nodes (activation quantisers, scale products), repeatedly.
    outputs = {output.name for output in graph.output}
    while True:
        used = {name for node in kept for name in node.input} | outputs
        still = [node for node in kept if any(output in used for output in node.output)]
        if len(still) == len(kept):
            break
        kept = still
    del graph.node[:]
    graph.node.extend(kept)
    used = {name for node in kept for name in node.input}
    remaining = [tensor for tensor in graph.initializer if tensor.name in used] + new_initializers
    del graph.initializer[:]
    graph.initializer.extend(remaining)
    return model.SerializeToString()


def _only_consumer(consumers: dict[str, list], name: str, op_type: str):
    nodes = consumers.get(name, [])
    if len(nodes) == 1 and nodes[0].op_type == op_type:
        return nodes[0]
    return None
