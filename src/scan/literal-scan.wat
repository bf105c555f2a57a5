;; Finds every occurrence of a few literals in a buffer, optionally ASCII-case-insensitively, with 16-byte SIMD
;; blocks: a fingerprint of each literal's first three bytes in nibble tables (the "Teddy" method of Hyperscan and
;; Rust's aho-corasick), then an exact comparison at each position the fingerprint lets through.
;;
;; literal-scanner.ts fills the tables and the literal records; the scan writes the start of each occurrence (once
;; per position, however many literals start there) as u32 offsets from the input, in increasing order.
;; Compiled to literal-scan-wasm.ts by scripts/build-wasm.ts (wabt); a test recompiles it and compares.
;;
;; Memory layout (offsets in bytes; literal-scanner.ts has the same constants):
;;   0    six 16-byte tables: low / high nibble of byte 0, byte 1, byte 2 of a position -> bucket bits
;;   96   16 bytes OR-ed into every input byte before the fingerprint (0x20 to fold case, else 0)
;;   112  16 bytes of scratch (the candidate block's bucket bits)
;;   128  u32 number of literals
;;   256  literal records, 12 bytes each: u32 address of its bytes, u32 length, u32 bucket bit
;;   the literal's bytes are followed by as many mask bytes (0x20 for a letter when folding, else 0), and a byte
;;   matches when (input | mask) equals it (the literal's letters are stored lower-cased when folding).
(module
  (memory (export "memory") 1)
  (func (export "scan") (param $in i32) (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $end i32) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $m v128)
    (local $fold v128) (local $nib v128) (local $bits i32) (local $p i32) (local $bm i32) (local $k i32)
    (local $rec i32) (local $lit i32) (local $len i32) (local $j i32) (local $count i32) (local $literals i32)
    (local.set $fold (v128.load (i32.const 96)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $literals (i32.load (i32.const 128)))
    (local.set $end (i32.add (local.get $in) (local.get $n)))
    (local.set $i (local.get $in))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; Reads up to 18 bytes past the end: the caller pads the input with zeros.
        (local.set $v0 (v128.or (v128.load (local.get $i)) (local.get $fold)))
        (local.set $v1 (v128.or (v128.load offset=1 (local.get $i)) (local.get $fold)))
        (local.set $v2 (v128.or (v128.load offset=2 (local.get $i)) (local.get $fold)))
        (local.set $m
          (v128.and
            (v128.and
              (v128.and
                (i8x16.swizzle (v128.load (i32.const 0)) (v128.and (local.get $v0) (local.get $nib)))
                (i8x16.swizzle (v128.load (i32.const 16)) (i8x16.shr_u (local.get $v0) (i32.const 4))))
              (v128.and
                (i8x16.swizzle (v128.load (i32.const 32)) (v128.and (local.get $v1) (local.get $nib)))
                (i8x16.swizzle (v128.load (i32.const 48)) (i8x16.shr_u (local.get $v1) (i32.const 4)))))
            (v128.and
              (i8x16.swizzle (v128.load (i32.const 64)) (v128.and (local.get $v2) (local.get $nib)))
              (i8x16.swizzle (v128.load (i32.const 80)) (i8x16.shr_u (local.get $v2) (i32.const 4))))))
        (if (v128.any_true (local.get $m))
          (then
            (v128.store (i32.const 112) (local.get $m))
            (local.set $bits (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0))))
            (loop $lanes
              (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $bits))))
              (local.set $bm (i32.load8_u (i32.add (i32.const 112) (i32.ctz (local.get $bits)))))
              (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
              (local.set $k (i32.const 0))
              (block $verified
                (loop $literal
                  (br_if $verified (i32.ge_u (local.get $k) (local.get $literals)))
                  (local.set $rec (i32.add (i32.const 256) (i32.mul (local.get $k) (i32.const 12))))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $literal (i32.eqz (i32.and (local.get $bm) (i32.load offset=8 (local.get $rec)))))
                  (local.set $len (i32.load offset=4 (local.get $rec)))
                  (br_if $literal (i32.gt_u (i32.add (local.get $p) (local.get $len)) (local.get $end)))
                  (local.set $lit (i32.load (local.get $rec)))
                  (local.set $j (i32.const 0))
                  (block $differs
                    (loop $byte
                      (br_if $differs
                        (i32.ne
                          (i32.or
                            (i32.load8_u (i32.add (local.get $p) (local.get $j)))
                            (i32.load8_u (i32.add (i32.add (local.get $lit) (local.get $len)) (local.get $j))))
                          (i32.load8_u (i32.add (local.get $lit) (local.get $j)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br_if $byte (i32.lt_u (local.get $j) (local.get $len))))
                    (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2)))
                      (i32.sub (local.get $p) (local.get $in)))
                    (local.set $count (i32.add (local.get $count) (i32.const 1)))
                    (br $verified))
                  (br $literal)))
              (br_if $lanes (local.get $bits)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.get $count)))
