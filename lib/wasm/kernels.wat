;; Element-wise training kernels in WebAssembly SIMD (f32x4), run on the wasm backend's own
;; heap: the module imports tfjs-backend-wasm's memory, so every pointer is a byte offset into
;; it and nothing is copied. `npm run build:wasm` assembles it twice, for the threaded build's
;; shared memory and the single-threaded build's plain one (kernels.{shared,plain}.wasm,
;; committed); lib/src/backend/wasmSimd.ts loads them.
;; Every kernel works on channel counts that are a multiple of 4; callers check.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARING))

  ;; The gradient of a 2×2, stride-2 max pool that tiles its input exactly (NHWC, no padding):
  ;; rows2 = batch · output rows, ow output columns, c channels. Each window's gradient dy goes
  ;; to its first maximum in row-major order (strict >, from −∞: NaN or −∞ windows get none),
  ;; every other input gets 0 — the same answer as the general JavaScript loop in maxPoolGrad.ts.
  (func (export "maxPool2x2Grad")
    (param $x i32) (param $dy i32) (param $out i32) (param $rows2 i32) (param $ow i32) (param $c i32)
    (local $r i32) (local $col i32) (local $ch i32) (local $cb i32) (local $rowBytes i32)
    (local $p i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $g i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $best v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $d v128)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))                    ;; bytes per pixel
    (local.set $rowBytes (i32.mul (i32.shl (local.get $ow) (i32.const 1)) (local.get $cb)))
    (local.set $g (local.get $dy))
    (local.set $r (i32.const 0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows2)))
      (local.set $col (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $col) (local.get $ow)))
        ;; p: the window's top-left pixel, rows 2r and 2r + 1, columns 2col and 2col + 1
        (local.set $p (i32.add
          (i32.mul (i32.shl (local.get $r) (i32.const 1)) (local.get $rowBytes))
          (i32.mul (i32.shl (local.get $col) (i32.const 1)) (local.get $cb))))
        (local.set $ch (i32.const 0))
        (block $chDone (loop $chs
          (br_if $chDone (i32.ge_u (local.get $ch) (local.get $cb)))
          (local.set $a0 (i32.add (local.get $p) (local.get $ch)))
          (local.set $a1 (i32.add (local.get $a0) (local.get $cb)))
          (local.set $a2 (i32.add (local.get $a0) (local.get $rowBytes)))
          (local.set $a3 (i32.add (local.get $a2) (local.get $cb)))
          (local.set $v0 (v128.load (i32.add (local.get $x) (local.get $a0))))
          (local.set $v1 (v128.load (i32.add (local.get $x) (local.get $a1))))
          (local.set $v2 (v128.load (i32.add (local.get $x) (local.get $a2))))
          (local.set $v3 (v128.load (i32.add (local.get $x) (local.get $a3))))
          ;; running first maximum: m_k marks the lanes where v_k beats everything before it
          (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
          (local.set $m0 (f32x4.gt (local.get $v0) (local.get $best)))
          (local.set $best (v128.bitselect (local.get $v0) (local.get $best) (local.get $m0)))
          (local.set $m1 (f32x4.gt (local.get $v1) (local.get $best)))
          (local.set $best (v128.bitselect (local.get $v1) (local.get $best) (local.get $m1)))
          (local.set $m2 (f32x4.gt (local.get $v2) (local.get $best)))
          (local.set $best (v128.bitselect (local.get $v2) (local.get $best) (local.get $m2)))
          (local.set $m3 (f32x4.gt (local.get $v3) (local.get $best)))
          ;; the winner is the last k whose m_k is set: clear each m_k where a later one is set
          (local.set $m2 (v128.andnot (local.get $m2) (local.get $m3)))
          (local.set $m1 (v128.andnot (local.get $m1) (v128.or (local.get $m2) (local.get $m3))))
          (local.set $m0 (v128.andnot (local.get $m0)
            (v128.or (local.get $m1) (v128.or (local.get $m2) (local.get $m3)))))
          (local.set $d (v128.load (local.get $g)))
          (v128.store (i32.add (local.get $out) (local.get $a0)) (v128.and (local.get $d) (local.get $m0)))
          (v128.store (i32.add (local.get $out) (local.get $a1)) (v128.and (local.get $d) (local.get $m1)))
          (v128.store (i32.add (local.get $out) (local.get $a2)) (v128.and (local.get $d) (local.get $m2)))
          (v128.store (i32.add (local.get $out) (local.get $a3)) (v128.and (local.get $d) (local.get $m3)))
          (local.set $g (i32.add (local.get $g) (i32.const 16)))
          (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
          (br $chs)))
        (local.set $col (i32.add (local.get $col) (i32.const 1)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows)))
  )
)
