/**
 * A yardstick for the bench: micrograd's engine.py and nn.py ported to TypeScript as plainly as possible, with no
 * dependencies. A node keeps its children in a Set (micrograd's `_prev = set(_children)`), its backward step is a
 * closure, and `backward()` sorts the graph with a recursive depth-first search, as in micrograd.
 *
 * It trains the bench's network (tanh after every hidden layer, a linear output, squared error, per-example SGD)
 * from the same weights as the course's engine and the hand-fused baseline (scripts/lib/fused-mlp.ts), with the
 * same interface as the baseline: `new MicrogradMirror(sizes, parameters)`, then `trainExample(x, target, lr)` per
 * example, `predict(x)` and `parameters()`. Its arithmetic is the engine's, in the engine's order (b + w0·x0 +
 * w1·x1 + ..., Math.tanh, (pred − target)², p.data −= lr · p.grad), so after the same training it holds the
 * engine's weights: a difference beyond rounding means one of the two is wrong.
 *
 * Two departures from micrograd, both for that comparison: tanh is Math.tanh (micrograd's lecture builds it from
 * exp), and the output layer is linear and the hidden ones use tanh (micrograd's MLP uses relu).
 *
 * Compile it like the course code (TypeScript's transpileModule, see scripts/lib/compile-target.ts), not under tsx:
 * tsx's keepNames would wrap every `_backward` closure in a renaming call.
 */

type Operand = Value | number;

class Value {
  data: number;
  grad = 0;
  _backward: () => void = () => {};
  _prev: Set<Value>;
  _op: string;

  constructor(data: number, children: Value[] = [], op = "") {
    this.data = data;
    this._prev = new Set(children);
    this._op = op;
  }

  add(other: Operand): Value {
    const that = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data + that.data, [this, that], "+");
    const _backward = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    out._backward = _backward;
    return out;
  }

  mul(other: Operand): Value {
    const that = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data * that.data, [this, that], "*");
    const _backward = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    out._backward = _backward;
    return out;
  }

  pow(exponent: number): Value {
    const out = new Value(this.data ** exponent, [this], `**${exponent}`);
    const _backward = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    out._backward = _backward;
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], "tanh");
    const _backward = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    out._backward = _backward;
    return out;
  }

  neg(): Value {
    return this.mul(-1);
  }

  /** micrograd's `self + (-other)`. For a number, -other is exact, so this is the engine's subtraction. */
  sub(other: Operand): Value {
    return this.add(other instanceof Value ? other.neg() : -other);
  }

  backward(): void {
    const topo: Value[] = [];
    const visited = new Set<Value>();
    const buildTopo = (v: Value) => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v._prev) buildTopo(child);
        topo.push(v);
      }
    };
    buildTopo(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }
}

class Neuron {
  w: Value[];
  b: Value;
  nonlin: boolean;

  constructor(weights: number[], bias: number, nonlin: boolean) {
    this.w = weights.map((w) => new Value(w));
    this.b = new Value(bias);
    this.nonlin = nonlin;
  }

  forward(x: Operand[]): Value {
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i]));
    return this.nonlin ? act.tanh() : act;
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

export class MicrogradMirror {
  readonly layers: Neuron[][];
  private readonly params: Value[];

  /**
   * `sizes` like [2, 16, 16, 1]; `parameters` in the order of the course's `ANN.parameters()` (and of FusedMlp):
   * layer by layer, neuron by neuron, each neuron's weights then its bias.
   */
  constructor(sizes: number[], parameters: number[]) {
    let next = 0;
    this.layers = [];
    for (let l = 1; l < sizes.length; l++) {
      const layer: Neuron[] = [];
      for (let j = 0; j < sizes[l]; j++) {
        const weights = parameters.slice(next, next + sizes[l - 1]);
        next += sizes[l - 1];
        layer.push(new Neuron(weights, parameters[next++], l < sizes.length - 1));
      }
      this.layers.push(layer);
    }
    if (next !== parameters.length) {
      throw new RangeError(
        `MicrogradMirror: sizes ${sizes.join("-")} need ${next} parameters, got ${parameters.length}.`,
      );
    }
    this.params = this.layers.flatMap((layer) => layer.flatMap((neuron) => neuron.parameters()));
  }

  private forward(x: ArrayLike<number>): Value {
    let out: Operand[] = Array.from(x);
    for (const layer of this.layers) out = layer.map((neuron) => neuron.forward(out));
    return out[0] as Value;
  }

  /** The network's output for one example. */
  predict(x: ArrayLike<number>): number {
    return this.forward(x).data;
  }

  /** One SGD step on one example, as micrograd's demo does it: zero_grad, forward, loss, backward, update. */
  trainExample(x: ArrayLike<number>, target: number, lr: number): number {
    for (const p of this.params) p.grad = 0;
    const loss = this.forward(x).sub(target).pow(2);
    loss.backward();
    for (const p of this.params) p.data -= lr * p.grad;
    return loss.data;
  }

  /** Every weight and bias, in the order of `ANN.parameters()`. */
  parameters(): number[] {
    return this.params.map((p) => p.data);
  }
}
