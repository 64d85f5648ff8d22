;; Element-wise training kernels in WebAssembly SIMD (f32x4), run on the wasm backend's own
;; heap: the module imports tfjs-backend-wasm's memory, so every pointer is a byte offset into
;; it and nothing is copied. `npm run build:wasm` assembles it twice, for the threaded build's
;; shared memory and the single-threaded build's plain one (kernels.{shared,plain}.wasm,
;; committed); engine/src/wasmSimd.ts loads them.
;; Kernels over channels need a multiple of 4 of them; callers check.
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

  ;; One Adam step of n values (engine/src/wasmAdam.ts has the maths), in float32 as tf.train.adam:
  ;;   m' = β1·m + a1·g,  v' = β2·v + a2·g·g,  w' = w + k1·m' / (√(v'·k2) + ε)
  ;; with a1 = 1 − β1, a2 = 1 − β2, k1 = −lr / (1 − β1ᵗ), k2 = 1 / (1 − β2ᵗ). Four values at a
  ;; time, then the last n mod 4 one by one. Reads w, g, m, v; writes w', m', v' elsewhere.
  (func (export "adamUpdate")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $nw i32) (param $nm i32) (param $nv i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $a1 f32) (param $a2 f32)
    (param $k1 f32) (param $k2 f32) (param $eps f32)
    (local $i i32) (local $end4 i32) (local $end i32)
    (local $B1 v128) (local $B2 v128) (local $A1 v128) (local $A2 v128) (local $K1 v128)
    (local $K2 v128) (local $E v128) (local $gx v128) (local $mx v128) (local $vx v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $beta1)))
    (local.set $B2 (f32x4.splat (local.get $beta2)))
    (local.set $A1 (f32x4.splat (local.get $a1)))
    (local.set $A2 (f32x4.splat (local.get $a2)))
    (local.set $K1 (f32x4.splat (local.get $k1)))
    (local.set $K2 (f32x4.splat (local.get $k2)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.ge_u (local.get $i) (local.get $end4)))
      (local.set $gx (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $mx (f32x4.add
        (f32x4.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $i))))
        (f32x4.mul (local.get $A1) (local.get $gx))))
      (local.set $vx (f32x4.add
        (f32x4.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $i))))
        (f32x4.mul (f32x4.mul (local.get $A2) (local.get $gx)) (local.get $gx))))
      (v128.store (i32.add (local.get $nm) (local.get $i)) (local.get $mx))
      (v128.store (i32.add (local.get $nv) (local.get $i)) (local.get $vx))
      (v128.store (i32.add (local.get $nw) (local.get $i)) (f32x4.add
        (v128.load (i32.add (local.get $w) (local.get $i)))
        (f32x4.div (f32x4.mul (local.get $K1) (local.get $mx))
          (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vx) (local.get $K2))) (local.get $E)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vec)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
      (local.set $ms (f32.add
        (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $i))))
        (f32.mul (local.get $a1) (local.get $gs))))
      (local.set $vs (f32.add
        (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $i))))
        (f32.mul (f32.mul (local.get $a2) (local.get $gs)) (local.get $gs))))
      (f32.store (i32.add (local.get $nm) (local.get $i)) (local.get $ms))
      (f32.store (i32.add (local.get $nv) (local.get $i)) (local.get $vs))
      (f32.store (i32.add (local.get $nw) (local.get $i)) (f32.add
        (f32.load (i32.add (local.get $w) (local.get $i)))
        (f32.div (f32.mul (local.get $k1) (local.get $ms))
          (f32.add (f32.sqrt (f32.mul (local.get $vs) (local.get $k2))) (local.get $eps)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )

  ;; The statistics pass of group and batch norm (engine/src/wasmNorm.ts): over S rows of C
  ;; float32 channels at x, per channel c, in float64 as the JavaScript loop it replaces,
  ;;   s1[c] += x − shift[c],   s2[c] += (x − shift[c])²
  ;; shift, s1 and s2 are float64 arrays of C (C even: two channels per f64x2).
  (func (export "normSums")
    (param $x i32) (param $shift i32) (param $s1 i32) (param $s2 i32) (param $S i32) (param $C i32)
    (local $row i32) (local $c i32) (local $xp i32) (local $cb i32) (local $d v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 3)))     ;; bytes of C float64
    (local.set $xp (local.get $x))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $S)))
      (local.set $c (i32.const 0))
      (block $done (loop $channels
        (br_if $done (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $d (f64x2.sub
          (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $xp)))
          (v128.load (i32.add (local.get $shift) (local.get $c)))))
        (v128.store (i32.add (local.get $s1) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $s1) (local.get $c))) (local.get $d)))
        (v128.store (i32.add (local.get $s2) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $s2) (local.get $c))) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channels)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rows)))
  )

  ;; The gradient pass of the same norms: over S rows of C float32 channels of dz and xs,
  ;;   sd[c] += dz,   sdx[c] += dz·xs          (float64 sums of C, C even)
  (func (export "normGradSums")
    (param $dz i32) (param $xs i32) (param $sd i32) (param $sdx i32) (param $S i32) (param $C i32)
    (local $row i32) (local $c i32) (local $off i32) (local $cb i32) (local $d v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 3)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $S)))
      (local.set $c (i32.const 0))
      (block $done (loop $channels
        (br_if $done (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $d (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dz) (local.get $off)))))
        (v128.store (i32.add (local.get $sd) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $sd) (local.get $c))) (local.get $d)))
        (v128.store (i32.add (local.get $sdx) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $sdx) (local.get $c)))
            (f64x2.mul (local.get $d)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xs) (local.get $off)))))))
        (local.set $off (i32.add (local.get $off) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channels)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rows)))
  )

  ;; Sum over leading axes (engine/src/wasmSum.ts): x as R rows of C float32 values (C even),
  ;; acc[c] += x[r, c] in float64, as the cpu backend adds; acc is C float64 values.
  (func (export "columnSums") (param $x i32) (param $acc i32) (param $R i32) (param $C i32)
    (local $row i32) (local $c i32) (local $xp i32) (local $cb i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 3)))
    (local.set $xp (local.get $x))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $R)))
      (local.set $c (i32.const 0))
      (block $done (loop $columns
        (br_if $done (i32.ge_u (local.get $c) (local.get $cb)))
        (v128.store (i32.add (local.get $acc) (local.get $c))
          (f64x2.add (v128.load (i32.add (local.get $acc) (local.get $c)))
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $xp)))))
        (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $columns)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rows)))
  )

  ;; The element-wise steps of the fused LSTM layer (engine/src/wasmLstm.ts, wasmLstmGrad.ts), for
  ;; B rows of H units (H a multiple of 4); every pointer is the row-0 address of one time step,
  ;; each *Stride the bytes from one row to the next where rows are not packed. Gate order in
  ;; z, s and acts: i | f | g | o; acts add tanh c' | c'.

  ;; z = xz + hz, with the g block doubled (tanh x = 2σ(2x) − 1). xz rows xStride apart.
  (func (export "lstmPre") (param $xz i32) (param $xStride i32) (param $hz i32) (param $z i32) (param $B i32) (param $H i32)
    (local $b i32) (local $k i32) (local $rb i32) (local $g0 i32) (local $g1 i32) (local $v v128)
    (local.set $rb (i32.shl (local.get $H) (i32.const 4)))               ;; bytes of 4H floats
    (local.set $g0 (i32.shl (local.get $H) (i32.const 3)))               ;; the g block: [8H, 12H) bytes
    (local.set $g1 (i32.mul (local.get $H) (i32.const 12)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $k (i32.const 0))
      (block $done (loop $values
        (br_if $done (i32.ge_u (local.get $k) (local.get $rb)))
        (local.set $v (f32x4.add (v128.load (i32.add (local.get $xz) (local.get $k)))
                                 (v128.load (i32.add (local.get $hz) (local.get $k)))))
        (if (i32.and (i32.ge_u (local.get $k) (local.get $g0)) (i32.lt_u (local.get $k) (local.get $g1)))
          (then (local.set $v (f32x4.add (local.get $v) (local.get $v)))))
        (v128.store (i32.add (local.get $z) (local.get $k)) (local.get $v))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $values)))
      (local.set $xz (i32.add (local.get $xz) (local.get $xStride)))
      (local.set $hz (i32.add (local.get $hz) (local.get $rb)))
      (local.set $z (i32.add (local.get $z) (local.get $rb)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows)))
  )

  ;; From s = σ(z): i, f, g = 2σ − 1, o into acts, c' = f·c + i·g into acts' c' block, u = 2c'.
  ;; c rows cStride apart (c0, or the previous step's acts).
  (func (export "lstmCell") (param $s i32) (param $acts i32) (param $c i32) (param $cStride i32) (param $u i32) (param $B i32) (param $H i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $i v128) (local $f v128) (local $g v128) (local $cn v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $j (i32.const 0))
      (block $done (loop $values
        (br_if $done (i32.ge_u (local.get $j) (local.get $hb)))
        (local.set $i (v128.load (i32.add (local.get $s) (local.get $j))))
        (local.set $f (v128.load (i32.add (i32.add (local.get $s) (local.get $hb)) (local.get $j))))
        (local.set $g (f32x4.sub
          (f32x4.mul (v128.const f32x4 2 2 2 2)
            (v128.load (i32.add (i32.add (local.get $s) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j))))
          (v128.const f32x4 1 1 1 1)))
        (v128.store (i32.add (local.get $acts) (local.get $j)) (local.get $i))
        (v128.store (i32.add (i32.add (local.get $acts) (local.get $hb)) (local.get $j)) (local.get $f))
        (v128.store (i32.add (i32.add (local.get $acts) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j)) (local.get $g))
        (v128.store (i32.add (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j))
          (v128.load (i32.add (i32.add (local.get $s) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j))))
        (local.set $cn (f32x4.add
          (f32x4.mul (local.get $f) (v128.load (i32.add (local.get $c) (local.get $j))))
          (f32x4.mul (local.get $i) (local.get $g))))
        (v128.store (i32.add (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 5))) (local.get $j)) (local.get $cn))
        (v128.store (i32.add (local.get $u) (local.get $j)) (f32x4.add (local.get $cn) (local.get $cn)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $values)))
      (local.set $s (i32.add (local.get $s) (i32.shl (local.get $hb) (i32.const 2))))
      (local.set $acts (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 6))))
      (local.set $c (i32.add (local.get $c) (local.get $cStride)))
      (local.set $u (i32.add (local.get $u) (local.get $hb)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows)))
  )

  ;; From su = σ(2c'): tanh c' = 2su − 1 into acts, h' = o·tanh c' into hs (packed rows) and
  ;; out (rows outStride apart).
  (func (export "lstmHidden") (param $su i32) (param $acts i32) (param $hs i32) (param $out i32) (param $outStride i32) (param $B i32) (param $H i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $tc v128) (local $h v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $j (i32.const 0))
      (block $done (loop $values
        (br_if $done (i32.ge_u (local.get $j) (local.get $hb)))
        (local.set $tc (f32x4.sub
          (f32x4.mul (v128.const f32x4 2 2 2 2) (v128.load (i32.add (local.get $su) (local.get $j))))
          (v128.const f32x4 1 1 1 1)))
        (v128.store (i32.add (i32.add (local.get $acts) (i32.shl (local.get $hb) (i32.const 2))) (local.get $j)) (local.get $tc))
        (local.set $h (f32x4.mul (local.get $tc)
          (v128.load (i32.add (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)))))
        (v128.store (i32.add (local.get $hs) (local.get $j)) (local.get $h))
        (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $h))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $values)))
      (local.set $su (i32.add (local.get $su) (local.get $hb)))
      (local.set $acts (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 6))))
      (local.set $hs (i32.add (local.get $hs) (local.get $hb)))
      (local.set $out (i32.add (local.get $out) (local.get $outStride)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows)))
  )

  ;; One step of backpropagation through time (wasmLstmGrad.ts has the maths): from acts, dh =
  ;; dy (+ rec, the recurrent gradient, unless last) and dc (dyc if last, else the carried dc),
  ;; the four dz blocks into dz (packed) and dxz (rows zxStride apart); dc becomes dc·f.
  (func (export "lstmBack")
    (param $acts i32) (param $dy i32) (param $dyc i32) (param $dyStride i32) (param $rec i32)
    (param $c i32) (param $cStride i32) (param $dz i32) (param $dxz i32) (param $zxStride i32)
    (param $dc i32) (param $last i32) (param $B i32) (param $H i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $one v128)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128)
    (local $dh v128) (local $dcj v128) (local $v v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $j (i32.const 0))
      (block $done (loop $values
        (br_if $done (i32.ge_u (local.get $j) (local.get $hb)))
        (local.set $i (v128.load (i32.add (local.get $acts) (local.get $j))))
        (local.set $f (v128.load (i32.add (i32.add (local.get $acts) (local.get $hb)) (local.get $j))))
        (local.set $g (v128.load (i32.add (i32.add (local.get $acts) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j))))
        (local.set $o (v128.load (i32.add (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j))))
        (local.set $tc (v128.load (i32.add (i32.add (local.get $acts) (i32.shl (local.get $hb) (i32.const 2))) (local.get $j))))
        (local.set $dh (v128.load (i32.add (local.get $dy) (local.get $j))))
        (if (i32.eqz (local.get $last))
          (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $rec) (local.get $j)))))))
        ;; dc += dh·o·(1 − tanh²c')
        (local.set $dcj (f32x4.add
          (if (result v128) (local.get $last)
            (then (v128.load (i32.add (local.get $dyc) (local.get $j))))
            (else (v128.load (i32.add (local.get $dc) (local.get $j)))))
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $o))
            (f32x4.sub (local.get $one) (f32x4.mul (local.get $tc) (local.get $tc))))))
        ;; dz_i = dc·g·i(1 − i)
        (local.set $v (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcj) (local.get $g)) (local.get $i))
          (f32x4.sub (local.get $one) (local.get $i))))
        (v128.store (i32.add (local.get $dz) (local.get $j)) (local.get $v))
        (v128.store (i32.add (local.get $dxz) (local.get $j)) (local.get $v))
        ;; dz_f = dc·c·f(1 − f)
        (local.set $v (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcj) (v128.load (i32.add (local.get $c) (local.get $j))))
          (local.get $f)) (f32x4.sub (local.get $one) (local.get $f))))
        (v128.store (i32.add (i32.add (local.get $dz) (local.get $hb)) (local.get $j)) (local.get $v))
        (v128.store (i32.add (i32.add (local.get $dxz) (local.get $hb)) (local.get $j)) (local.get $v))
        ;; dz_g = dc·i·(1 − g²)
        (local.set $v (f32x4.mul (f32x4.mul (local.get $dcj) (local.get $i))
          (f32x4.sub (local.get $one) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store (i32.add (i32.add (local.get $dz) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j)) (local.get $v))
        (v128.store (i32.add (i32.add (local.get $dxz) (i32.shl (local.get $hb) (i32.const 1))) (local.get $j)) (local.get $v))
        ;; dz_o = dh·tanh c'·o(1 − o)
        (local.set $v (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (local.get $o))
          (f32x4.sub (local.get $one) (local.get $o))))
        (v128.store (i32.add (i32.add (local.get $dz) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)) (local.get $v))
        (v128.store (i32.add (i32.add (local.get $dxz) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)) (local.get $v))
        (v128.store (i32.add (local.get $dc) (local.get $j)) (f32x4.mul (local.get $dcj) (local.get $f)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $values)))
      (local.set $acts (i32.add (local.get $acts) (i32.mul (local.get $hb) (i32.const 6))))
      (local.set $dy (i32.add (local.get $dy) (local.get $dyStride)))
      (local.set $dyc (i32.add (local.get $dyc) (local.get $dyStride)))
      (local.set $rec (i32.add (local.get $rec) (local.get $hb)))
      (local.set $c (i32.add (local.get $c) (local.get $cStride)))
      (local.set $dz (i32.add (local.get $dz) (i32.shl (local.get $hb) (i32.const 2))))
      (local.set $dxz (i32.add (local.get $dxz) (local.get $zxStride)))
      (local.set $dc (i32.add (local.get $dc) (local.get $hb)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows)))
  )

  ;; The sum of a vector's four lanes.
  (func $lanes (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Layer norm of N rows of C values (C a multiple of 4; engine/src/wasmGpt.ts has the maths):
  ;; y = (x − μ)·σ⁻¹·g + b, with μ and σ⁻¹ of each row written to mean and rstd.
  (func (export "layerNorm")
    (param $x i32) (param $g i32) (param $b i32) (param $y i32) (param $mean i32) (param $rstd i32)
    (param $N i32) (param $C i32) (param $eps f32)
    (local $n i32) (local $c i32) (local $cb i32) (local $acc v128) (local $d v128)
    (local $mu f32) (local $r f32) (local $M v128) (local $R v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (block $done1 (loop $sum
        (br_if $done1 (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $sum)))
      (local.set $mu (f32.div (call $lanes (local.get $acc)) (f32.convert_i32_u (local.get $C))))
      (local.set $M (f32x4.splat (local.get $mu)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (block $done2 (loop $squares
        (br_if $done2 (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $d (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $M)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $squares)))
      (local.set $r (f32.div (f32.const 1) (f32.sqrt (f32.add
        (f32.div (call $lanes (local.get $acc)) (f32.convert_i32_u (local.get $C))) (local.get $eps)))))
      (local.set $R (f32x4.splat (local.get $r)))
      (f32.store (local.get $mean) (local.get $mu))
      (f32.store (local.get $rstd) (local.get $r))
      (local.set $c (i32.const 0))
      (block $done3 (loop $out
        (br_if $done3 (i32.ge_u (local.get $c) (local.get $cb)))
        (v128.store (i32.add (local.get $y) (local.get $c)) (f32x4.add
          (f32x4.mul (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $M)) (local.get $R))
            (v128.load (i32.add (local.get $g) (local.get $c))))
          (v128.load (i32.add (local.get $b) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $out)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (local.set $y (i32.add (local.get $y) (local.get $cb)))
      (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
      (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $rows)))
  )

  ;; Its gradient: dx = σ⁻¹·(dy·g − mean(dy·g) − x̂·mean(dy·g·x̂)) per row, and over all rows
  ;; dg += dy·x̂, db += dy (float32 sums of C, zeroed by the caller).
  (func (export "layerNormGrad")
    (param $dy i32) (param $x i32) (param $g i32) (param $mean i32) (param $rstd i32)
    (param $dx i32) (param $dg i32) (param $db i32) (param $N i32) (param $C i32)
    (local $n i32) (local $c i32) (local $cb i32) (local $M v128) (local $R v128)
    (local $d v128) (local $xh v128) (local $dxh v128) (local $sD v128) (local $sDX v128)
    (local $mD v128) (local $mDX v128) (local $inv f32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $inv (f32.div (f32.const 1) (f32.convert_i32_u (local.get $C))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $M (f32x4.splat (f32.load (local.get $mean))))
      (local.set $R (f32x4.splat (f32.load (local.get $rstd))))
      (local.set $sD (v128.const i32x4 0 0 0 0))
      (local.set $sDX (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (block $done1 (loop $sums
        (br_if $done1 (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $c))))
        (local.set $xh (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $M)) (local.get $R)))
        (local.set $dxh (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $g) (local.get $c)))))
        (v128.store (i32.add (local.get $dg) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $dg) (local.get $c))) (f32x4.mul (local.get $d) (local.get $xh))))
        (v128.store (i32.add (local.get $db) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $db) (local.get $c))) (local.get $d)))
        (local.set $sD (f32x4.add (local.get $sD) (local.get $dxh)))
        (local.set $sDX (f32x4.add (local.get $sDX) (f32x4.mul (local.get $dxh) (local.get $xh))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $sums)))
      (local.set $mD (f32x4.splat (f32.mul (call $lanes (local.get $sD)) (local.get $inv))))
      (local.set $mDX (f32x4.splat (f32.mul (call $lanes (local.get $sDX)) (local.get $inv))))
      (local.set $c (i32.const 0))
      (block $done2 (loop $grads
        (br_if $done2 (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $xh (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $M)) (local.get $R)))
        (v128.store (i32.add (local.get $dx) (local.get $c)) (f32x4.mul (local.get $R) (f32x4.sub
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $c))) (v128.load (i32.add (local.get $g) (local.get $c))))
            (local.get $mD))
          (f32x4.mul (local.get $xh) (local.get $mDX)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $grads)))
      (local.set $dy (i32.add (local.get $dy) (local.get $cb)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (local.set $dx (i32.add (local.get $dx) (local.get $cb)))
      (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
      (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $rows)))
  )

  ;; Zero `count` floats at dst, four at a time, then one by one.
  (func $zero (param $dst i32) (param $count i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_s (local.get $dst) (local.get $end4)))
      (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_s (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.const 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $s))))

  ;; Copy `count` floats from src to dst (not overlapping), four at a time, then one by one.
  (func $copy (param $dst i32) (param $src i32) (param $count i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_s (local.get $dst) (local.get $end4)))
      (v128.store (local.get $dst) (v128.load (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_s (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.load (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (br $s))))

  ;; The transposed patches of a convolution with column stride 1 (engine/src/convFilterGradGemm.ts):
  ;; out [fh·fw·cin, nb·oh·ow] from x as channel planes [cin, nb, h, w]; row (kh, kw, ci), column
  ;; (n, y, xo) holds x[n, y·sh + kh − top, xo + kw − left, ci], 0 outside the image.
  (func (export "im2colT")
    (param $planes i32) (param $out i32) (param $nb i32) (param $h i32) (param $w i32) (param $oh i32)
    (param $ow i32) (param $fh i32) (param $fw i32) (param $cin i32) (param $sh i32) (param $top i32) (param $left i32)
    (local $kh i32) (local $kw i32) (local $ci i32) (local $n i32) (local $y i32) (local $r i32)
    (local $lo i32) (local $hi i32) (local $plane i32) (local $dst i32)
    (local.set $dst (local.get $out))
    (local.set $kh (i32.const 0))
    (block $khDone (loop $khs
      (br_if $khDone (i32.ge_s (local.get $kh) (local.get $fh)))
      (local.set $kw (i32.const 0))
      (block $kwDone (loop $kws
        (br_if $kwDone (i32.ge_s (local.get $kw) (local.get $fw)))
        ;; output columns whose input column xo + kw − left lies inside the image: [lo, hi)
        (local.set $lo (i32.sub (local.get $left) (local.get $kw)))
        (if (i32.lt_s (local.get $lo) (i32.const 0)) (then (local.set $lo (i32.const 0))))
        (local.set $hi (i32.sub (i32.add (local.get $w) (local.get $left)) (local.get $kw)))
        (if (i32.gt_s (local.get $hi) (local.get $ow)) (then (local.set $hi (local.get $ow))))
        (if (i32.lt_s (local.get $hi) (local.get $lo)) (then (local.set $hi (local.get $lo))))
        (local.set $ci (i32.const 0))
        (block $ciDone (loop $cis
          (br_if $ciDone (i32.ge_s (local.get $ci) (local.get $cin)))
          (local.set $n (i32.const 0))
          (block $nDone (loop $ns
            (br_if $nDone (i32.ge_s (local.get $n) (local.get $nb)))
            (local.set $plane (i32.mul (i32.add (i32.mul (local.get $ci) (local.get $nb)) (local.get $n)) (local.get $h)))
            (local.set $y (i32.const 0))
            (block $yDone (loop $ys
              (br_if $yDone (i32.ge_s (local.get $y) (local.get $oh)))
              (local.set $r (i32.sub (i32.add (i32.mul (local.get $y) (local.get $sh)) (local.get $kh)) (local.get $top)))
              (if (i32.or (i32.or (i32.lt_s (local.get $r) (i32.const 0)) (i32.ge_s (local.get $r) (local.get $h)))
                          (i32.eq (local.get $hi) (local.get $lo)))
                (then (call $zero (local.get $dst) (local.get $ow)))
                (else
                  (call $zero (local.get $dst) (local.get $lo))
                  (call $copy
                    (i32.add (local.get $dst) (i32.shl (local.get $lo) (i32.const 2)))
                    (i32.add (local.get $planes) (i32.shl
                      (i32.add (i32.sub (i32.add (i32.mul (i32.add (local.get $plane) (local.get $r)) (local.get $w)) (local.get $kw)) (local.get $left)) (local.get $lo))
                      (i32.const 2)))
                    (i32.sub (local.get $hi) (local.get $lo)))
                  (call $zero (i32.add (local.get $dst) (i32.shl (local.get $hi) (i32.const 2))) (i32.sub (local.get $ow) (local.get $hi)))))
              (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $ow) (i32.const 2))))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $ys)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $ns)))
          (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
          (br $cis)))
        (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
        (br $kws)))
      (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
      (br $khs)))
  )
)
