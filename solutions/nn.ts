/**
 * A small neural network on top of the engine: a Neuron, a Layer of neurons, and an ANN
 * (a multi-layer perceptron) made of layers, as in micrograd's `nn.py` and the course's notebook.
 *
 * Lessons: 05 Neuron, 06 Layer, 07 ANN.
 */
import { type Operand, toValue, Value } from "./engine";
import { Random } from "./random";

/** How a network's parameters start: uniform in [-1, 1), all 1, or all 0 (as in the notebook). */
export type Init = "random" | "ones" | "zeros";

export interface InitOptions {
  /** "random" by default. */
  init?: Init;
  /** Where random weights come from. One generator is shared by every neuron of a layer or network. */
  rng?: Random;
}

/** The seed used when no generator is passed in, so a network is the same every time it is built. */
export const DEFAULT_SEED = 42;

/** One neuron: a weighted sum of its inputs plus a bias, w·x + b. No activation: the ANN adds tanh. */
export class Neuron {
  /** One weight per input, labelled w0, w1, ... */
  w: Value[];
  /** The bias, labelled b. */
  b: Value;

  constructor(nin: number, { init = "random", rng = new Random(DEFAULT_SEED) }: InitOptions = {}) {
    checkSize(nin, "Neuron: the number of inputs");
    // BEGIN lesson-05
    const initialValue = (): number => {
      if (init === "ones") return 1;
      if (init === "zeros") return 0;
      return rng.uniform(-1, 1);
    };
    // The weights are drawn first, in order, then the bias: the same generator state gives the same neuron.
    this.w = Array.from({ length: nin }, (_, i) => new Value(initialValue(), [], "", `w${i}`));
    this.b = new Value(initialValue(), [], "", "b");
    // END lesson-05
  }

  /**
   * w·x + b for one example with one number (or Value) per weight. The provided first line turns the
   * numbers into Values, so in your code `x` is a `Value[]`: every `x[i]` has `add`, `mul`, `tanh`...
   */
  forward(input: Operand[]): Value {
    const x = inputValues(input, "Neuron.forward", this.w.length);
    // BEGIN lesson-05
    // Start from the bias and add one product per input: no array of products, no extra 0 node.
    let sum = this.b;
    for (let i = 0; i < this.w.length; i++) {
      sum = sum.add(this.w[i].mul(x[i]));
    }
    return sum;
    // END lesson-05
  }

  /** The weights, then the bias: [w0, w1, ..., b]. */
  parameters(): Value[] {
    // BEGIN lesson-05
    return [...this.w, this.b];
    // END lesson-05
  }
}

/** `nout` neurons that all read the same inputs. */
export class Layer {
  neurons: Neuron[];

  constructor(nin: number, nout: number, { init = "random", rng = new Random(DEFAULT_SEED) }: InitOptions = {}) {
    checkSize(nout, "Layer: the number of neurons");
    // BEGIN lesson-06
    // One shared generator: neurons built from fresh copies of the same seed would all be identical.
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, { init, rng }));
    // END lesson-06
  }

  /** One output per neuron. As in Neuron.forward, `x` is the input as a `Value[]`. */
  forward(input: Operand[]): Value[] {
    const x = inputValues(input, "Layer.forward");
    // BEGIN lesson-06
    return this.neurons.map((neuron) => neuron.forward(x));
    // END lesson-06
  }

  /** Neuron by neuron, each neuron's weights then its bias: [n0.w0, n0.w1, ..., n0.b, n1.w0, ...]. */
  parameters(): Value[] {
    // BEGIN lesson-06
    const params: Value[] = [];
    for (const neuron of this.neurons) params.push(...neuron.parameters());
    return params;
    // END lesson-06
  }
}

/** A multi-layer perceptron: `new ANN(2, [16, 16, 1])` has two hidden layers of 16 and one output. */
export class ANN {
  layers: Layer[];

  constructor(nin: number, nouts: number[], { init = "random", rng = new Random(DEFAULT_SEED) }: InitOptions = {}) {
    if (nouts.length === 0) throw new RangeError("ANN: give at least one layer size, like new ANN(2, [16, 1]).");
    // BEGIN lesson-07
    const sizes = [nin, ...nouts];
    this.layers = nouts.map((nout, i) => new Layer(sizes[i], nout, { init, rng }));
    // END lesson-07
  }

  /**
   * tanh after every hidden layer, nothing after the output layer (its outputs are raw scores).
   * As in Neuron.forward, `x` is the input as a `Value[]`, so `let out = x;` then `out = layer.forward(out)` works.
   */
  forward(input: Operand[]): Value[] {
    const x = inputValues(input, "ANN.forward");
    // BEGIN lesson-07
    let out = this.layers[0].forward(x);
    for (let i = 1; i < this.layers.length; i++) {
      // `out` came from a hidden layer (every layer but the last one is): squash it with tanh
      // before the next layer reads it. The last layer's outputs are returned as they are.
      out = this.layers[i].forward(out.map((v) => v.tanh()));
    }
    return out;
    // END lesson-07
  }

  /** Layer by layer, in the order of Layer.parameters(). */
  parameters(): Value[] {
    // BEGIN lesson-07
    const params: Value[] = [];
    for (const layer of this.layers) params.push(...layer.parameters());
    return params;
    // END lesson-07
  }

  /**
   * Provided: the weights of every neuron, without the biases, layer by layer. What regularization shrinks
   * (lesson 13): a bias only moves a neuron's threshold, so shrinking it buys no smoothness.
   */
  weights(): Value[] {
    return this.layers.flatMap((layer) => layer.neurons.flatMap((neuron) => neuron.w));
  }

  /** Sets every parameter's grad to 0 before the next backward pass (micrograd's `zero_grad`). */
  zeroGrad(): void {
    // BEGIN lesson-07
    for (const p of this.parameters()) p.grad = 0;
    // END lesson-07
  }

  /** One step of gradient descent: move every parameter against its gradient. */
  update(lr: number): void {
    // BEGIN lesson-07
    for (const p of this.parameters()) p.data -= lr * p.grad;
    // END lesson-07
  }
}

// Provided checks: a wrong size fails here, with a message, instead of producing NaN later.

function checkSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number of at least 1, got ${n}.`);
}

/**
 * The inputs as Values, after checking that they are an array (of one input per weight, when `expected` is
 * given; a Layer or an ANN leaves that check to its neurons). A number is wrapped by `toValue` once, here,
 * so the code of `forward` treats every input alike, and all the neurons of a layer share one node per input.
 */
function inputValues(x: Operand[], where: string, expected?: number): Value[] {
  if (!Array.isArray(x)) {
    const inputs = expected === undefined ? "inputs" : `${expected} inputs`;
    throw new TypeError(`${where}: expected an array of ${inputs}, got ${typeof x}.`);
  }
  if (expected !== undefined && x.length !== expected) {
    throw new RangeError(`${where}: expected ${expected} inputs (one per weight), got ${x.length}.`);
  }
  return x.map((xi) => toValue(xi, where));
}
