;; exp in WebAssembly SIMD (f32x4), on the wasm backend's heap like kernels.wat (its header says
;; how it is built and loaded). tfjs-backend-wasm 4.22's Exp calls the C library's scalar expf
;; per value (~6 ns here); this takes ~1.2 ns. Its constants are immutable globals, which V8
;; reads from memory: as v128.const operands they were rebuilt at every use (1.55 → 1.3 ns).
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARING))

  ;; exp of four values. The reduction and polynomial are Cephes' expf (S. L. Moshier, Cephes
  ;; Mathematical Library): x = n·ln 2 + r with n = x·log2(e) rounded and ln 2 split in
  ;; two constants so that r is exact, |r| at most ln(2)/2; exp(x) = 2^n·(1 + r + r²·p(r)), p of
  ;; degree 5, within 2 ulp of expf. 2^n is built in the exponent bits, as 2^h · 2^(n − h) with
  ;; h = n >> 1, so that n = 128 does not overflow. Below −87.33 (where 2^n would be subnormal)
  ;; the result is 0, above 88.72 (where float32 overflows) +∞; NaN stays NaN (it fails both
  ;; comparisons).
  (global $hi v128 (v128.const f32x4 88.72 88.72 88.72 88.72))
  (global $lo v128 (v128.const f32x4 -87.33 -87.33 -87.33 -87.33))
  (global $log2e v128 (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
  (global $ln2hi v128 (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
  (global $ln2lo v128 (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))
  (global $p0 v128 (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
  (global $p1 v128 (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3))
  (global $p2 v128 (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3))
  (global $p3 v128 (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2))
  (global $p4 v128 (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1))
  (global $p5 v128 (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1))
  (global $one v128 (v128.const f32x4 1 1 1 1))
  (global $bias v128 (v128.const i32x4 127 127 127 127))
  (global $inf v128 (v128.const f32x4 inf inf inf inf))
  (global $magic v128 (v128.const f32x4 12582912 12582912 12582912 12582912))
  (func $exp4 (param $x v128) (result v128)
    (local $c v128) (local $t v128) (local $n v128) (local $r v128) (local $p v128) (local $k v128) (local $h v128)
    ;; pmin/pmax (one instruction each, where min/max are several) keep NaN as the first operand
    (local.set $c (f32x4.pmax (f32x4.pmin (local.get $x) (global.get $hi))
                              (global.get $lo)))
    ;; t = x·log2(e) + 1.5·2^23 rounds x·log2(e) to the nearest integer n in t's low mantissa bits
    (local.set $t (f32x4.add (f32x4.mul (local.get $c) (global.get $log2e)) (global.get $magic)))
    (local.set $n (f32x4.sub (local.get $t) (global.get $magic)))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $c) (f32x4.mul (local.get $n) (global.get $ln2hi)))
      (f32x4.mul (local.get $n) (global.get $ln2lo))))
    (local.set $p (global.get $p0))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (global.get $p1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (global.get $p2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (global.get $p3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (global.get $p4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (global.get $p5)))
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
      (global.get $one)))
    ;; 2^n = 2^h · 2^(n − h), each made as (e + 127) << 23
    (local.set $k (i32x4.sub (local.get $t) (global.get $magic)))
    (local.set $h (i32x4.shr_s (local.get $k) (i32.const 1)))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (local.get $h) (global.get $bias)) (i32.const 23))))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $k) (local.get $h)) (global.get $bias)) (i32.const 23))))
    (local.set $p (v128.andnot (local.get $p) (f32x4.lt (local.get $x) (global.get $lo))))
    (v128.bitselect (global.get $inf) (local.get $p)
      (f32x4.gt (local.get $x) (global.get $hi))))

  ;; out[i] = exp(x[i]) for the first 4·floor(count/4) values (the caller does the rest).
  (func (export "exp") (param $x i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $done (loop $values
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $out) (call $exp4 (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $values))))
)
