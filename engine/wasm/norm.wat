;; The element-wise passes of group and batch norm in WebAssembly SIMD (f32x4), on the wasm
;; backend's heap like kernels.wat (its header says how it is built and loaded);
;; engine/src/wasmNormApply.ts has the maths. x and the other [n, S, C] tensors hold n slices of S
;; rows of C channels (C a multiple of 4); the per-channel parameters are [n, C], one row per
;; slice. Each pass walks the values once.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARING))

  ;; z = (x − shift)·scale + offset.
  (func (export "normApply")
    (param $x i32) (param $shift i32) (param $scale i32) (param $offset i32) (param $y i32)
    (param $n i32) (param $S i32) (param $C i32)
    (local $i i32) (local $s i32) (local $c i32) (local $cb i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (block $nDone (loop $ns
      (br_if $nDone (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i32.const 0))
      (block $sDone (loop $ss
        (br_if $sDone (i32.ge_s (local.get $s) (local.get $S)))
        (local.set $c (i32.const 0))
        (block $cDone (loop $cs
          (br_if $cDone (i32.ge_s (local.get $c) (local.get $cb)))
          (v128.store (local.get $y) (f32x4.add
            (f32x4.mul
              (f32x4.sub (v128.load (local.get $x)) (v128.load (i32.add (local.get $shift) (local.get $c))))
              (v128.load (i32.add (local.get $scale) (local.get $c))))
            (v128.load (i32.add (local.get $offset) (local.get $c)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $y (i32.add (local.get $y) (i32.const 16)))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br $cs)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ss)))
      (local.set $shift (i32.add (local.get $shift) (local.get $cb)))
      (local.set $scale (i32.add (local.get $scale) (local.get $cb)))
      (local.set $offset (i32.add (local.get $offset) (local.get $cb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $ns)))
  )

  ;; xs = x − shift; when silu ≠ 0 also dz = dy·g·(1 + z·(1 − g)), the gradient through
  ;; y = z·g with g = σ(z) (z and g as the forward pass saved them).
  (func (export "normBackDz")
    (param $dy i32) (param $x i32) (param $shift i32) (param $z i32) (param $g i32)
    (param $dz i32) (param $xs i32) (param $n i32) (param $S i32) (param $C i32) (param $silu i32)
    (local $i i32) (local $s i32) (local $c i32) (local $cb i32) (local $gv v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (block $nDone (loop $ns
      (br_if $nDone (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i32.const 0))
      (block $sDone (loop $ss
        (br_if $sDone (i32.ge_s (local.get $s) (local.get $S)))
        (local.set $c (i32.const 0))
        (block $cDone (loop $cs
          (br_if $cDone (i32.ge_s (local.get $c) (local.get $cb)))
          (v128.store (local.get $xs)
            (f32x4.sub (v128.load (local.get $x)) (v128.load (i32.add (local.get $shift) (local.get $c)))))
          (if (local.get $silu) (then
            (local.set $gv (v128.load (local.get $g)))
            (v128.store (local.get $dz) (f32x4.mul (f32x4.mul (v128.load (local.get $dy)) (local.get $gv))
              (f32x4.add (v128.const f32x4 1 1 1 1)
                (f32x4.mul (v128.load (local.get $z)) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $gv))))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 16)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br $cs)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ss)))
      (local.set $shift (i32.add (local.get $shift) (local.get $cb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $ns)))
  )

  ;; dx = dz·p + xs·q + r.
  (func (export "normDx")
    (param $dz i32) (param $xs i32) (param $p i32) (param $q i32) (param $r i32) (param $dx i32)
    (param $n i32) (param $S i32) (param $C i32)
    (local $i i32) (local $s i32) (local $c i32) (local $cb i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (block $nDone (loop $ns
      (br_if $nDone (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i32.const 0))
      (block $sDone (loop $ss
        (br_if $sDone (i32.ge_s (local.get $s) (local.get $S)))
        (local.set $c (i32.const 0))
        (block $cDone (loop $cs
          (br_if $cDone (i32.ge_s (local.get $c) (local.get $cb)))
          (v128.store (local.get $dx) (f32x4.add
            (f32x4.add
              (f32x4.mul (v128.load (local.get $dz)) (v128.load (i32.add (local.get $p) (local.get $c))))
              (f32x4.mul (v128.load (local.get $xs)) (v128.load (i32.add (local.get $q) (local.get $c)))))
            (v128.load (i32.add (local.get $r) (local.get $c)))))
          (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
          (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
          (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br $cs)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ss)))
      (local.set $p (i32.add (local.get $p) (local.get $cb)))
      (local.set $q (i32.add (local.get $q) (local.get $cb)))
      (local.set $r (i32.add (local.get $r) (local.get $cb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $ns)))
  )
)
