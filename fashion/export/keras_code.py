"""A saved model written back as readable Keras code: one layer call per layer, with only
the arguments that differ from Keras' defaults, so a student reads the network the studio
trained (and gets exactly it: `check_same_network` builds the code and compares weights).

Sequential networks become `keras.Sequential([...])`; functional graphs (the ResNet's
Add shortcuts) one line per layer call; the flip-TTA wrapper of
`architectures.with_flip_tta` its own few lines. Anything else (a custom or Lambda layer,
a shared layer, a nested model that is not the flip wrapper) is refused with a keyed
ExportError naming it: never code that builds a different network.
"""
from __future__ import annotations

import inspect
import keyword
import math
import re
from dataclasses import dataclass

import numpy as np

from fashion.backend import keras
from fashion.export.checks import ExportError
from fashion.model.network import TTA_MIRROR, is_flip_tta, unwrap

SKIPPED = {"name", "trainable", "dtype", "build_config", "compile_config"}
ALWAYS_SHOWN = {"pool_size"}                   # written even at their default, as the seeds do
SERIALIZED_MODULES = {"keras.regularizers", "keras.initializers", "keras.constraints"}
TAKEN_NAMES = {"keras", "layers", "np", "tf", "plt", "model", "network", "inputs", "history", "x"}
TTA_LAYERS = ("InputLayer", "Reshape", "Dense", "Reshape", None, "Average")


@dataclass
class NetworkCode:
    """The code of a saved model: `build` defines `model` (the network that trains);
    `flip_tta` (or '') wraps the trained `model` into the saved flip-TTA model."""
    build: str
    flip_tta: str
    architecture: str
    layer_count: int


# --- one layer -------------------------------------------------------------------------------

def _refuse(model_name: str, layer: str, kind: str):
    return ExportError("export.err.architecture", name=model_name, layer=layer, kind=kind)


def _number(v: float) -> str:
    short = f"{v:.7g}"
    return short if np.float32(float(short)) == np.float32(v) else repr(v)


def render_value(v, where: tuple[str, str]) -> str:
    """A config value as Python source: plain values, tuples, and the public Keras objects
    (regularizers, initializers, constraints) a config holds serialized."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return repr(v)
    if isinstance(v, float) and math.isfinite(v):
        return _number(v)
    if isinstance(v, (list, tuple)):
        items = [render_value(x, where) for x in v]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(v, dict) and v.get("module") in SERIALIZED_MODULES and isinstance(v.get("config"), dict) \
            and re.fullmatch(r"[A-Z][A-Za-z0-9]*", str(v.get("class_name"))) \
            and all(isinstance(k, str) and k.isidentifier() for k in v["config"]):
        args = ", ".join(f"{k}={render_value(x, where)}" for k, x in v["config"].items()
                         if not (k == "seed" and x is None))
        return f"{v['module']}.{v['class_name']}({args})"
    raise _refuse(where[0], where[1], type(v).__name__)


def _same(a, b) -> bool:
    norm = (lambda x: [norm(i) for i in x] if isinstance(x, (list, tuple))
            else {k: norm(i) for k, i in x.items()} if isinstance(x, dict) else x)
    return norm(a) == norm(b)


def _auto_name(name: str, class_name: str) -> bool:
    """Whether Keras made this name up (conv2d_3, max_pooling2d, ...)."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", class_name).lower()
    return re.fullmatch(rf"({re.escape(snake)}|{re.escape(class_name.lower())})(_\d+)?", name) is not None


def layer_call(layer, model_name: str, keep_name: bool) -> str:
    """`layers.Conv2D(32, (3, 3), activation='relu')`: the layer's class with its required
    arguments in order and every other argument that is not Keras' default."""
    kind = type(layer).__name__
    cls = getattr(keras.layers, kind, None)
    if cls is None or type(layer) is not cls or isinstance(layer, keras.Model):
        raise _refuse(model_name, layer.name, kind)
    where = (model_name, layer.name)
    try:
        config = layer.get_config()
        params = [p for p in inspect.signature(cls.__init__).parameters.values()
                  if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        required = [p.name for p in params if p.default is inspect.Parameter.empty]
        reference = cls(**{k: config[k] for k in required}).get_config()
    except Exception:
        raise _refuse(model_name, layer.name, kind) from None
    args = [render_value(config[k], where) for k in required]
    for k, v in config.items():
        if k in SKIPPED or k in required:
            continue
        if not k.isidentifier():
            raise _refuse(model_name, layer.name, kind)
        if k not in reference or not _same(v, reference[k]) or k in ALWAYS_SHOWN:
            args.append(f"{k}={render_value(v, where)}")
    if keep_name and not _auto_name(layer.name, kind):
        args.append(f"name={layer.name!r}")
    return f"layers.{kind}({', '.join(args)})"


def _input_shape(net) -> tuple:
    try:
        return tuple(int(d) for d in net.inputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        raise _refuse(net.name, net.name, "input") from None


# --- whole networks ----------------------------------------------------------------------------

def sequential_code(net) -> str:
    lines = ["model = keras.Sequential(["]
    lines.append(f"    keras.Input(shape={_input_shape(net)!r}),")
    for layer in net.layers:
        lines.append(f"    {layer_call(layer, net.name, keep_name=False)},")
    lines.append(f"], name={net.name!r})")
    return "\n".join(lines)


def _variable(name: str, used: set) -> str:
    base = re.sub(r"\W", "_", name).strip("_") or "x"
    if base[0].isdigit() or keyword.iskeyword(base) or base in TAKEN_NAMES:
        base = f"x_{base}"
    var, n = base, 1
    while var in used:
        n += 1
        var = f"{base}_{n}"
    used.add(var)
    return var


def _call_defaults(layer) -> dict:
    try:
        return {p.name: p.default for p in inspect.signature(layer.call).parameters.values()}
    except (TypeError, ValueError):
        return {}


def _inputs_of(node: dict, names: dict, where: tuple[str, str], layer) -> str:
    """The variable names a layer call takes, from one inbound node of the graph config
    (with any call argument that is not the call's default, as saved)."""
    args = node.get("args") or ()
    defaults = _call_defaults(layer)
    kwargs = {k: v for k, v in (node.get("kwargs") or {}).items()
              if v is not None and not (k in defaults and defaults[k] is v)}
    if len(args) != 1 or not all(isinstance(k, str) and k.isidentifier() and isinstance(v, (bool, int, str))
                                 for k, v in kwargs.items()):
        raise _refuse(*where, "call")
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())     # e.g. training=False, as saved

    def tensor(t):
        history = (t.get("config") or {}).get("keras_history") if isinstance(t, dict) else None
        if not history or history[0] not in names or tuple(history[1:]) != (0, 0):
            raise _refuse(*where, "graph")
        return names[history[0]]

    arg = args[0]
    if isinstance(arg, (list, tuple)):
        return "[" + ", ".join(tensor(t) for t in arg) + "]" + extra
    return tensor(arg) + extra


def functional_code(net) -> str:
    """One line per layer call, in the graph's order, each result in a variable named after
    its layer; then `keras.Model(inputs, outputs)`."""
    config = net.get_config()
    layers_config = config.get("layers") or []
    names, used, lines = {}, set(), []
    input_names = [entry[0] for entry in _tensor_list(config.get("input_layers"))]
    output_names = [entry[0] for entry in _tensor_list(config.get("output_layers"))]
    if len(input_names) != 1 or len(output_names) != 1:
        raise _refuse(net.name, net.name, "inputs/outputs")
    for entry in layers_config:
        name, nodes = entry.get("name"), entry.get("inbound_nodes") or []
        layer = net.get_layer(name)
        if entry.get("class_name") == "InputLayer":
            names[name] = "inputs"
            used.add("inputs")
            keep = "" if _auto_name(name, "InputLayer") or name == "input_layer" else f", name={name!r}"
            lines.append(f"inputs = keras.Input(shape={tuple(layer.batch_shape[1:])!r}{keep})")
            continue
        if len(nodes) != 1:
            raise _refuse(net.name, name, "shared layer")
        call = layer_call(layer, net.name, keep_name=True)
        source = _inputs_of(nodes[0], names, (net.name, name), layer)
        names[name] = _variable(name, used)
        lines.append(f"{names[name]} = {call}({source})")
    if input_names[0] not in names or names[input_names[0]] != "inputs" or output_names[0] not in names:
        raise _refuse(net.name, net.name, "graph")
    lines.append(f"model = keras.Model(inputs, {names[output_names[0]]}, name={net.name!r})")
    return "\n".join(lines)


def _tensor_list(value) -> list:
    if not value:
        return []
    return [value] if isinstance(value[0], str) else list(value)


def network_source(net) -> str:
    if isinstance(net, keras.Sequential):
        return sequential_code(net)
    if type(net).__name__ == "Functional":
        return functional_code(net)
    raise _refuse(net.name, net.name, type(net).__name__)


def flip_tta_code(wrapper, net) -> str:
    """The mirror-and-average wrapper as code, after checking the saved one is exactly
    architectures.with_flip_tta's (its mirror an exact left-right permutation)."""
    kinds = [type(layer).__name__ for layer in wrapper.layers]
    mirror = next((layer for layer in wrapper.layers if layer.name == TTA_MIRROR), None)
    expected = [k or type(net).__name__ for k in TTA_LAYERS]
    weights = mirror.get_weights() if mirror is not None else []
    if kinds != expected or len(weights) != 1 or \
            not np.array_equal(weights[0], np.eye(28, dtype="float32")[::-1]):
        raise _refuse(wrapper.name, wrapper.name, "flip wrapper")
    return "\n".join([
        "network = model",
        "inputs = keras.Input(shape=(28, 28, 1), name='image')",
        "rows = layers.Reshape((28, 28), name='tta_rows')(inputs)",
        f"mirror = layers.Dense(28, use_bias=False, trainable=False, name={TTA_MIRROR!r})",
        "flipped = layers.Reshape((28, 28, 1), name='tta_flipped')(mirror(rows))",
        "mirror.set_weights([np.eye(28, dtype='float32')[::-1]])",
        "averaged = layers.Average(name='tta_average')([network(inputs), network(flipped)])",
        f"model = keras.Model(inputs, averaged, name={wrapper.name!r})",
    ])


def model_code(model) -> NetworkCode:
    """The code of a saved model; ExportError when some part of it cannot be written."""
    tta = is_flip_tta(model)
    net = unwrap(model) if tta else model
    try:
        shapes = (tuple(model.inputs[0].shape[1:]), tuple(model.outputs[0].shape[1:]))
    except (AttributeError, IndexError, TypeError, ValueError):
        shapes = None
    if shapes != ((28, 28, 1), (10,)):          # the notebook feeds Fashion-MNIST and reads 10 classes
        raise _refuse(model.name, model.name, f"input/output {shapes}")
    if not tta and any(isinstance(layer, keras.Model) for layer in model.layers):
        nested = next(layer for layer in model.layers if isinstance(layer, keras.Model))
        raise _refuse(model.name, nested.name, "nested model")
    code = NetworkCode(network_source(net), flip_tta_code(model, net) if tta else "", net.name,
                       len(net.layers))
    check_same_network(model, code)
    return code


def _weight_shapes(model) -> list[tuple]:
    return [tuple(w.shape) for w in model.weights]


def check_same_network(model, code: NetworkCode) -> None:
    """Build the written code and compare it with the saved model: the same layer types in
    the same order, the same weight shapes, the same parameter count."""
    space = {"keras": keras, "layers": keras.layers, "np": np}
    try:
        exec(code.build, space)                                   # our own generated source
        if code.flip_tta:
            exec(code.flip_tta, space)
        built = space["model"]
    except Exception:
        raise _refuse(model.name, model.name, "code") from None
    same = (built.count_params() == model.count_params() and _weight_shapes(built) == _weight_shapes(model)
            and [type(x).__name__ for x in _all_layers(built)] == [type(x).__name__ for x in _all_layers(model)])
    if not same:
        raise _refuse(model.name, model.name, "code")


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
