;; Lesson 18, step 4: the matrix product with SIMD, in the WebAssembly text format, and the rest of the MNIST
;; step's work (tanh, the update) four numbers at a time.
;;
;; Assembled by the pinned `wabt` package when the tests, the bench or the lesson's measurements run
;; (scripts/lib/wasm-kernels.ts); no binary is kept in the repository. Loaded by src/simd-matmul.ts.
;;
;; Every matrix is float32, row after row, in the one shared memory, and is named by its byte address:
;; A is rows × inner, B is inner × cols, C is rows × cols. A v128 holds four float32 numbers ("lanes");
;; f32x4.mul and f32x4.add work on all four at once.
(module
  (memory (import "env" "memory") 1 65536 shared)

  ;; Rows rowStart to rowEnd (excluded) of C = A · B.
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $c i32)
    (param $inner i32) (param $cols i32) (param $rowStart i32) (param $rowEnd i32)
    ;; A[i][k] is at a + 4 · (i · inner + k): the next row inner numbers on, the next k one number on
    (call $product (local.get $a) (i32.shl (local.get $inner) (i32.const 2)) (i32.const 4) (local.get $b) (local.get $c)
      (local.get $inner) (local.get $cols) (local.get $rowStart) (local.get $rowEnd)))

  ;; Rows rowStart to rowEnd (excluded) of C = Aᵀ · B, where A is stored inner × rows: the product of a transpose,
  ;; without writing the transpose out. Aᵀ[i][k] = A[k][i] is at a + 4 · (k · rows + i): the next row of Aᵀ one number
  ;; on, the next k a row of A on. The blocks below read A[k][i .. i+4), four numbers side by side.
  (func (export "matmulTransposedA")
    (param $a i32) (param $b i32) (param $c i32)
    (param $rows i32) (param $inner i32) (param $cols i32) (param $rowStart i32) (param $rowEnd i32)
    (call $product (local.get $a) (i32.const 4) (i32.shl (local.get $rows) (i32.const 2)) (local.get $b) (local.get $c)
      (local.get $inner) (local.get $cols) (local.get $rowStart) (local.get $rowEnd)))

  ;; Rows rowStart to rowEnd of C = A · B, for an A whose entry [i][k] is at a + i · aRow + k · aStep (bytes). The rows
  ;; and columns that do not fill a whole block of 4 rows × 8 columns are computed one entry at a time by $entries.
  (func $product
    (param $a i32) (param $aRow i32) (param $aStep i32) (param $b i32) (param $c i32)
    (param $inner i32) (param $cols i32) (param $rowStart i32) (param $rowEnd i32)
    (local $blockRowsEnd i32) (local $blockColsEnd i32)
    ;; whole blocks: up to the last multiple of 4 rows after rowStart, and of 8 columns
    (local.set $blockRowsEnd (i32.add (local.get $rowStart)
      (i32.and (i32.sub (local.get $rowEnd) (local.get $rowStart)) (i32.const -4))))
    (local.set $blockColsEnd (i32.and (local.get $cols) (i32.const -8)))
    (call $blocks (local.get $a) (local.get $aRow) (local.get $aStep) (local.get $b) (local.get $c) (local.get $inner)
      (local.get $cols) (local.get $rowStart) (local.get $blockRowsEnd) (local.get $blockColsEnd))
    ;; the columns right of the blocks, then the rows below them
    (call $entries (local.get $a) (local.get $aRow) (local.get $aStep) (local.get $b) (local.get $c) (local.get $inner)
      (local.get $cols) (local.get $rowStart) (local.get $blockRowsEnd) (local.get $blockColsEnd) (local.get $cols))
    (call $entries (local.get $a) (local.get $aRow) (local.get $aStep) (local.get $b) (local.get $c) (local.get $inner)
      (local.get $cols) (local.get $blockRowsEnd) (local.get $rowEnd) (i32.const 0) (local.get $cols)))

  ;; C[i][j .. j+8) for four rows i at a time: eight v128 accumulators (4 rows × 2 vectors of 4 columns)
  ;; stay in registers for the whole sum over k. Each step of k loads 8 numbers of B (two v128) and 4 of A
  ;; (each copied into all four lanes), and does 8 multiplies and 8 adds of 4 lanes: 64 floating-point
  ;; operations for 6 loads.
  (func $blocks
    (param $a i32) (param $aRow i32) (param $aStep i32) (param $b i32) (param $c i32) (param $inner i32) (param $cols i32)
    (param $rowStart i32) (param $rowEnd i32) (param $colsEnd i32)
    (local $i i32) (local $j i32) (local $k i32) (local $rowBytesB i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $pb i32) (local $pc i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowBytesB (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $i (local.get $rowStart))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $columns
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $colsEnd)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            ;; A[i][0] .. A[i+3][0], and B[0][j]
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $aRow)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (local.get $inner))
            (loop $sum
              ;; B[k][j .. j+4) and B[k][j+4 .. j+8)
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              ;; row i: A[i][k] in all four lanes, times both vectors of B, added to the row's accumulators
              (local.set $x (v128.load32_splat (local.get $a0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a2)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a3)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              ;; k + 1: one step along each row of A, one row down B
              (local.set $a0 (i32.add (local.get $a0) (local.get $aStep)))
              (local.set $a1 (i32.add (local.get $a1) (local.get $aStep)))
              (local.set $a2 (i32.add (local.get $a2) (local.get $aStep)))
              (local.set $a3 (i32.add (local.get $a3) (local.get $aStep)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowBytesB)))
              (local.set $k (i32.sub (local.get $k) (i32.const 1)))
              (br_if $sum (i32.gt_s (local.get $k) (i32.const 0))))
            ;; C[i .. i+4)[j .. j+8) = the accumulators
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytesB)) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesB)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesB)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesB)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $columns)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows))))

  ;; C[i][j] for the rows rowStart to rowEnd and the columns colStart to colEnd, one entry at a time: the
  ;; textbook dot product, for the edges the blocks do not cover.
  (func $entries
    (param $a i32) (param $aRow i32) (param $aStep i32) (param $b i32) (param $c i32) (param $inner i32) (param $cols i32)
    (param $rowStart i32) (param $rowEnd i32) (param $colStart i32) (param $colEnd i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pa i32) (local $pb i32) (local $sum f32)
    (local.set $i (local.get $rowStart))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
        (local.set $j (local.get $colStart))
        (block $colsDone
          (loop $columns
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $colEnd)))
            (local.set $sum (f32.const 0))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $sumDone
              (loop $sum
                (br_if $sumDone (i32.ge_u (local.get $k) (local.get $inner)))
                (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aStep)))
                (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $cols) (i32.const 2))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $sum)))
            (f32.store
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))
              (local.get $sum))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $columns)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; x[i][j] = tanh(x[i][j] + b[j]) for every row i of x (rows × cols) and the row b (cols): the hidden layer's bias
  ;; and tanh in one pass over x, four columns at a time; the columns left over (cols not a multiple of 4) one at a
  ;; time, by the same $tanh on a vector whose first lane is the number.
  (func (export "addRowAndTanh") (param $x i32) (param $b i32) (param $rows i32) (param $cols i32)
    (local $end i32) (local $rowEnd i32) (local $vectorsEnd i32) (local $pb i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $vectorsEnd (i32.add (local.get $x) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
        (local.set $pb (local.get $b))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $x) (local.get $vectorsEnd)))
            (v128.store (local.get $x)
              (call $tanh (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $pb)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (br $vectors)))
        (block $numbersDone
          (loop $numbers
            (br_if $numbersDone (i32.ge_u (local.get $x) (local.get $rowEnd)))
            (f32.store (local.get $x) (f32x4.extract_lane 0
              (call $tanh (f32x4.splat (f32.add (f32.load (local.get $x)) (f32.load (local.get $pb)))))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
            (br $numbers)))
        (br $rows))))

  ;; tanh of four numbers: Eigen's rational approximation (generic_fast_tanh_float in Eigen's MathFunctionsImpl.h,
  ;; also XLA's and ONNX Runtime's), an odd polynomial of degree 13 over an even one of degree 6, fitted to tanh by
  ;; the minimax method,
  ;;     tanh(x) ≈ x · (α1 + α3 x² + α5 x⁴ + … + α13 x¹²) / (β0 + β2 x² + β4 x⁴ + β6 x⁶),
  ;; after clamping x to ±7.90531110763549805, where the fraction computed in float32 gives ±1 (tanh(x) is within 5
  ;; ulps of it); further out the fraction would rise above 1, then fall away (0.96 at x = 20). Each sum is computed by
  ;; Horner's rule, from the highest power down. Below 0.0004, tanh(x) is x itself to float32's precision (x³/3 is under an ulp of x), and x
  ;; is kept as it is: the fraction would first multiply a tiny x by α1 ≈ 0.005 and lose its last digits. Its largest
  ;; error against Math.tanh, measured by tests/speed-provided.test.ts over a dense grid, is in lesson 18's README.
  (func $tanh (param $x v128) (result v128)
    (local $tiny v128) (local $x2 v128) (local $p v128) (local $q v128)
    (local.set $tiny (f32x4.lt (f32x4.abs (local.get $x)) (f32x4.splat (f32.const 0.0004))))
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -7.90531110763549805)))
      (f32x4.splat (f32.const 7.90531110763549805))))
    (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
    ;; the numerator: α13, then p · x² + α for α11, α9, …, α1, then times x
    (local.set $p (f32x4.splat (f32.const -2.76076847742355e-16)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const 2.00018790482477e-13))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const -8.60467152213735e-11))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const 5.12229709037114e-08))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const 1.48572235717979e-05))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const 6.37261928875436e-04))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (f32x4.splat (f32.const 4.89352455891786e-03))))
    (local.set $p (f32x4.mul (local.get $p) (local.get $x)))
    ;; the denominator: β6, then q · x² + β for β4, β2, β0
    (local.set $q (f32x4.splat (f32.const 1.19825839466702e-06)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (f32x4.splat (f32.const 1.18534705686654e-04))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (f32x4.splat (f32.const 2.26843463243900e-03))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (f32x4.splat (f32.const 4.89352518554385e-03))))
    ;; p / q, or x where x is tiny (the lanes of $tiny are all ones there, all zeros elsewhere)
    (v128.bitselect (local.get $x) (f32x4.div (local.get $p) (local.get $q)) (local.get $tiny)))

  ;; p[i] = p[i] − lr · g[i] for the count numbers of p and g: a plain gradient descent step on one parameter array,
  ;; four numbers at a time; the numbers left over (count not a multiple of 4) one at a time.
  (func (export "sgd") (param $p i32) (param $g i32) (param $count i32) (param $lr f32)
    (local $end i32) (local $vectorsEnd i32) (local $lrs v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $vectorsEnd (i32.add (local.get $p) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (local.set $lrs (f32x4.splat (local.get $lr)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $p) (local.get $vectorsEnd)))
        (v128.store (local.get $p)
          (f32x4.sub (v128.load (local.get $p)) (f32x4.mul (local.get $lrs) (v128.load (local.get $g)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $vectors)))
    (block $numbersDone
      (loop $numbers
        (br_if $numbersDone (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p)
          (f32.sub (f32.load (local.get $p)) (f32.mul (local.get $lr) (f32.load (local.get $g)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $numbers))))

  ;; The peak: `rounds` times the block loop above on one block of 4 rows × 8 columns with inner = 512, at the
  ;; byte addresses a, b and c (A is 8 KB, B 16 KB: both stay in the processor's fastest cache, the L1). Each round
  ;; is 4 · 8 · 512 multiply-adds, 32,768 floating-point operations, with nothing to wait for from memory: what this
  ;; kernel can do at best on this processor, which the products of real sizes are measured against.
  (func (export "peak") (param $rounds i32) (param $a i32) (param $b i32) (param $c i32)
    (block $done
      (loop $round
        (br_if $done (i32.le_s (local.get $rounds) (i32.const 0)))
        ;; A's rows are 512 numbers (2048 bytes) long
        (call $blocks (local.get $a) (i32.const 2048) (i32.const 4) (local.get $b) (local.get $c) (i32.const 512)
          (i32.const 8) (i32.const 0) (i32.const 4) (i32.const 8))
        (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
        (br $round))))
)
