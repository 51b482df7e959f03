/**
 * The benchmark's baseline: the course's network (tanh after every hidden layer, a linear output, squared
 * error, per-example SGD) written by hand on Float64Arrays, with explicit forward and backward loops and
 * no graph. It does the same arithmetic as the engine, in the same order, so after the same training the
 * two hold the same weights (up to rounding); what differs is everything the engine does to get there:
 * a node per operation, closures, a topological sort.
 */

/** One fully connected layer: `w` holds `nout` rows of `nin` weights, row-major; `b` one bias per row. */
interface DenseLayer {
  nin: number;
  nout: number;
  w: Float64Array;
  b: Float64Array;
  /** The layer's output for the current example: the pre-activation sums, then tanh of them if hidden. */
  out: Float64Array;
  /** d(loss)/d(output) for the current example. */
  grad: Float64Array;
}

export class FusedMlp {
  readonly layers: DenseLayer[];

  /**
   * `sizes` like [2, 16, 16, 1]; `parameters` in the order `ANN.parameters()` gives them: layer by layer,
   * neuron by neuron, each neuron's weights then its bias.
   */
  constructor(sizes: number[], parameters: number[]) {
    this.layers = [];
    let next = 0;
    for (let l = 1; l < sizes.length; l++) {
      const nin = sizes[l - 1];
      const nout = sizes[l];
      const layer: DenseLayer = {
        nin,
        nout,
        w: new Float64Array(nout * nin),
        b: new Float64Array(nout),
        out: new Float64Array(nout),
        grad: new Float64Array(nout),
      };
      for (let j = 0; j < nout; j++) {
        for (let i = 0; i < nin; i++) layer.w[j * nin + i] = parameters[next++];
        layer.b[j] = parameters[next++];
      }
      this.layers.push(layer);
    }
    if (next !== parameters.length) {
      throw new RangeError(`FusedMlp: sizes ${sizes.join("-")} need ${next} parameters, got ${parameters.length}.`);
    }
  }

  /** The network's output for one example (the single output of the last layer). */
  predict(x: ArrayLike<number>): number {
    let input: ArrayLike<number> = x;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { nin, nout, w, b, out } = this.layers[l];
      for (let j = 0; j < nout; j++) {
        // b + w0·x0 + w1·x1 + ..., summed in the order Neuron.forward sums them.
        let sum = b[j];
        for (let i = 0; i < nin; i++) sum += w[j * nin + i] * input[i];
        out[j] = l < last ? Math.tanh(sum) : sum;
      }
      input = out;
    }
    return this.layers[last].out[0];
  }

  /** One SGD step on one example: forward, squared error, backward, update. Returns the loss. */
  trainExample(x: ArrayLike<number>, target: number, lr: number): number {
    const pred = this.predict(x);
    const diff = pred - target;
    const last = this.layers.length - 1;
    // d(diff²)/d(pred) = 2·diff.
    this.layers[last].grad[0] = 2 * diff;
    for (let l = last; l >= 0; l--) {
      const { nin, nout, w, b, out, grad } = this.layers[l];
      const below = l > 0 ? this.layers[l - 1] : undefined;
      const input = below ? below.out : x;
      if (below) below.grad.fill(0);
      for (let j = 0; j < nout; j++) {
        // Through this neuron's tanh (hidden layers only): d tanh(s)/ds = 1 - tanh(s)².
        const g = l < last ? (1 - out[j] * out[j]) * grad[j] : grad[j];
        for (let i = 0; i < nin; i++) {
          const k = j * nin + i;
          // Pass the gradient down with the weight as it was in the forward pass, then update it.
          if (below) below.grad[i] += w[k] * g;
          w[k] -= lr * (input[i] * g);
        }
        b[j] -= lr * g;
      }
    }
    return diff * diff;
  }

  /** Every weight and bias, in the order of `ANN.parameters()`. */
  parameters(): number[] {
    const all: number[] = [];
    for (const { nin, nout, w, b } of this.layers) {
      for (let j = 0; j < nout; j++) {
        for (let i = 0; i < nin; i++) all.push(w[j * nin + i]);
        all.push(b[j]);
      }
    }
    return all;
  }
}
