;; Fused kernels that run on the tfjs `wasm` backend's own memory.
;;
;; Why: every tfjs kernel is one pass over its operands, and a penalty built
;; from them (abs, square, sum, sign, scale) makes five or six passes where
;; one does. These functions make that one pass with 128-bit SIMD, reading and
;; writing tensors in place in the backend's heap (the memory is imported, so
;; no copies). The module has no memory, data or globals of its own: it can
;; never write anywhere but the addresses it is given.
;;
;; Sums are taken in float32 lanes over blocks of 4096 values, then added in
;; float64, so a sum over millions of weights keeps float32 accuracy.
(module
  (import "env" "memory" (memory 1))

  ;; The sum of the four lanes, in float64.
  (func $lanes (param $v v128) (result f64)
    (f64.add
      (f64.add
        (f64.promote_f32 (f32x4.extract_lane 0 (local.get $v)))
        (f64.promote_f32 (f32x4.extract_lane 1 (local.get $v))))
      (f64.add
        (f64.promote_f32 (f32x4.extract_lane 2 (local.get $v)))
        (f64.promote_f32 (f32x4.extract_lane 3 (local.get $v))))))

  ;; sign(v) * s lane by lane, with 0 for 0 (tfjs's `sign` on wasm is 0
  ;; below ~1e-7): s with v's sign bit where v is not 0. Written out in each
  ;; loop below: V8 does not inline calls between wasm functions.
  ;; Over the n floats at $x: returns (sum |x|, sum x²); when $grad is not 0
  ;; (never a tensor's address), also writes base + l1 * sign(x) + 2 * l2 * x
  ;; to the n floats at $grad, where base is the n floats at $base, or 0 when
  ;; $base is 0: the penalty's gradient added to the rest of the weight's.
  (func (export "l1l2") (param $x i32) (param $base i32) (param $grad i32) (param $n i32) (param $l1 f32) (param $l2 f32)
        (result f64 f64)
    (local $abs f64) (local $sq f64) (local $i i32) (local $vecEnd i32) (local $blockEnd i32)
    (local $v v128) (local $absAcc v128) (local $sqAcc v128) (local $l1v v128) (local $twoL2v v128)
    (local $s f32)
    (local.set $l1v (f32x4.splat (local.get $l1)))
    (local.set $twoL2v (f32x4.splat (f32.mul (f32.const 2) (local.get $l2))))
    (local.set $vecEnd (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (local.set $blockEnd (i32.add (local.get $i) (i32.const 4096)))
        (if (i32.gt_u (local.get $blockEnd) (local.get $vecEnd))
          (then (local.set $blockEnd (local.get $vecEnd))))
        (local.set $absAcc (v128.const f32x4 0 0 0 0))
        (local.set $sqAcc (v128.const f32x4 0 0 0 0))
        (if (local.get $grad)
          (then
            (loop $withGrad
              (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $absAcc (f32x4.add (local.get $absAcc) (f32x4.abs (local.get $v))))
              (local.set $sqAcc (f32x4.add (local.get $sqAcc) (f32x4.mul (local.get $v) (local.get $v))))
              (v128.store (i32.add (local.get $grad) (i32.shl (local.get $i) (i32.const 2)))
                (f32x4.add
                  (if (result v128) (local.get $base)
                    (then (v128.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
                    (else (v128.const f32x4 0 0 0 0)))
                  (f32x4.add
                    (v128.and (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0))
                              (v128.or (v128.and (local.get $v) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                                       (local.get $l1v)))
                    (f32x4.mul (local.get $v) (local.get $twoL2v)))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $withGrad (i32.lt_u (local.get $i) (local.get $blockEnd)))))
          (else
            (loop $valueOnly
              (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $absAcc (f32x4.add (local.get $absAcc) (f32x4.abs (local.get $v))))
              (local.set $sqAcc (f32x4.add (local.get $sqAcc) (f32x4.mul (local.get $v) (local.get $v))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $valueOnly (i32.lt_u (local.get $i) (local.get $blockEnd))))))
        (local.set $abs (f64.add (local.get $abs) (call $lanes (local.get $absAcc))))
        (local.set $sq (f64.add (local.get $sq) (call $lanes (local.get $sqAcc))))
        (br $blocks)))
    ;; The last n mod 4 values, one at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $abs (f64.add (local.get $abs) (f64.promote_f32 (f32.abs (local.get $s)))))
        (local.set $sq (f64.add (local.get $sq) (f64.promote_f32 (f32.mul (local.get $s) (local.get $s)))))
        (if (local.get $grad)
          (then
            (f32.store (i32.add (local.get $grad) (i32.shl (local.get $i) (i32.const 2)))
              (f32.add
                (if (result f32) (local.get $base)
                  (then (f32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
                  (else (f32.const 0)))
                (f32.add
                  (select (f32.copysign (local.get $l1) (local.get $s)) (f32.const 0) (f32.ne (local.get $s) (f32.const 0)))
                  (f32.mul (local.get $s) (f32.mul (f32.const 2) (local.get $l2))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $abs)
    (local.get $sq))

  ;; One SGD step with the penalty's gradient folded in: writes
  ;; w - lr * (g + l1 * sign(w) + 2 * l2 * w) to the n floats at $out, and
  ;; returns (sum |w|, sum w²) of the weights before the step. With l1 and
  ;; l2 0 it is Keras's plain `w - lr * g`, in one pass instead of two.
  (func (export "sgdL1L2") (param $w i32) (param $g i32) (param $out i32) (param $n i32)
        (param $lr f32) (param $l1 f32) (param $l2 f32) (result f64 f64)
    (local $abs f64) (local $sq f64) (local $i i32) (local $vecEnd i32) (local $blockEnd i32) (local $offset i32)
    (local $v v128) (local $absAcc v128) (local $sqAcc v128) (local $l1v v128) (local $twoL2v v128) (local $lrv v128)
    (local $s f32)
    (local.set $l1v (f32x4.splat (local.get $l1)))
    (local.set $twoL2v (f32x4.splat (f32.mul (f32.const 2) (local.get $l2))))
    (local.set $lrv (f32x4.splat (local.get $lr)))
    (local.set $vecEnd (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $vecEnd)))
        (local.set $blockEnd (i32.add (local.get $i) (i32.const 4096)))
        (if (i32.gt_u (local.get $blockEnd) (local.get $vecEnd))
          (then (local.set $blockEnd (local.get $vecEnd))))
        (local.set $absAcc (v128.const f32x4 0 0 0 0))
        (local.set $sqAcc (v128.const f32x4 0 0 0 0))
        (loop $vec
          (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
          (local.set $v (v128.load (i32.add (local.get $w) (local.get $offset))))
          (local.set $absAcc (f32x4.add (local.get $absAcc) (f32x4.abs (local.get $v))))
          (local.set $sqAcc (f32x4.add (local.get $sqAcc) (f32x4.mul (local.get $v) (local.get $v))))
          (v128.store (i32.add (local.get $out) (local.get $offset))
            (f32x4.sub (local.get $v)
              (f32x4.mul (local.get $lrv)
                (f32x4.add
                  (v128.load (i32.add (local.get $g) (local.get $offset)))
                  (f32x4.add
                    (v128.and (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0))
                              (v128.or (v128.and (local.get $v) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                                       (local.get $l1v)))
                    (f32x4.mul (local.get $v) (local.get $twoL2v)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $vec (i32.lt_u (local.get $i) (local.get $blockEnd))))
        (local.set $abs (f64.add (local.get $abs) (call $lanes (local.get $absAcc))))
        (local.set $sq (f64.add (local.get $sq) (call $lanes (local.get $sqAcc))))
        (br $blocks)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
        (local.set $s (f32.load (i32.add (local.get $w) (local.get $offset))))
        (local.set $abs (f64.add (local.get $abs) (f64.promote_f32 (f32.abs (local.get $s)))))
        (local.set $sq (f64.add (local.get $sq) (f64.promote_f32 (f32.mul (local.get $s) (local.get $s)))))
        (f32.store (i32.add (local.get $out) (local.get $offset))
          (f32.sub (local.get $s)
            (f32.mul (local.get $lr)
              (f32.add
                (f32.load (i32.add (local.get $g) (local.get $offset)))
                (f32.add
                  (select (f32.copysign (local.get $l1) (local.get $s)) (f32.const 0) (f32.ne (local.get $s) (f32.const 0)))
                  (f32.mul (local.get $s) (f32.mul (f32.const 2) (local.get $l2))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $abs)
    (local.get $sq))

;; For a block of a Gram matrix, P [rows, cols] at $p whose entry (r, c) is
  ;; the pair (rowStart + r, colStart + c), and returns the sum of |P| over
  ;; the entries it takes, writing sign(P) there and 0 elsewhere to $out:
  ;; with $lowerToo 0, the entries above the whole matrix's diagonal; with 1,
  ;; every entry off the diagonal. With $out 0 (never a tensor's address: the
  ;; heap's allocator does not return 0) only the sum is taken.
  (func (export "gramAbsSumSign") (param $p i32) (param $out i32) (param $rows i32) (param $cols i32)
        (param $rowStart i32) (param $colStart i32) (param $lowerToo i32) (result f64)
    (local $total f64) (local $r i32) (local $c i32) (local $first i32) (local $vecEnd i32) (local $rowBase i32)
    (local $v v128) (local $acc v128) (local $s f32) (local $diagonal i32)
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; Columns before $first are on or below the diagonal (none when $lowerToo).
        (local.set $diagonal (i32.sub (i32.add (local.get $rowStart) (local.get $r)) (local.get $colStart)))
        (local.set $first (select (i32.const 0) (i32.add (local.get $diagonal) (i32.const 1)) (local.get $lowerToo)))
        (if (i32.lt_s (local.get $first) (i32.const 0)) (then (local.set $first (i32.const 0))))
        (if (i32.gt_s (local.get $first) (local.get $cols)) (then (local.set $first (local.get $cols))))
        (local.set $rowBase (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
        (if (local.get $out)
          (then (memory.fill (i32.add (local.get $out) (local.get $rowBase)) (i32.const 0)
                             (i32.shl (local.get $first) (i32.const 2)))))
        (local.set $c (local.get $first))
        (local.set $vecEnd (i32.sub (local.get $cols) (i32.const 3)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_s (local.get $c) (local.get $vecEnd)))
            (local.set $v (v128.load (i32.add (i32.add (local.get $p) (local.get $rowBase))
                                              (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.abs (local.get $v))))
            (if (local.get $out)
              (then
                (v128.store (i32.add (i32.add (local.get $out) (local.get $rowBase)) (i32.shl (local.get $c) (i32.const 2)))
                  (v128.and (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0))
                            (v128.or (v128.and (local.get $v) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                                     (v128.const f32x4 1 1 1 1))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (local.set $total (f64.add (local.get $total) (call $lanes (local.get $acc))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $c) (local.get $cols)))
            (local.set $s (f32.load (i32.add (i32.add (local.get $p) (local.get $rowBase))
                                             (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $total (f64.add (local.get $total) (f64.promote_f32 (f32.abs (local.get $s)))))
            (if (local.get $out)
              (then
                (f32.store (i32.add (i32.add (local.get $out) (local.get $rowBase)) (i32.shl (local.get $c) (i32.const 2)))
                  (select (f32.copysign (f32.const 1) (local.get $s)) (f32.const 0) (f32.ne (local.get $s) (f32.const 0))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        ;; With $lowerToo the diagonal entry was taken: take it back.
        (if (i32.and (local.get $lowerToo)
                     (i32.and (i32.ge_s (local.get $diagonal) (i32.const 0))
                              (i32.lt_s (local.get $diagonal) (local.get $cols))))
          (then
            (local.set $total
              (f64.sub (local.get $total)
                (f64.promote_f32 (f32.abs (f32.load (i32.add (i32.add (local.get $p) (local.get $rowBase))
                                                            (i32.shl (local.get $diagonal) (i32.const 2))))))))
            (if (local.get $out)
              (then (f32.store (i32.add (i32.add (local.get $out) (local.get $rowBase))
                                        (i32.shl (local.get $diagonal) (i32.const 2)))
                               (f32.const 0))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow)))
    (local.get $total))

  ;; The gradient of a max pool whose windows do not overlap (strides equal
  ;; to the pool, 'valid' padding), NHWC, channels a multiple of 4: each
  ;; window's output gradient goes to the first input (row-major) equal to
  ;; the window's max, as tfjs's MaxPoolGrad does; every other input gets 0.
  ;; x [batch, inH, inW, channels], y and dy [batch, outH, outW, channels].
  (func (export "maxPoolGrad") (param $x i32) (param $y i32) (param $dy i32) (param $dx i32)
        (param $batch i32) (param $inH i32) (param $inW i32) (param $channels i32)
        (param $poolH i32) (param $poolW i32) (param $outH i32) (param $outW i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $c i32) (local $i i32) (local $j i32)
    (local $outAt i32) (local $inAt i32)
    (local $max v128) (local $g v128) (local $taken v128) (local $hit v128)
    (memory.fill (local.get $dx) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (local.get $batch) (local.get $inH))
                        (i32.mul (local.get $inW) (local.get $channels)))
               (i32.const 2)))
    (block $batchDone (loop $eachBatch
      (br_if $batchDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $ow (i32.const 0))
        (block $colsDone (loop $eachCol
          (br_if $colsDone (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $c (i32.const 0))
          (block $channelsDone (loop $eachChannels
            (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $channels)))
            ;; Byte offset of (b, oh, ow, c) in y and dy.
            (local.set $outAt (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $outH)) (local.get $oh))
                                                  (local.get $outW))
                                         (local.get $ow))
                                (local.get $channels))
                       (local.get $c))
              (i32.const 2)))
            (local.set $max (v128.load (i32.add (local.get $y) (local.get $outAt))))
            (local.set $g (v128.load (i32.add (local.get $dy) (local.get $outAt))))
            (local.set $taken (v128.const i32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $tapRowsDone (loop $eachTapRow
              (br_if $tapRowsDone (i32.ge_u (local.get $i) (local.get $poolH)))
              ;; Byte offset of (b, oh * poolH + i, ow * poolW, c) in x and dx.
              (local.set $inAt (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH))
                                                             (i32.add (i32.mul (local.get $oh) (local.get $poolH)) (local.get $i)))
                                                    (local.get $inW))
                                           (i32.mul (local.get $ow) (local.get $poolW)))
                                  (local.get $channels))
                         (local.get $c))
                (i32.const 2)))
              (local.set $j (i32.const 0))
              (block $tapsDone (loop $eachTap
                (br_if $tapsDone (i32.ge_u (local.get $j) (local.get $poolW)))
                (local.set $hit (v128.andnot
                  (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $inAt))) (local.get $max))
                  (local.get $taken)))
                (v128.store (i32.add (local.get $dx) (local.get $inAt)) (v128.and (local.get $hit) (local.get $g)))
                (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
                (local.set $inAt (i32.add (local.get $inAt) (i32.shl (local.get $channels) (i32.const 2))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $eachTap)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $eachTapRow)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $eachChannels)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $eachCol)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $eachRow)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachBatch))))

  ;; Column sums of a [rows, cols] matrix, cols a multiple of 4: the gradient
  ;; of a bias added along the last axis. float32, in row order, as tfjs sums.
  (func (export "columnSums") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $at i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (local.set $at (local.get $x))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $eachCols
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $out) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $c)))
                     (v128.load (i32.add (local.get $at) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $eachCols)))
      (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))
  ;; Column sums of squares of a [rows, cols] matrix, cols a multiple of 4:
  ;; the norms² of the weight constraints (MaxNorm, MinMaxNorm, UnitNorm) over
  ;; every axis but the last, in one pass (tfjs's Sum transposes first).
  (func (export "columnSumSquares") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $at i32) (local $rowBytes i32) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (local.set $at (local.get $x))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $eachCols
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (local.set $v (v128.load (i32.add (local.get $at) (local.get $c))))
        (v128.store (i32.add (local.get $out) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $c)))
                     (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $eachCols)))
      (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))
  ;; out[r, c] = x[r, c] * f[c] for x [rows, cols], cols a multiple of 4: a
  ;; weight's columns rescaled by a norm constraint (tfjs's multiply of a
  ;; broadcast row takes its slow, per-element indexing path).
  (func (export "scaleColumns") (param $x i32) (param $f i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $src i32) (local $dst i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $src (local.get $x))
    (local.set $dst (local.get $out))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $eachCols
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $dst) (local.get $c))
          (f32x4.mul (v128.load (i32.add (local.get $src) (local.get $c)))
                     (v128.load (i32.add (local.get $f) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $eachCols)))
      (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))
  ;; The transposed patches of a convolution's input, so that its kernel
  ;; gradient is one matmul, patchesT @ dy:
  ;;   out[(kd, kh, kw, c), (b, od, oh, ow)] = x[b, od * strideD + kd * dilationD,
  ;;     oh * strideH + kh * dilationH, ow * strideW + kw * dilationW, c],
  ;; x [batch, inD, inH, inW, channels] channels-last, every window inside x
  ;; ('valid'); a 2D convolution has inD = kD = outD = 1. With channels a
  ;; multiple of 4, four channels at a time: four input pixels' channels
  ;; c..c+3 are loaded as vectors and transposed into four output rows, each
  ;; written front to back.
  (func (export "patchesT") (param $x i32) (param $out i32)
        (param $batch i32) (param $inD i32) (param $inH i32) (param $inW i32) (param $channels i32)
        (param $kD i32) (param $kH i32) (param $kW i32)
        (param $outD i32) (param $outH i32) (param $outW i32)
        (param $strideD i32) (param $strideH i32) (param $strideW i32)
        (param $dilationD i32) (param $dilationH i32) (param $dilationW i32)
    (local $rowBytes i32) (local $pixelStep i32) (local $cStep i32) (local $vectorCols i32)
    (local $b i32) (local $od i32) (local $kd i32) (local $kh i32) (local $kw i32) (local $c i32) (local $oh i32)
    (local $ow i32) (local $row i32) (local $src i32) (local $dst i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $t0 v128) (local $t1 v128)
    (local $t2 v128) (local $t3 v128) (local $i i32)
    ;; Bytes of one output row: batch * outD * outH * outW floats.
    (local.set $rowBytes (i32.shl (i32.mul (i32.mul (local.get $batch) (local.get $outD))
                                           (i32.mul (local.get $outH) (local.get $outW)))
                                  (i32.const 2)))
    ;; Bytes from one output position's input pixel to the next one's.
    (local.set $pixelStep (i32.shl (i32.mul (local.get $strideW) (local.get $channels)) (i32.const 2)))
    (local.set $cStep (select (i32.const 4) (i32.const 1) (i32.eqz (i32.and (local.get $channels) (i32.const 3)))))
    (local.set $vectorCols (select (i32.and (local.get $outW) (i32.const -4)) (i32.const 0) (i32.eq (local.get $cStep) (i32.const 4))))
    (block $batchDone (loop $eachBatch
      (br_if $batchDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $od (i32.const 0))
      (block $depthsDone (loop $eachDepth
        (br_if $depthsDone (i32.ge_u (local.get $od) (local.get $outD)))
        ;; $row: the output row of tap (kd, kh, kw), channel c.
        (local.set $row (i32.const 0))
        (local.set $kd (i32.const 0))
        (block $depthTapsDone (loop $eachDepthTap
          (br_if $depthTapsDone (i32.ge_u (local.get $kd) (local.get $kD)))
          (local.set $kh (i32.const 0))
          (block $rowTapsDone (loop $eachRowTap
            (br_if $rowTapsDone (i32.ge_u (local.get $kh) (local.get $kH)))
            (local.set $kw (i32.const 0))
            (block $colTapsDone (loop $eachColTap
              (br_if $colTapsDone (i32.ge_u (local.get $kw) (local.get $kW)))
              (local.set $c (i32.const 0))
              (block $channelsDone (loop $eachChannels
                (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $channels)))
                (local.set $oh (i32.const 0))
                (block $outRowsDone (loop $eachOutRow
                  (br_if $outRowsDone (i32.ge_u (local.get $oh) (local.get $outH)))
                  ;; Address of x[b, od * strideD + kd * dilationD, oh * strideH + kh * dilationH, kw * dilationW, c].
                  (local.set $src (i32.add (local.get $x) (i32.shl
                    (i32.add
                      (i32.mul
                        (i32.add
                          (i32.mul
                            (i32.add
                              (i32.mul
                                (i32.add (i32.mul (local.get $b) (local.get $inD))
                                         (i32.add (i32.mul (local.get $od) (local.get $strideD))
                                                  (i32.mul (local.get $kd) (local.get $dilationD))))
                                (local.get $inH))
                              (i32.add (i32.mul (local.get $oh) (local.get $strideH))
                                       (i32.mul (local.get $kh) (local.get $dilationH))))
                            (local.get $inW))
                          (i32.mul (local.get $kw) (local.get $dilationW)))
                        (local.get $channels))
                      (local.get $c))
                    (i32.const 2))))
                  ;; Address of out[row + c, (b, od, oh, 0)].
                  (local.set $dst (i32.add (i32.add (local.get $out)
                                                    (i32.mul (i32.add (local.get $row) (local.get $c)) (local.get $rowBytes)))
                    (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $outD)) (local.get $od))
                                                        (local.get $outH))
                                               (local.get $oh))
                                      (local.get $outW))
                             (i32.const 2))))
                  (local.set $ow (i32.const 0))
                  (block $vectorsDone (loop $eachVector
                    (br_if $vectorsDone (i32.ge_u (local.get $ow) (local.get $vectorCols)))
                    (local.set $a0 (v128.load (local.get $src)))
                    (local.set $a1 (v128.load (i32.add (local.get $src) (local.get $pixelStep))))
                    (local.set $a2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $pixelStep) (i32.const 1)))))
                    (local.set $a3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $pixelStep) (i32.const 3)))))
                    ;; 4 x 4 transpose: lanes (pixel j, channel i) -> (channel i, pixel j).
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
                    (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
                    (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
                    (v128.store (local.get $dst)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
                    (v128.store (i32.add (local.get $dst) (local.get $rowBytes))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
                    (v128.store (i32.add (local.get $dst) (i32.shl (local.get $rowBytes) (i32.const 1)))
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
                    (v128.store (i32.add (local.get $dst) (i32.mul (local.get $rowBytes) (i32.const 3)))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3)))
                    (local.set $src (i32.add (local.get $src) (i32.shl (local.get $pixelStep) (i32.const 2))))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                    (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
                    (br $eachVector)))
                  ;; The remaining positions, one channel of the $cStep at a time.
                  (block $scalarsDone (loop $eachScalar
                    (br_if $scalarsDone (i32.ge_u (local.get $ow) (local.get $outW)))
                    (local.set $i (i32.const 0))
                    (block $laneDone (loop $eachLane
                      (br_if $laneDone (i32.ge_u (local.get $i) (local.get $cStep)))
                      (f32.store (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $rowBytes)))
                                 (f32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $eachLane)))
                    (local.set $src (i32.add (local.get $src) (local.get $pixelStep)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                    (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                    (br $eachScalar)))
                  (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
                  (br $eachOutRow)))
                (local.set $c (i32.add (local.get $c) (local.get $cStep)))
                (br $eachChannels)))
              (local.set $row (i32.add (local.get $row) (local.get $channels)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $eachColTap)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $eachRowTap)))
          (local.set $kd (i32.add (local.get $kd) (i32.const 1)))
          (br $eachDepthTap)))
        (local.set $od (i32.add (local.get $od) (i32.const 1)))
        (br $eachDepth)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachBatch))))

  ;; The gradient of relu: dy where x > 0, 0 elsewhere, NaN where x is NaN
  ;; (as tfjs's dy * step(x)); n floats.
  (func (export "reluGrad") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $at i32) (local $vectorEnd i32) (local $end i32) (local $v v128) (local $s f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $end) (i32.const -16)))
    (block $vectorsDone (loop $eachVector
      (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
      (local.set $v (v128.load (i32.add (local.get $x) (local.get $at))))
      (v128.store (i32.add (local.get $dx) (local.get $at))
        (v128.or
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $at)))
                    (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0)))
          (v128.and (local.get $v) (f32x4.ne (local.get $v) (local.get $v)))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $eachVector)))
    (block $tailDone (loop $eachTail
      (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $s (f32.load (i32.add (local.get $x) (local.get $at))))
      (f32.store (i32.add (local.get $dx) (local.get $at))
        (select (f32.load (i32.add (local.get $dy) (local.get $at)))
                (select (local.get $s) (f32.const 0) (f32.ne (local.get $s) (local.get $s)))
                (f32.gt (local.get $s) (f32.const 0))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $eachTail))))
  ;; A convolution kernel [taps, inC, outC] flipped in every spatial axis
  ;; (the tap order reversed) with its channels swapped: out[taps - 1 - t,
  ;; o, i] = k[t, i, o]. The input gradient convolves with it.
  (func (export "flipKernel") (param $k i32) (param $out i32) (param $taps i32) (param $inC i32) (param $outC i32)
    (local $t i32) (local $i i32) (local $o i32) (local $tapFloats i32) (local $src i32) (local $dstTap i32)
    (local.set $tapFloats (i32.mul (local.get $inC) (local.get $outC)))
    (local.set $src (local.get $k))
    (block $tapsDone (loop $eachTap
      (br_if $tapsDone (i32.ge_u (local.get $t) (local.get $taps)))
      (local.set $dstTap (i32.add (local.get $out) (i32.shl
        (i32.mul (i32.sub (i32.sub (local.get $taps) (i32.const 1)) (local.get $t)) (local.get $tapFloats))
        (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $inDone (loop $eachIn
        (br_if $inDone (i32.ge_u (local.get $i) (local.get $inC)))
        (local.set $o (i32.const 0))
        (block $outDone (loop $eachOut
          (br_if $outDone (i32.ge_u (local.get $o) (local.get $outC)))
          (f32.store (i32.add (local.get $dstTap) (i32.shl (i32.add (i32.mul (local.get $o) (local.get $inC)) (local.get $i))
                                                           (i32.const 2)))
                     (f32.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 4)))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (br $eachOut)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachIn)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $eachTap))))
  ;; Every $step-th row of a [outer, rows, rowFloats] array from row $first,
  ;; $count of them: out[o, i, :] = x[o, first + i * step, :]. A strided
  ;; slice along one axis, as block copies (tfjs's Slice on wasm copies
  ;; these at a fraction of memory speed).
  (func (export "stridedRows") (param $x i32) (param $out i32) (param $outer i32) (param $rows i32)
        (param $rowFloats i32) (param $first i32) (param $step i32) (param $count i32)
    (local $o i32) (local $i i32) (local $rowBytes i32) (local $src i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $rowFloats) (i32.const 2)))
    (local.set $dst (local.get $out))
    (block $outerDone (loop $eachOuter
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $src (i32.add (local.get $x)
        (i32.mul (i32.add (i32.mul (local.get $o) (local.get $rows)) (local.get $first)) (local.get $rowBytes))))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $count)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $rowBytes))
        (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
        (local.set $src (i32.add (local.get $src) (i32.mul (local.get $step) (local.get $rowBytes))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachRow)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachOuter))))
  ;; The gradient at a layer's output y (before the activation) when an
  ;; activity penalty dp * (l1 * sum|y| + l2 * sum y²) is taken from y too:
  ;;   dz = dy + a * sign(y) + b * y,  a = dp * l1, b = 2 * dp * l2,
  ;; then, with $relu, y = relu(z) and dz is kept where y > 0, 0 elsewhere,
  ;; NaN where y is NaN (as relu's own gradient). n floats. One loop per
  ;; case: V8 does not move the test out of the loop.
  (func (export "activityGrad") (param $y i32) (param $dy i32) (param $dz i32) (param $n i32)
        (param $a f32) (param $b f32) (param $relu i32)
    (local $at i32) (local $vectorEnd i32) (local $end i32) (local $v v128)
    (local $av v128) (local $bv v128) (local $s f32) (local $h f32)
    (local.set $av (f32x4.splat (local.get $a)))
    (local.set $bv (f32x4.splat (local.get $b)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $end) (i32.const -16)))
    (if (local.get $relu)
      (then
        ;; Where y > 0, sign(y) is 1.
        (block $reluDone (loop $eachRelu
          (br_if $reluDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
          (local.set $v (v128.load (i32.add (local.get $y) (local.get $at))))
          (v128.store (i32.add (local.get $dz) (local.get $at))
            (v128.or
              (v128.and
                (f32x4.add (f32x4.add (v128.load (i32.add (local.get $dy) (local.get $at))) (local.get $av))
                           (f32x4.mul (local.get $bv) (local.get $v)))
                (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0)))
              (v128.and (local.get $v) (f32x4.ne (local.get $v) (local.get $v)))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (br $eachRelu))))
      (else
        (block $linearDone (loop $eachLinear
          (br_if $linearDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
          (local.set $v (v128.load (i32.add (local.get $y) (local.get $at))))
          (v128.store (i32.add (local.get $dz) (local.get $at))
            (f32x4.add
              (f32x4.add (v128.load (i32.add (local.get $dy) (local.get $at)))
                         ;; a with y's sign, 0 where y is 0.
                         (v128.and
                           (v128.bitselect (local.get $v) (local.get $av)
                                           (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                           (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0))))
              (f32x4.mul (local.get $bv) (local.get $v))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (br $eachLinear)))))
    (block $tailDone (loop $eachTail
      (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $s (f32.load (i32.add (local.get $y) (local.get $at))))
      (local.set $h (f32.add (f32.add (f32.load (i32.add (local.get $dy) (local.get $at)))
                                      (select (f32.copysign (local.get $a) (local.get $s)) (f32.const 0)
                                              (f32.ne (local.get $s) (f32.const 0))))
                             (f32.mul (local.get $b) (local.get $s))))
      (if (local.get $relu)
        (then (local.set $h (select (local.get $h)
                                    (select (local.get $s) (f32.const 0) (f32.ne (local.get $s) (local.get $s)))
                                    (f32.gt (local.get $s) (f32.const 0))))))
      (f32.store (i32.add (local.get $dz) (local.get $at)) (local.get $h))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $eachTail))))

  ;; The gradient of stridedRows: zeros [outer, rows, rowFloats] with
  ;; out[o, first + i * step, :] = dy[o, i, :] for i < count.
  (func (export "stridedRowsGrad") (param $dy i32) (param $out i32) (param $outer i32) (param $rows i32)
        (param $rowFloats i32) (param $first i32) (param $step i32) (param $count i32)
    (local $o i32) (local $i i32) (local $rowBytes i32) (local $src i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $rowFloats) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0)
      (i32.mul (i32.mul (local.get $outer) (local.get $rows)) (local.get $rowBytes)))
    (local.set $src (local.get $dy))
    (block $outerDone (loop $eachOuter
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $dst (i32.add (local.get $out)
        (i32.mul (i32.add (i32.mul (local.get $o) (local.get $rows)) (local.get $first)) (local.get $rowBytes))))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $count)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $rowBytes))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $step) (local.get $rowBytes))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachRow)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachOuter))))
  ;; out[b, c, r] = x[b, r, c]: the last two axes of a [batch, rows, cols]
  ;; array swapped. With rows and cols multiples of 4, in 4 x 4 blocks: four
  ;; rows' vectors loaded, transposed by shuffles, stored into four output rows.
  (func (export "transposeLast2") (param $x i32) (param $out i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $b i32) (local $r i32) (local $c i32) (local $inRow i32) (local $outCol i32)
    (local $inStride i32) (local $outStride i32) (local $matrixBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $inStride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outStride (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $matrixBytes (i32.mul (local.get $inStride) (local.get $rows)))
    (block $batchDone (loop $eachMatrix
      (br_if $batchDone (i32.ge_u (local.get $b) (local.get $batch)))
      (if (i32.eqz (i32.and (i32.or (local.get $rows) (local.get $cols)) (i32.const 3)))
        (then
          (local.set $r (i32.const 0))
          (block $stripsDone (loop $eachStrip
            (br_if $stripsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $inRow (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $inStride))))
            (local.set $outCol (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
            (local.set $c (i32.const 0))
            (block $blocksDone (loop $eachBlock
              (br_if $blocksDone (i32.ge_u (local.get $c) (local.get $cols)))
              (local.set $a0 (v128.load (local.get $inRow)))
              (local.set $a1 (v128.load (i32.add (local.get $inRow) (local.get $inStride))))
              (local.set $a2 (v128.load (i32.add (local.get $inRow) (i32.shl (local.get $inStride) (i32.const 1)))))
              (local.set $a3 (v128.load (i32.add (local.get $inRow) (i32.mul (local.get $inStride) (i32.const 3)))))
              (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
              (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
              (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
              (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
              (v128.store (local.get $outCol)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
              (v128.store (i32.add (local.get $outCol) (local.get $outStride))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
              (v128.store (i32.add (local.get $outCol) (i32.shl (local.get $outStride) (i32.const 1)))
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
              (v128.store (i32.add (local.get $outCol) (i32.mul (local.get $outStride) (i32.const 3)))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3)))
              (local.set $inRow (i32.add (local.get $inRow) (i32.const 16)))
              (local.set $outCol (i32.add (local.get $outCol) (i32.shl (local.get $outStride) (i32.const 2))))
              (local.set $c (i32.add (local.get $c) (i32.const 4)))
              (br $eachBlock)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $eachStrip))))
        (else
          (local.set $r (i32.const 0))
          (block $rowsDone (loop $eachRow
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $inRow (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $inStride))))
            (local.set $outCol (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
            (local.set $c (i32.const 0))
            (block $colsDone (loop $eachCol
              (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
              (f32.store (local.get $outCol) (f32.load (local.get $inRow)))
              (local.set $inRow (i32.add (local.get $inRow) (i32.const 4)))
              (local.set $outCol (i32.add (local.get $outCol) (local.get $outStride)))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $eachCol)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $eachRow)))))
      (local.set $x (i32.add (local.get $x) (local.get $matrixBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $matrixBytes)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachMatrix))))
)
