;; grep's text line for a stored capture line, `HH:MM:SS.mmm [service] message` and a newline, written in this
;; module's memory (stored-text-line-buffer.ts): the caller copies the line's bytes from its timestamp to its
;; message's end in, and this writes the clock, the service (padded, from a table in memory) and the message with its
;; escapes decoded. One copy and one call a line where JS made four native calls and decoded a byte at a time (an
;; escaped message — a quoted field, a JSON body — has an escape every dozen bytes).
;; Compiled to stored-text-line-wasm.ts by scripts/build-wasm.ts (wabt); a test recompiles it and compares.
;;
;; Blocks are read and written whole: 16 bytes past a source's end are read, and up to 16 past the written end are
;; overwritten (the buffer leaves room for both).
(module
  (memory (export "memory") 1)

  (func $hex (param $c i32) (result i32)
    (select
      (i32.sub (local.get $c) (i32.const 48))
      (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 87))
      (i32.le_u (local.get $c) (i32.const 57))))

  ;; Copies [$from, $from + $n) to $out, a block at a time; returns $out + $n.
  (func $copy (param $from i32) (param $n i32) (param $out i32) (result i32)
    (local $k i32)
    (loop $blocks
      (v128.store (i32.add (local.get $out) (local.get $k)) (v128.load (i32.add (local.get $from) (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br_if $blocks (i32.lt_u (local.get $k) (local.get $n))))
    (i32.add (local.get $out) (local.get $n)))

  ;; `HH:MM:SS.mmm` from the canonical timestamp at $ts (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`) at $out: the
  ;; milliseconds are the fraction's first three digits, zeros where it has fewer (or none).
  (func $clock (param $ts i32) (param $out i32)
    (local $q i32) (local $k i32) (local $c i32)
    (i64.store (local.get $out) (i64.load offset=11 (local.get $ts)))
    (i32.store8 offset=8 (local.get $out) (i32.const 46))
    (local.set $q (i32.add (local.get $ts) (i32.const 20)))
    (loop $digits
      (local.set $c (i32.load8_u (local.get $q)))
      (if (i32.and (i32.eq (i32.load8_u offset=19 (local.get $ts)) (i32.const 46))
            (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
        (then (local.set $q (i32.add (local.get $q) (i32.const 1))))
        (else (local.set $c (i32.const 48))))
      (i32.store8 offset=9 (i32.add (local.get $out) (local.get $k)) (local.get $c))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $k) (i32.const 3)))))

  ;; The text line at $out for the stored line whose timestamp is at $ts and message body [$msg, $end), with the
  ;; service [$service, $service + $serviceLength); returns its end (after the newline).
  (func (export "textLine") (param $ts i32) (param $msg i32) (param $end i32) (param $service i32)
    (param $serviceLength i32) (param $out i32) (result i32)
    (call $clock (local.get $ts) (local.get $out))
    (local.set $out (call $copy (local.get $service) (local.get $serviceLength) (i32.add (local.get $out) (i32.const 12))))
    (local.set $out (call $unescape (local.get $msg) (local.get $end) (local.get $out)))
    (i32.store8 (local.get $out) (i32.const 10))
    (i32.add (local.get $out) (i32.const 1)))

  ;; Decodes the JSON string body [$from, $to) to $out (a range that does not overlap it): the escapes the
  ;; stored-line judge lets through (the short ones and \u of BMP code points that are not surrogates), each to at
  ;; most its own length; returns the end of what it wrote.
  (func $unescape (param $from i32) (param $to i32) (param $out i32) (result i32)
    (local $r i32) (local $w i32) (local $block v128) (local $bits i32) (local $c i32) (local $code i32)
    (local.set $r (local.get $from))
    (local.set $w (local.get $out))
    (loop $bytes
      (if (i32.ge_u (local.get $r) (local.get $to)) (then (return (local.get $w))))
      (local.set $block (v128.load (local.get $r)))
      (local.set $bits (i8x16.bitmask (i8x16.eq (local.get $block) (i8x16.splat (i32.const 92)))))
      (local.set $c (i32.sub (local.get $to) (local.get $r)))
      ;; The last block: only the backslashes before $to count.
      (if (i32.lt_u (local.get $c) (i32.const 16))
        (then (local.set $bits (i32.and (local.get $bits) (i32.sub (i32.shl (i32.const 1) (local.get $c)) (i32.const 1))))))
      ;; Whole: the bytes before the first backslash are right, those after it are written again (or are past the end).
      (v128.store (local.get $w) (local.get $block))
      (if (i32.eqz (local.get $bits))
        (then
          (if (i32.lt_u (local.get $c) (i32.const 16)) (then (return (i32.add (local.get $w) (local.get $c)))))
          (local.set $r (i32.add (local.get $r) (i32.const 16)))
          (local.set $w (i32.add (local.get $w) (i32.const 16)))
          (br $bytes)))
      (local.set $bits (i32.ctz (local.get $bits)))
      (local.set $r (i32.add (local.get $r) (local.get $bits)))
      (local.set $w (i32.add (local.get $w) (local.get $bits)))
      ;; An escape at $r.
      (local.set $c (i32.load8_u offset=1 (local.get $r)))
      (if (i32.eq (local.get $c) (i32.const 117))
        (then
          (local.set $code
            (i32.or
              (i32.or
                (i32.shl (call $hex (i32.load8_u offset=2 (local.get $r))) (i32.const 12))
                (i32.shl (call $hex (i32.load8_u offset=3 (local.get $r))) (i32.const 8)))
              (i32.or
                (i32.shl (call $hex (i32.load8_u offset=4 (local.get $r))) (i32.const 4))
                (call $hex (i32.load8_u offset=5 (local.get $r))))))
          (local.set $r (i32.add (local.get $r) (i32.const 6)))
          (if (i32.lt_u (local.get $code) (i32.const 0x80))
            (then
              (i32.store8 (local.get $w) (local.get $code))
              (local.set $w (i32.add (local.get $w) (i32.const 1))))
            (else
              (if (i32.lt_u (local.get $code) (i32.const 0x800))
                (then
                  (i32.store8 (local.get $w) (i32.or (i32.const 0xc0) (i32.shr_u (local.get $code) (i32.const 6))))
                  (i32.store8 offset=1 (local.get $w) (i32.or (i32.const 0x80) (i32.and (local.get $code) (i32.const 63))))
                  (local.set $w (i32.add (local.get $w) (i32.const 2))))
                (else
                  (i32.store8 (local.get $w) (i32.or (i32.const 0xe0) (i32.shr_u (local.get $code) (i32.const 12))))
                  (i32.store8 offset=1 (local.get $w)
                    (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $code) (i32.const 6)) (i32.const 63))))
                  (i32.store8 offset=2 (local.get $w) (i32.or (i32.const 0x80) (i32.and (local.get $code) (i32.const 63))))
                  (local.set $w (i32.add (local.get $w) (i32.const 3))))))))
        (else
          ;; \n \t \r \b \f, or the escaped byte itself (\" \\ \/).
          (i32.store8 (local.get $w)
            (select (i32.const 10)
              (select (i32.const 9)
                (select (i32.const 13)
                  (select (i32.const 8)
                    (select (i32.const 12) (local.get $c) (i32.eq (local.get $c) (i32.const 102)))
                    (i32.eq (local.get $c) (i32.const 98)))
                  (i32.eq (local.get $c) (i32.const 114)))
                (i32.eq (local.get $c) (i32.const 116)))
              (i32.eq (local.get $c) (i32.const 110))))
          (local.set $r (i32.add (local.get $r) (i32.const 2)))
          (local.set $w (i32.add (local.get $w) (i32.const 1)))))
      (br $bytes))
    (local.get $w))
)
