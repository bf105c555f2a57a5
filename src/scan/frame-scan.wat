;; The stored-line judge's scans of a frame (stored-line-judge.ts), 16 or 32 bytes at a time where JS would call
;; memmem, memchr and a byte loop per line:
;;   - candidateLines: the lines holding one of up to four literals (each literal's first and last byte compared at
;;     every position, as in W. Muła's "SIMD-friendly algorithms for substring searching", then its bytes; optionally
;;     ASCII-case-insensitive), each with its bounds and first hit, once per line;
;;   - shapes: for those lines, where the timestamp, labels and message are, what follows the message, and whether a
;;     literal is in the message outside an escape;
;;   - closingQuote: where a JSON string's content ends, each block read as bit masks (below).
;; The judge's JS reading stays the definition, and answers what this leaves to it (-2, or status 2 in shapes).
;; Compiled to frame-scan-wasm.ts by scripts/build-wasm.ts (wabt); a test recompiles it and compares.
;;
;; Memory: the frame starts at offset 0 (frame-scanner.ts copies it there, or it is decompressed there), followed by
;; 64 bytes of zeros, since blocks are read whole where a bound falls inside them; the caller places the literal
;; table and the outputs after those.
(module
  (memory (export "memory") 1)

  ;; The first newline at or after $from, or $n.
  (func $newline (param $from i32) (param $n i32) (result i32)
    (local $bits i32)
    (loop $blocks
      (if (i32.ge_u (local.get $from) (local.get $n)) (then (return (local.get $n))))
      (local.set $bits (i8x16.bitmask (i8x16.eq (v128.load (local.get $from)) (i8x16.splat (i32.const 10)))))
      (if (local.get $bits)
        (then
          (local.set $from (i32.add (local.get $from) (i32.ctz (local.get $bits))))
          (return (select (local.get $n) (local.get $from) (i32.gt_u (local.get $from) (local.get $n))))))
      (local.set $from (i32.add (local.get $from) (i32.const 16)))
      (br $blocks))
    (local.get $n))

  ;; The start of the line holding byte $p: just after the last newline in [$from, $p), or $from.
  (func $lineStart (param $from i32) (param $p i32) (result i32)
    (local $bits i32)
    (loop $blocks
      (if (i32.ge_s (i32.sub (local.get $p) (local.get $from)) (i32.const 16))
        (then
          (local.set $bits (i8x16.bitmask (i8x16.eq (v128.load (i32.sub (local.get $p) (i32.const 16))) (i8x16.splat (i32.const 10)))))
          (if (local.get $bits) (then (return (i32.sub (i32.add (local.get $p) (i32.const 16)) (i32.clz (local.get $bits))))))
          (local.set $p (i32.sub (local.get $p) (i32.const 16)))
          (br $blocks))))
    (loop $bytes
      (if (i32.le_s (local.get $p) (local.get $from)) (then (return (local.get $from))))
      (if (i32.eq (i32.load8_u (i32.sub (local.get $p) (i32.const 1))) (i32.const 10)) (then (return (local.get $p))))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (br $bytes))
    (local.get $from))

  ;; Writes [start, end) as two u32 at $out for each line of the frame [0, $n) holding one of the $count literals
  ;; (none holding a newline) of the table at $table (see $findAny), in order, each line once, and where the first
  ;; occurrence in the line is as a u32 at $hits; returns how many.
  (func (export "candidateLines") (param $n i32) (param $table i32) (param $count i32) (param $out i32) (param $hits i32) (result i32)
    (local $i i32) (local $p i32) (local $end i32) (local $lines i32) (local $rec i32)
    (loop $search
      (local.set $p (call $findAny (local.get $i) (local.get $n) (local.get $table) (local.get $count)))
      (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (local.get $lines))))
      (i32.store (i32.add (local.get $hits) (i32.shl (local.get $lines) (i32.const 2))) (local.get $p))
      (local.set $rec (i32.add (local.get $out) (i32.shl (local.get $lines) (i32.const 3))))
      (i32.store (local.get $rec) (call $lineStart (local.get $i) (local.get $p)))
      (local.set $end (call $newline (i32.add (local.get $p) (i32.const 1)) (local.get $n)))
      (i32.store offset=4 (local.get $rec) (local.get $end))
      (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
      ;; On after the line: each line once.
      (local.set $i (i32.add (local.get $end) (i32.const 1)))
      (br_if $search (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $lines))

  ;; The first p in [$from, $to) where one of the $count literals of the table at $table occurs whole before $to,
  ;; or -1. A literal's record (frame-scanner.ts writes them) is 144 bytes: four 16-byte vectors of its first byte,
  ;; the mask for it, its last byte and the mask for that; at 64 its length (1–32, u32); at 80 its bytes and at 112
  ;; as many mask bytes, OR-ed into the input's before comparing (0x20 for a lower-case letter of a case-insensitive
  ;; literal, else 0): a byte matches when (byte | mask) is the literal's. Each 32-byte turn tests every literal's
  ;; first and last byte at every position, then the candidates' bytes.
  (func $findAny (param $from i32) (param $to i32) (param $table i32) (param $count i32) (result i32)
    (local $c i32) (local $k i32) (local $rec i32) (local $off i32) (local $p i32) (local $j i32) (local $len i32)
    (local $minLen i32) (local $v0 v128) (local $v1 v128) (local $at i32)
    (local.set $minLen (i32.const 64))
    (loop $lengths
      (local.set $len (i32.load offset=64 (i32.add (local.get $table) (i32.mul (local.get $k) (i32.const 144)))))
      (if (i32.lt_u (local.get $len) (local.get $minLen)) (then (local.set $minLen (local.get $len))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $lengths (i32.lt_u (local.get $k) (local.get $count))))
    (loop $blocks
      (if (i32.gt_s (local.get $from) (i32.sub (local.get $to) (local.get $minLen))) (then (return (i32.const -1))))
      (local.set $v0 (v128.load (local.get $from)))
      (local.set $v1 (v128.load offset=16 (local.get $from)))
      (local.set $c (i32.const 0))
      (local.set $k (i32.const 0))
      (loop $filters
        (local.set $rec (i32.add (local.get $table) (i32.mul (local.get $k) (i32.const 144))))
        (local.set $at (i32.add (local.get $from) (i32.sub (i32.load offset=64 (local.get $rec)) (i32.const 1))))
        (local.set $c
          (i32.or (local.get $c)
            (i32.or
              (i8x16.bitmask
                (v128.and
                  (i8x16.eq (v128.or (local.get $v0) (v128.load offset=16 (local.get $rec))) (v128.load (local.get $rec)))
                  (i8x16.eq (v128.or (v128.load (local.get $at)) (v128.load offset=48 (local.get $rec))) (v128.load offset=32 (local.get $rec)))))
              (i32.shl
                (i8x16.bitmask
                  (v128.and
                    (i8x16.eq (v128.or (local.get $v1) (v128.load offset=16 (local.get $rec))) (v128.load (local.get $rec)))
                    (i8x16.eq (v128.or (v128.load offset=16 (local.get $at)) (v128.load offset=48 (local.get $rec))) (v128.load offset=32 (local.get $rec)))))
                (i32.const 16)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $filters (i32.lt_u (local.get $k) (local.get $count))))
      (block $turnDone
        (loop $candidates
          (br_if $turnDone (i32.eqz (local.get $c)))
          (local.set $p (i32.add (local.get $from) (i32.ctz (local.get $c))))
          (if (i32.gt_s (local.get $p) (i32.sub (local.get $to) (local.get $minLen))) (then (return (i32.const -1))))
          (local.set $k (i32.const 0))
          (loop $literals
            (local.set $rec (i32.add (local.get $table) (i32.mul (local.get $k) (i32.const 144))))
            (local.set $len (i32.load offset=64 (local.get $rec)))
            (if (i32.le_s (i32.add (local.get $p) (local.get $len)) (local.get $to))
              (then
                (local.set $j (i32.const 0))
                (block $differs
                  (loop $bytes
                    (if (i32.ge_u (local.get $j) (local.get $len)) (then (return (local.get $p))))
                    (br_if $differs
                      (i32.ne
                        (i32.or (i32.load8_u (i32.add (local.get $p) (local.get $j))) (i32.load8_u offset=112 (i32.add (local.get $rec) (local.get $j))))
                        (i32.load8_u offset=80 (i32.add (local.get $rec) (local.get $j)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $bytes)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $literals (i32.lt_u (local.get $k) (local.get $count))))
          (local.set $c (i32.and (local.get $c) (i32.sub (local.get $c) (i32.const 1))))
          (br $candidates)))
      (local.set $from (i32.add (local.get $from) (i32.const 32)))
      (br $blocks))
    (i32.const -1))

  ;; Whether the $len bytes at $a and at $b are the same.
  (func $same (param $a i32) (param $b i32) (param $len i32) (result i32)
    (local $i i32)
    (loop $blocks
      (if (i32.ge_s (i32.sub (local.get $len) (local.get $i)) (i32.const 16))
        (then
          (if (i32.eqz (i8x16.all_true (i8x16.eq (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i))))))
            (then (return (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $blocks))))
    (loop $bytes
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
      (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i))))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $bytes))
    (i32.const 1))

  ;; Whether the byte at $at follows an odd run of backslashes that starts at or after $from (it is escaped).
  (func $escaped (param $from i32) (param $at i32) (result i32)
    (local $run i32)
    (block $done
      (loop $back
        (local.set $at (i32.sub (local.get $at) (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $at) (local.get $from)))
        (br_if $done (i32.ne (i32.load8_u (local.get $at)) (i32.const 92)))
        (local.set $run (i32.add (local.get $run) (i32.const 1)))
        (br $back)))
    (i32.and (local.get $run) (i32.const 1)))

  ;; The shape of each candidate line as logtap writes it, `{"ts":"…","labels":{…},"msg":"…"}` (labels and a
  ;; trailing `,"meta":{…}` optional), for the judge to decide it without reading its bytes in JS. $ranges holds
  ;; $count [start, end) pairs and $hits the first occurrence of a literal in each (candidateLines' answer); $flags are
  ;; closingQuote's. $table holds the record (see $findAny) of `,"msg":"`, then those of the $literals literals.
  ;; Writes 8 i32 per line at $out: status (0 shape read, 1 not this layout: unsure, 2 for the JS judge), the
  ;; timestamp's closing quote, the labels' start (0: no labels) and end, the message's start and closing quote,
  ;; bits (1: a meta map follows, for the caller to read; 2: a literal occurs in the message outside an escape),
  ;; and the start of the previous line's labels when they are the same bytes (else -1).
  (func (export "shapes") (param $ranges i32) (param $hits i32) (param $count i32) (param $flags i32) (param $table i32) (param $literals i32) (param $out i32)
    (local $k i32) (local $s i32) (local $e i32) (local $rec i32) (local $ts i32) (local $tsEnd i32) (local $i i32)
    (local $last i32) (local $lStart i32) (local $lEnd i32) (local $msg i32) (local $msgEnd i32) (local $bits i32)
    (local $at i32) (local $prevL i32) (local $prevLen i32) (local $sameAs i32)
    (local.set $prevL (i32.const -1))
    (loop $lines
      (if (i32.ge_u (local.get $k) (local.get $count)) (then (return)))
      (local.set $s (i32.load (i32.add (local.get $ranges) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $e (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $rec (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 5))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (i32.store (local.get $rec) (i32.const 1))
      (block $unsure
        ;; {"ts":"
        (br_if $unsure (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 30)))
        (br_if $unsure
          (i64.ne (i64.and (i64.load (local.get $s)) (i64.const 0x00ffffffffffffff)) (i64.const 0x00223a227374227b)))
        ;; A timestamp is 20–30 bytes; the judge rejects any with a quote in its first 20.
        (local.set $ts (i32.add (local.get $s) (i32.const 7)))
        (local.set $tsEnd (i32.const -1))
        (local.set $i (i32.add (local.get $ts) (i32.const 20)))
        (local.set $last (select (i32.add (local.get $ts) (i32.const 31)) (local.get $e) (i32.lt_s (i32.add (local.get $ts) (i32.const 31)) (local.get $e))))
        (block $found
          (loop $quote
            (br_if $found (i32.ge_s (local.get $i) (local.get $last)))
            (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 34))
              (then (local.set $tsEnd (local.get $i)) (br $found)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $quote)))
        (br_if $unsure (i32.lt_s (local.get $tsEnd) (i32.const 0)))
        (local.set $sameAs (i32.const -1))
        (local.set $lStart (i32.const 0))
        (local.set $lEnd (i32.const 0))
        (if (i32.and
              (i64.eq (i64.load (local.get $tsEnd)) (i64.const 0x3a2267736d222c22)) ;; ","msg":
              (i32.eq (i32.load8_u offset=8 (local.get $tsEnd)) (i32.const 34)))
          (then (local.set $msg (i32.add (local.get $tsEnd) (i32.const 9))))
          (else
            (br_if $unsure
              (i32.or
                (i64.ne (i64.load (local.get $tsEnd)) (i64.const 0x6c6562616c222c22)) ;; ","label
                (i32.ne (i32.and (i32.load offset=8 (local.get $tsEnd)) (i32.const 0xffffff)) (i32.const 0x3a2273)))) ;; s":
            (local.set $lStart (i32.add (local.get $tsEnd) (i32.const 11)))
            ;; The previous line's labels again (consecutive lines of a stream share them): their end is known.
            (if (i32.and
                  (i32.ge_s (local.get $prevL) (i32.const 0))
                  (i32.le_s (i32.add (i32.add (local.get $lStart) (local.get $prevLen)) (i32.const 8)) (local.get $e)))
              (then
                (if (i32.and
                      (call $same (local.get $prevL) (local.get $lStart) (local.get $prevLen))
                      (i64.eq (i64.load (i32.add (local.get $lStart) (local.get $prevLen))) (i64.const 0x223a2267736d222c))) ;; ,"msg":"
                  (then
                    (local.set $sameAs (local.get $prevL))
                    (local.set $lEnd (i32.add (local.get $lStart) (local.get $prevLen)))))))
            (if (i32.eqz (local.get $lEnd))
              (then
                ;; `,"msg":"` cannot occur inside a JSON string (its quotes would be escaped): the first one ends them.
                (local.set $lEnd (call $findAny (local.get $lStart) (local.get $e) (local.get $table) (i32.const 1)))
                (br_if $unsure (i32.lt_s (local.get $lEnd) (i32.const 0)))))
            (local.set $prevL (local.get $lStart))
            (local.set $prevLen (i32.sub (local.get $lEnd) (local.get $lStart)))
            (local.set $msg (i32.add (local.get $lEnd) (i32.const 8)))))
        (i32.store offset=4 (local.get $rec) (local.get $tsEnd))
        (i32.store offset=8 (local.get $rec) (local.get $lStart))
        (i32.store offset=12 (local.get $rec) (local.get $lEnd))
        (i32.store offset=16 (local.get $rec) (local.get $msg))
        (i32.store offset=28 (local.get $rec) (local.get $sameAs))
        (local.set $msgEnd (call $closingQuote (local.get $msg) (local.get $e) (local.get $flags)))
        (if (i32.eq (local.get $msgEnd) (i32.const -2))
          (then (i32.store (local.get $rec) (i32.const 2)) (br $lines)))
        (br_if $unsure (i32.lt_s (local.get $msgEnd) (i32.const 0)))
        (i32.store offset=20 (local.get $rec) (local.get $msgEnd))
        ;; After the message: the end of the line, or a meta map (`,"meta":` then the caller reads it).
        (local.set $bits (i32.const 0))
        (if (i32.eq (i32.add (local.get $msgEnd) (i32.const 2)) (local.get $e))
          (then (br_if $unsure (i32.ne (i32.load8_u offset=1 (local.get $msgEnd)) (i32.const 125))))
          (else
            (br_if $unsure (i64.ne (i64.load offset=1 (local.get $msgEnd)) (i64.const 0x3a226174656d222c))) ;; ,"meta":
            (local.set $bits (i32.const 1))))
        ;; The literal in the message, not starting inside an escape (\n and the like; a \u escape went to JS): from
        ;; its first occurrence in the line, when that is not before the message.
        (local.set $at (i32.load (i32.add (local.get $hits) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2)))))
        (if (i32.lt_s (local.get $at) (local.get $msg)) (then (local.set $at (local.get $msg))))
        (block $hitDone
          (loop $hits
            (local.set $at (call $findAny (local.get $at) (local.get $msgEnd) (i32.add (local.get $table) (i32.const 144)) (local.get $literals)))
            (br_if $hitDone (i32.lt_s (local.get $at) (i32.const 0)))
            (if (i32.eqz (call $escaped (local.get $msg) (local.get $at)))
              (then (local.set $bits (i32.or (local.get $bits) (i32.const 2))) (br $hitDone)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))
            (br $hits)))
        (i32.store offset=24 (local.get $rec) (local.get $bits))
        (i32.store (local.get $rec) (i32.const 0))
        (br $lines))
      (br $lines)))

  ;; $from: the first byte after the opening quote; $end: the bound (the end of the line).
  ;; $flags: 1 = a raw < > & is not vouched for (printing: Go writes them as \u003c…); 2 = a byte >= 0x80 goes to
  ;; the caller (printing checks UTF-8 and U+2028/9; case folding looks for non-ASCII partners).
  ;; Returns the offset of the closing quote; -1 when the string cannot be vouched for (a raw control byte, an escape
  ;; JSON does not have or `\/`, a raw < > & under flag 1, no closing quote before $end); -2 when the caller must read
  ;; it (a \u escape, an escaped backslash, or a byte >= 0x80 under flag 2).
  ;;
  ;; Each block is judged as bit masks, one bit per byte, with no loop over its escapes (messages holding JSON have
  ;; one every few bytes): a backslash escapes the next byte, so `esc` is the backslashes shifted by one (carried into
  ;; the next block from its last byte); the string ends at the first quote not escaped. That reading is exact until
  ;; the first escaped backslash, so a string with one before its end goes to the caller.
  (func $closingQuote (export "closingQuote") (param $from i32) (param $end i32) (param $flags i32) (result i32)
    (local $i i32) (local $v v128) (local $q i32) (local $b i32) (local $esc i32) (local $ok i32) (local $u i32)
    (local $bad i32) (local $high i32) (local $close i32) (local $region i32) (local $carry i32) (local $left i32)
    (local $htmlOn v128) (local $highOn v128)
    (local.set $htmlOn (i8x16.splat (i32.sub (i32.const 0) (i32.and (local.get $flags) (i32.const 1)))))
    (local.set $highOn (i8x16.splat (i32.sub (i32.const 0) (i32.shr_u (i32.and (local.get $flags) (i32.const 2)) (i32.const 1)))))
    (local.set $i (local.get $from))
    (loop $blocks
      (local.set $left (i32.sub (local.get $end) (local.get $i)))
      (if (i32.le_s (local.get $left) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $v (v128.load (local.get $i)))
      (local.set $q (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))))
      (local.set $b (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))))
      (local.set $bad
        (i8x16.bitmask
          (v128.or
            (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32)))
            (v128.and (local.get $htmlOn)
              (v128.or
                (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 60))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 62))))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 38))))))))
      (local.set $high (i8x16.bitmask (v128.and (local.get $highOn) (i8x16.lt_s (local.get $v) (v128.const i32x4 0 0 0 0)))))
      ;; Most blocks of a message hold none of these: passed over at once.
      (if (i32.eqz (i32.or (i32.or (local.get $q) (local.get $b)) (i32.or (i32.or (local.get $bad) (local.get $high)) (local.get $carry))))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $blocks)))
      (local.set $esc (i32.and (i32.or (i32.shl (local.get $b) (i32.const 1)) (local.get $carry)) (i32.const 0xffff)))
      (local.set $close (i32.and (local.get $q) (i32.xor (local.get $esc) (i32.const -1))))
      ;; The bytes that belong to the string here: before its closing quote, and before the bound.
      (if (i32.lt_u (local.get $left) (i32.const 16))
        (then (local.set $close (i32.and (local.get $close) (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
      (local.set $region
        (select
          (i32.sub (i32.and (local.get $close) (i32.sub (i32.const 0) (local.get $close))) (i32.const 1))
          (i32.const 0xffff)
          (local.get $close)))
      (if (i32.lt_u (local.get $left) (i32.const 16))
        (then (local.set $region (i32.and (local.get $region) (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
      (if (i32.and (i32.and (local.get $b) (local.get $esc)) (local.get $region)) (then (return (i32.const -2))))
      (local.set $ok
        (i8x16.bitmask
          (v128.or
            (v128.or
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 110))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 114)))))
            (v128.or
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 116)))
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 98))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 102))))))))
      (local.set $u (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 117)))))
      ;; Anything that makes the JS scan give up, before the end, makes it give up whatever comes first.
      (if (i32.and
            (i32.or (local.get $bad) (i32.and (local.get $esc) (i32.xor (i32.or (local.get $ok) (local.get $u)) (i32.const -1))))
            (local.get $region))
        (then (return (i32.const -1))))
      (if (i32.and (i32.or (local.get $high) (i32.and (local.get $esc) (local.get $u))) (local.get $region))
        (then (return (i32.const -2))))
      (if (local.get $close) (then (return (i32.add (local.get $i) (i32.ctz (local.get $close))))))
      (local.set $carry (i32.shr_u (local.get $b) (i32.const 15)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $blocks))
    (i32.const -1))
)
