;; Lesson 18, step 4: the matrix product with SIMD, in the WebAssembly text format.
;;
;; Assembled by the pinned `wabt` package when the tests, the bench or the lesson's measurements run
;; (scripts/lib/wasm-kernels.ts); no binary is kept in the repository. Loaded by src/simd-matmul.ts.
;;
;; Every matrix is float32, row after row, in the one shared memory, and is named by its byte address:
;; A is rows × inner, B is inner × cols, C is rows × cols. A v128 holds four float32 numbers ("lanes");
;; f32x4.mul and f32x4.add work on all four at once.
(module
  (memory (import "env" "memory") 1 65536 shared)

  ;; Rows rowStart to rowEnd (excluded) of C = A · B. The rows and columns that do not fill a whole block
  ;; of 4 rows × 8 columns are computed one entry at a time by $entries.
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $c i32)
    (param $inner i32) (param $cols i32) (param $rowStart i32) (param $rowEnd i32)
    (local $blockRowsEnd i32) (local $blockColsEnd i32)
    ;; whole blocks: up to the last multiple of 4 rows after rowStart, and of 8 columns
    (local.set $blockRowsEnd (i32.add (local.get $rowStart)
      (i32.and (i32.sub (local.get $rowEnd) (local.get $rowStart)) (i32.const -4))))
    (local.set $blockColsEnd (i32.and (local.get $cols) (i32.const -8)))
    (call $blocks (local.get $a) (local.get $b) (local.get $c) (local.get $inner) (local.get $cols)
      (local.get $rowStart) (local.get $blockRowsEnd) (local.get $blockColsEnd))
    ;; the columns right of the blocks, then the rows below them
    (call $entries (local.get $a) (local.get $b) (local.get $c) (local.get $inner) (local.get $cols)
      (local.get $rowStart) (local.get $blockRowsEnd) (local.get $blockColsEnd) (local.get $cols))
    (call $entries (local.get $a) (local.get $b) (local.get $c) (local.get $inner) (local.get $cols)
      (local.get $blockRowsEnd) (local.get $rowEnd) (i32.const 0) (local.get $cols)))

  ;; C[i][j .. j+8) for four rows i at a time: eight v128 accumulators (4 rows × 2 vectors of 4 columns)
  ;; stay in registers for the whole sum over k. Each step of k loads 8 numbers of B (two v128) and 4 of A
  ;; (each copied into all four lanes), and does 8 multiplies and 8 adds of 4 lanes: 64 floating-point
  ;; operations for 6 loads.
  (func $blocks
    (param $a i32) (param $b i32) (param $c i32) (param $inner i32) (param $cols i32)
    (param $rowStart i32) (param $rowEnd i32) (param $colsEnd i32)
    (local $i i32) (local $j i32) (local $k i32) (local $rowBytesA i32) (local $rowBytesB i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $pb i32) (local $pc i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowBytesA (i32.shl (local.get $inner) (i32.const 2)))
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
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytesA))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytesA)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $rowBytesA)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $rowBytesA)))
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
              ;; k + 1: one number along each row of A, one row down B
              (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
              (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
              (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
              (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
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
    (param $a i32) (param $b i32) (param $c i32) (param $inner i32) (param $cols i32)
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
            (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $inner)) (i32.const 2))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $sumDone
              (loop $sum
                (br_if $sumDone (i32.ge_u (local.get $k) (local.get $inner)))
                (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
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

  ;; The peak: `rounds` times the block loop above on one block of 4 rows × 8 columns with inner = 512, at the
  ;; byte addresses a, b and c (A is 8 KB, B 16 KB: both stay in the processor's fastest cache, the L1). Each round
  ;; is 4 · 8 · 512 multiply-adds, 32,768 floating-point operations, with nothing to wait for from memory: what this
  ;; kernel can do at best on this processor, which the products of real sizes are measured against.
  (func (export "peak") (param $rounds i32) (param $a i32) (param $b i32) (param $c i32)
    (block $done
      (loop $round
        (br_if $done (i32.le_s (local.get $rounds) (i32.const 0)))
        (call $blocks (local.get $a) (local.get $b) (local.get $c) (i32.const 512) (i32.const 8)
          (i32.const 0) (i32.const 4) (i32.const 8))
        (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
        (br $round))))
)
