;; The filter gradient of a convolution of a one-channel input (the first layer of an image
;; model) in WebAssembly SIMD, on the wasm backend's heap like kernels.wat (its header says how
;; it is built and loaded); backend/conv1.ts has the maths and the caller. It takes x already
;; zero-padded, as images [nb] of rows rowB bytes apart, imgB bytes apart, so that no tap needs
;; a bounds check, and works on blocks of 32 output channels, eight f32x4 accumulators (cout a
;; multiple of 32).
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARING))

  ;; dw [fh, fw, cout] += Σ over output pixels (n, oy, ox) of x[n, oy·sh + kh, ox·sw + kw] ·
  ;; dy[n, oy, ox, co] (the caller zeroes dw first). One output row at a time: its dy row and the
  ;; fh input rows it reads stay in cache while every tap's accumulators run along it.
  (func (export "conv1FilterGrad")
    (param $xp i32) (param $dy i32) (param $dw i32) (param $nb i32) (param $oh i32) (param $ow i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $cout i32)
    (param $rowB i32) (param $imgB i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $cb i32) (local $kh i32) (local $kw i32)
    (local $rowBase i32) (local $dyRow i32) (local $xa i32) (local $ga i32) (local $da i32)
    (local $coutB i32) (local $step i32) (local $s v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $coutB (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $step (i32.shl (local.get $sw) (i32.const 2)))
    (local.set $dyRow (local.get $dy))
    (block $nDone (loop $ns
      (br_if $nDone (i32.ge_s (local.get $n) (local.get $nb)))
      (local.set $oy (i32.const 0))
      (block $oyDone (loop $oys
        (br_if $oyDone (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $rowBase (i32.add (i32.add (local.get $xp) (i32.mul (local.get $n) (local.get $imgB)))
          (i32.mul (i32.mul (local.get $oy) (local.get $sh)) (local.get $rowB))))
        (local.set $cb (i32.const 0))
        (block $cbDone (loop $cbs
          (br_if $cbDone (i32.ge_s (local.get $cb) (local.get $coutB)))
          (local.set $da (i32.add (local.get $dw) (local.get $cb)))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khs
            (br_if $khDone (i32.ge_s (local.get $kh) (local.get $fh)))
            (local.set $kw (i32.const 0))
            (block $kwDone (loop $kws
              (br_if $kwDone (i32.ge_s (local.get $kw) (local.get $fw)))
              (local.set $a0 (v128.load offset=0 (local.get $da))) (local.set $a1 (v128.load offset=16 (local.get $da)))
              (local.set $a2 (v128.load offset=32 (local.get $da))) (local.set $a3 (v128.load offset=48 (local.get $da)))
              (local.set $a4 (v128.load offset=64 (local.get $da))) (local.set $a5 (v128.load offset=80 (local.get $da)))
              (local.set $a6 (v128.load offset=96 (local.get $da))) (local.set $a7 (v128.load offset=112 (local.get $da)))
              (local.set $xa (i32.add (i32.add (local.get $rowBase) (i32.mul (local.get $kh) (local.get $rowB)))
                (i32.shl (local.get $kw) (i32.const 2))))
              (local.set $ga (i32.add (local.get $dyRow) (local.get $cb)))
              (local.set $ox (i32.const 0))
              (block $oxDone (loop $oxs
                (br_if $oxDone (i32.ge_s (local.get $ox) (local.get $ow)))
                (local.set $s (f32x4.splat (f32.load (local.get $xa))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $ga)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $ga)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $ga)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $ga)))))
                (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $ga)))))
                (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $ga)))))
                (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $ga)))))
                (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $ga)))))
                (local.set $xa (i32.add (local.get $xa) (local.get $step)))
                (local.set $ga (i32.add (local.get $ga) (local.get $coutB)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $oxs)))
              (v128.store offset=0 (local.get $da) (local.get $a0)) (v128.store offset=16 (local.get $da) (local.get $a1))
              (v128.store offset=32 (local.get $da) (local.get $a2)) (v128.store offset=48 (local.get $da) (local.get $a3))
              (v128.store offset=64 (local.get $da) (local.get $a4)) (v128.store offset=80 (local.get $da) (local.get $a5))
              (v128.store offset=96 (local.get $da) (local.get $a6)) (v128.store offset=112 (local.get $da) (local.get $a7))
              (local.set $da (i32.add (local.get $da) (local.get $coutB)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $kws)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khs)))
          (local.set $cb (i32.add (local.get $cb) (i32.const 128)))
          (br $cbs)))
        (local.set $dyRow (i32.add (local.get $dyRow) (i32.mul (local.get $ow) (local.get $coutB))))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oys)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $ns)))
  )
)
