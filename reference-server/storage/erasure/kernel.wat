;; Reed-Solomon multiply-accumulate kernel: out_j = XOR_i c[j][i] * in_i over GF(2^8), for a group
;; of 4, 2 or 1 outputs. Compiled by build-wasm.ts into kernel.wasm (committed; a test checks they
;; match).
;;
;; Method: split-nibble tables. For a coefficient c, lo[n] = c*n and hi[n] = c*(n<<4), n < 16, so
;; c*x = lo[x & 15] ^ hi[x >> 4], and a 16-byte table lookup is one swizzle (PSHUFB on x86).
;; relaxed_swizzle rather than swizzle: our indices are always < 16, where both are defined to give
;; the same result, and the strict form costs V8 an extra saturating add per lookup to clamp
;; out-of-range indices (measured: ~1.4x slower).
;;
;; Loop order: for each 16-byte column, walk all inputs while the outputs stay in registers, then
;; store each output once. 32-byte columns and unrolled input loops measured no faster: at 4
;; outputs the loop is bound by the vector ALU (2 swizzles + 2 xors per output per input vector).
;;
;; Layout (all offsets in bytes, chosen by the JS side):
;;   tab: for each input i, for each output j of the group: lo table (16 B) then hi table (16 B);
;;        so 32*G bytes per input for a group of G outputs.
;;   in:  input i at in + i*inStride; out: output j at out + j*outStride.
;;   len: bytes per shard to process; rounded up to 16, so up to 15 bytes past len are read from
;;        every input and written to every output (the JS side reserves that room).
;;   nIn must be >= 1.
(module
  (memory (export "memory") 1)

  (func (export "mul4")
    (param $tab i32) (param $nIn i32) (param $in i32) (param $inStride i32)
    (param $out i32) (param $outStride i32) (param $len i32)
    (local $x i32) (local $p i32) (local $t i32) (local $n i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $mask v128) (local $v v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $mask (i8x16.splat (i32.const 15)))
    (local.set $o1 (i32.add (local.get $out) (local.get $outStride)))
    (local.set $o2 (i32.add (local.get $o1) (local.get $outStride)))
    (local.set $o3 (i32.add (local.get $o2) (local.get $outStride)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $x) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $in) (local.get $x)))
        (local.set $t (local.get $tab))
        (local.set $n (local.get $nIn))
        (loop $inputs
          (local.set $v (v128.load (local.get $p)))
          (local.set $lo (v128.and (local.get $v) (local.get $mask)))
          ;; 16-bit shift then mask: wasm has no 8-bit shift that V8 lowers to one instruction.
          (local.set $hi (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $mask)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=0 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=32 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=48 (local.get $t)) (local.get $hi)))))
          (local.set $a2 (v128.xor (local.get $a2) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=64 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=80 (local.get $t)) (local.get $hi)))))
          (local.set $a3 (v128.xor (local.get $a3) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=96 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=112 (local.get $t)) (local.get $hi)))))
          (local.set $p (i32.add (local.get $p) (local.get $inStride)))
          (local.set $t (i32.add (local.get $t) (i32.const 128)))
          (br_if $inputs (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (v128.store (i32.add (local.get $out) (local.get $x)) (local.get $a0))
        (v128.store (i32.add (local.get $o1) (local.get $x)) (local.get $a1))
        (v128.store (i32.add (local.get $o2) (local.get $x)) (local.get $a2))
        (v128.store (i32.add (local.get $o3) (local.get $x)) (local.get $a3))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $columns))))

  (func (export "mul2")
    (param $tab i32) (param $nIn i32) (param $in i32) (param $inStride i32)
    (param $out i32) (param $outStride i32) (param $len i32)
    (local $x i32) (local $p i32) (local $t i32) (local $n i32) (local $o1 i32)
    (local $mask v128) (local $v v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128)
    (local.set $mask (i8x16.splat (i32.const 15)))
    (local.set $o1 (i32.add (local.get $out) (local.get $outStride)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $x) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $in) (local.get $x)))
        (local.set $t (local.get $tab))
        (local.set $n (local.get $nIn))
        (loop $inputs
          (local.set $v (v128.load (local.get $p)))
          (local.set $lo (v128.and (local.get $v) (local.get $mask)))
          (local.set $hi (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $mask)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=0 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=32 (local.get $t)) (local.get $lo))
            (i8x16.relaxed_swizzle (v128.load offset=48 (local.get $t)) (local.get $hi)))))
          (local.set $p (i32.add (local.get $p) (local.get $inStride)))
          (local.set $t (i32.add (local.get $t) (i32.const 64)))
          (br_if $inputs (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (v128.store (i32.add (local.get $out) (local.get $x)) (local.get $a0))
        (v128.store (i32.add (local.get $o1) (local.get $x)) (local.get $a1))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $columns))))

  (func (export "mul1")
    (param $tab i32) (param $nIn i32) (param $in i32) (param $inStride i32)
    (param $out i32) (param $outStride i32) (param $len i32)
    (local $x i32) (local $p i32) (local $t i32) (local $n i32)
    (local $mask v128) (local $v v128) (local $a0 v128)
    (local.set $mask (i8x16.splat (i32.const 15)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $x) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $in) (local.get $x)))
        (local.set $t (local.get $tab))
        (local.set $n (local.get $nIn))
        (loop $inputs
          (local.set $v (v128.load (local.get $p)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.relaxed_swizzle (v128.load offset=0 (local.get $t))
              (v128.and (local.get $v) (local.get $mask)))
            (i8x16.relaxed_swizzle (v128.load offset=16 (local.get $t))
              (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $mask))))))
          (local.set $p (i32.add (local.get $p) (local.get $inStride)))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $inputs (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (v128.store (i32.add (local.get $out) (local.get $x)) (local.get $a0))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $columns))))
)
