/** The stepper's ready-made programs: the lessons' worked examples, and one to start your own from. */

export const EXAMPLES: { title: string; program: string }[] = [
  {
    title: "Lesson 04: L = (a·b + c)·f",
    program: "a = 2\nb = -3\nc = 10\nf = -2\ne = a*b\nd = e + c\nL = d*f",
  },
  {
    title: "Lesson 04: a neuron, o = tanh(x1·w1 + x2·w2 + b)",
    program: "x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.881373587019543\nn = x1*w1 + x2*w2 + b\no = n.tanh()",
  },
  { title: "Lesson 04: a node used twice, c = (a + a) + (a + a)", program: "a = 3\nb = a + a\nc = b + b" },
  {
    title: "Lesson 09: the loss of one example, (w·x + b − t)²",
    program:
      "# the network ANN(1, [1]) with w = b = 1, on x = 1 with target t = -1\nw = 1\nx = 1\nb = 1\nt = -1\ny = b + w*x\nL = (y - t)**2",
  },
  { title: "Your own: (a·b + c).tanh()", program: "a = 0.5\nb = -1\nc = 1\n(a*b + c).tanh()" },
];
