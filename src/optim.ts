/**
 * Optimizers: how each parameter moves, given its gradient. Lesson 07's `update(lr)` is the simplest one,
 * p -= lr * grad. These remember a little about past gradients, one number or two per parameter, and use it
 * to choose a better step. They follow PyTorch's `torch.optim` (formulas and defaults), without dampening,
 * Nesterov, AMSGrad or parameter groups. Weight decay, the regularization that shrinks the weights, is AdamW's:
 * decoupled from the gradient (`decayWeights`); L2 as a term of the loss is in loss.ts.
 *
 *     const optimizer = new Adam(model.parameters(), { lr: 0.01 });
 *     optimizer.zeroGrad(); loss.backward(); optimizer.step();
 *
 * Lesson 13. The learning rate `lr` of every optimizer may change between steps (a schedule, the playground).
 */

/**
 * What an optimizer moves: one number and its gradient. A `Value` is one (`new Adam(net.parameters())`); so is
 * every entry of a tensor (`new Adam(entries(mlp.parameters()))`, lesson 14).
 */
export interface Parameter {
  data: number;
  grad: number;
}

/** What every optimizer shares: the parameters it moves, and clearing their gradients (PyTorch's `Optimizer`). */
export abstract class Optimizer {
  /** The parameters, in order; the per-parameter state of a subclass is kept in the same order. */
  readonly params: Parameter[];

  /** `name` is the optimizer's, for messages ("Adam: ..."). */
  constructor(params: Parameter[], name: string) {
    if (!Array.isArray(params) || params.length === 0) {
      throw new RangeError(`${name}: give it the parameters to optimize, like model.parameters(); got none.`);
    }
    this.params = params;
  }

  /** Sets the grad of every parameter to 0, before the next backward pass (PyTorch's `zero_grad`). */
  zeroGrad(): void {
    // BEGIN lesson-13
    throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
    // END lesson-13
  }

  /** Moves every parameter once, using its current grad (PyTorch's `step`). */
  abstract step(): void;
}

export interface SGDOptions {
  /** The learning rate (PyTorch's default: 0.001). */
  lr?: number;
  /** How much of the last step's velocity is kept, from 0 (plain SGD, the default) to just below 1. */
  momentum?: number;
}

/** Stochastic gradient descent, with optional momentum (PyTorch's `SGD`). */
export class SGD extends Optimizer {
  lr: number;
  readonly momentum: number;
  /** One velocity per parameter, 0 before the first step (PyTorch's `momentum_buffer`). */
  readonly velocity: number[];

  constructor(params: Parameter[], { lr = 1e-3, momentum = 0 }: SGDOptions = {}) {
    super(params, "SGD");
    checkPositive(lr, "SGD: lr");
    checkFraction(momentum, "SGD: momentum");
    this.lr = lr;
    this.momentum = momentum;
    this.velocity = params.map(() => 0);
  }

  /** b = momentum * b + grad, then p -= lr * b. Without momentum, b is the grad: lesson 07's update. */
  step(): void {
    // BEGIN lesson-13
    throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
    // END lesson-13
  }
}

export interface RMSpropOptions {
  /** The learning rate (PyTorch's default: 0.01). */
  lr?: number;
  /** How much of the running mean of squared gradients is kept at each step (PyTorch's default: 0.99). */
  alpha?: number;
  /** Added to the root in the denominator, so a gradient of 0 does not divide by 0 (default: 1e-8). */
  eps?: number;
}

/** Divides each step by a running root mean square of the parameter's gradients (PyTorch's `RMSprop`). */
export class RMSprop extends Optimizer {
  lr: number;
  readonly alpha: number;
  readonly eps: number;
  /** One running mean of squared gradients per parameter, 0 before the first step (PyTorch's `square_avg`). */
  readonly squareAvg: number[];

  constructor(params: Parameter[], { lr = 1e-2, alpha = 0.99, eps = 1e-8 }: RMSpropOptions = {}) {
    super(params, "RMSprop");
    checkPositive(lr, "RMSprop: lr");
    checkFraction(alpha, "RMSprop: alpha");
    checkPositive(eps, "RMSprop: eps");
    this.lr = lr;
    this.alpha = alpha;
    this.eps = eps;
    this.squareAvg = params.map(() => 0);
  }

  /** v = alpha * v + (1 - alpha) * grad², then p -= lr * grad / (√v + eps). */
  step(): void {
    // BEGIN lesson-13
    throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
    // END lesson-13
  }
}

export interface AdamOptions {
  /** The learning rate (PyTorch's default: 0.001). */
  lr?: number;
  /** How much of the running means of the gradients and of their squares is kept (default: [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the root in the denominator, so a gradient of 0 does not divide by 0 (default: 1e-8). */
  eps?: number;
}

/** Momentum and RMSprop together, with the bias of their zero start corrected (PyTorch's `Adam`). */
export class Adam extends Optimizer {
  /** The learning rate; a schedule may change it between steps (PyTorch's schedulers set the same number). */
  lr: number;
  readonly betas: [number, number];
  readonly eps: number;
  /** m: one running mean of the gradients per parameter, 0 before the first step (PyTorch's `exp_avg`). */
  readonly expAvg: number[];
  /** v: one running mean of the squared gradients per parameter, 0 at first (PyTorch's `exp_avg_sq`). */
  readonly expAvgSq: number[];
  /** t: how many steps were taken, for the bias correction (PyTorch's `state["step"]`). */
  t = 0;

  /** `name` is for messages: "AdamW" when AdamW builds on it. */
  constructor(params: Parameter[], { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8 }: AdamOptions = {}, name = "Adam") {
    super(params, name);
    checkPositive(lr, `${name}: lr`);
    checkFraction(betas[0], `${name}: betas[0]`);
    checkFraction(betas[1], `${name}: betas[1]`);
    checkPositive(eps, `${name}: eps`);
    this.lr = lr;
    this.betas = betas;
    this.eps = eps;
    this.expAvg = params.map(() => 0);
    this.expAvgSq = params.map(() => 0);
  }

  /** m and v as momentum and RMSprop keep them; divided by 1 - beta^t; then p -= lr * m̂ / (√v̂ + eps). */
  step(): void {
    // BEGIN lesson-13
    throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
    // END lesson-13
  }
}

/**
 * Decoupled weight decay: each parameter loses lr · weightDecay of itself, p −= lr · weightDecay · p, outside the
 * gradient step (the first line of PyTorch's AdamW). With plain SGD this is exactly L2 in the loss
 * (loss.ts's `l2Penalty`, rate = weightDecay); with Adam it is not, which is why AdamW exists.
 */
export function decayWeights(params: Parameter[], lr: number, weightDecay: number): void {
  // BEGIN lesson-13
  throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
  // END lesson-13
}

export interface AdamWOptions extends AdamOptions {
  /** λ: the share of itself a decayed parameter loses per unit of learning rate (PyTorch's default: 0.01). */
  weightDecay?: number;
  /**
   * The parameters weight decay shrinks: all of them unless told, as in PyTorch. `model.weights()` leaves the
   * biases alone.
   */
  decay?: Parameter[];
}

/**
 * Adam with decoupled weight decay (PyTorch's `AdamW`, Loshchilov and Hutter's "Decoupled Weight Decay
 * Regularization"): θ −= γλθ, then Adam's step, whose running means never see the decay.
 */
export class AdamW extends Adam {
  /** λ, which may change between steps, like `lr`. */
  weightDecay: number;
  /** The parameters that decay (a subset of `params`). */
  readonly decayed: Parameter[];

  constructor(params: Parameter[], { weightDecay = 1e-2, decay = params, ...adam }: AdamWOptions = {}) {
    super(params, adam, "AdamW");
    checkNonNegative(weightDecay, "AdamW: weightDecay");
    const own = new Set(params);
    if (!decay.every((p) => own.has(p))) {
      throw new RangeError("AdamW: decay lists a parameter that is not among those it optimizes.");
    }
    this.weightDecay = weightDecay;
    this.decayed = decay;
  }

  /** θ −= lr · weightDecay · θ for the decayed parameters, then Adam's step. */
  override step(): void {
    // BEGIN lesson-13
    throw new Error("lesson-13 is not done yet: write this part of src/optim.ts. Read lessons/lesson-13-optimizers/README.md.");
    // END lesson-13
  }
}

// Provided checks: a learning rate of 0 or a momentum of 1 fail here, not as a network that never learns.

function checkPositive(x: number, what: string): void {
  if (!(typeof x === "number" && x > 0 && Number.isFinite(x))) {
    throw new RangeError(`${what} must be a positive number, got ${x}.`);
  }
}

function checkNonNegative(x: number, what: string): void {
  if (!(typeof x === "number" && x >= 0 && Number.isFinite(x))) {
    throw new RangeError(`${what} must be 0 or a positive number, got ${x}.`);
  }
}

function checkFraction(x: number, what: string): void {
  if (!(typeof x === "number" && x >= 0 && x < 1)) {
    throw new RangeError(`${what} must lie in [0, 1), got ${x}.`);
  }
}
