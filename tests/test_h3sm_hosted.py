"""H3sm hosted (build/h3sm): the CORE conformance test, the golden scripts, errors
that never kill the interpreter, the REPL, the H3sm words, blocks and files."""

import os
import random
import re
import time

import pexpect
import pytest

from h3sm_run import (GFORTH_TEST, H3SM, core_test_args, core_test_failures,
                      golden_scripts, run)


def test_core_conformance_zero_failures():
    assert GFORTH_TEST, "gforth's test folder is missing (make deps installs gforth)"
    rc, out = run(*core_test_args(), cwd=GFORTH_TEST)
    assert core_test_failures(out) == []
    assert "CORE-TEST-END" in out, "the core test did not run to its end:\n" + out[-2000:]
    assert "YOU SHOULD SEE 0-9 SEPARATED BY A SPACE:\n0 1 2 3 4 5 6 7 8 9 \n" in out
    assert rc == 0, out[-2000:]


def test_tester_reports_a_wrong_result(tmp_path):
    # the check above means something only if the tester can fail here
    bad = tmp_path / "bad.fs"
    bad.write_text("{ 1 1 + -> 3 }\n{ 1 2 -> 1 }\n")
    args = core_test_args()[:2] + [str(bad)]
    rc, out = run(*args, cwd=GFORTH_TEST)
    fails = core_test_failures(out)
    assert len(fails) == 2, out


def test_core_ext_file_passes():
    rc, out = run(core_test_args()[0], os.path.join(GFORTH_TEST, "tester.fs"),
                  os.path.join(GFORTH_TEST, "coreext.fs"), "-e", ".( END) CR",
                  cwd=GFORTH_TEST)
    assert core_test_failures(out) == [] and "END" in out and rc == 0, out


@pytest.mark.parametrize("name,script,expected", golden_scripts(),
                         ids=[g[0] for g in golden_scripts()])
def test_golden_script_hosted(name, script, expected):
    rc, out = run(script)
    with open(expected) as f:
        assert out == f.read()
    assert rc == 0


ERRORS = [
    # (input line, expected message)
    ("nosuchword", "nosuchword: undefined word"),
    ("drop", "drop: data stack underflow"),
    (": under drop drop ; under", "under: data stack underflow"),
    ("1 0 /", "/: division by zero"),
    ("7 0 mod", "mod: division by zero"),
    ("0 @", "@: invalid memory address"),
    ("-1 c@", "c@: invalid memory address"),
    (": rs recurse 0 drop ; rs", "rs: return stack overflow"),
    (": ds begin 1 again ; ds", "ds: data stack overflow"),
    ("pdrop", "pdrop: pointer stack underflow"),
    (": ps begin 1 >p again ; ps", "ps: pointer stack overflow"),
    ("0 size!", "size!: invalid numeric argument (Size is 1 .. 256)"),
    ("257 size!", "size!: invalid numeric argument (Size is 1 .. 256)"),
    ("' nothing", "nothing: undefined word"),
    (": broken 1 2 nosuch ;", "nosuch: undefined word"),
    ("if", "if: interpreting a compile-only word"),
    (": unbalanced if ;", ";: control structure mismatch"),
    ("-1 throw", None),                      # ABORT: silent, still recovers
    (": ab 1 abort\" gave up\" ; ab", "gave up"),
    ("$1000000 0 /mod", None),               # fine: no message at all
    ("-4000 throw", "throw: error #-4000"),
    # found by the fuzzer (make fuzz-h3sm, docs/robustness.md)
    ("0 99 included", "invalid memory address"),  # hung: the error message read address 0
    (": e case 2 of 1 endcase ;", "endcase: control structure mismatch"),  # resolved a count
    (": f [ 0 ] then ;", "then: control structure mismatch"),     # patched address 0
    (": g begin 5 until ; : g2 if again ;", "again: control structure mismatch"),
    (": h leave ;", "leave: control structure mismatch"),        # LEAVE outside DO
    ("-100000000 allot", "allot: invalid memory address"),  # HERE went into the image
    (": t 1 does> ; t", "t: DOES> on a word not made by CREATE"),  # re-aimed t's own code
    ("5 to here", "here: invalid name argument"),  # HERE's code matched a VALUE's: set DP
    ("1 2 3 100000 roll", "roll: data stack underflow"),  # shifted memory far above the stack
]


def test_errors_print_one_line_and_keep_the_dictionary():
    lines = [": keep 42 ;"]
    for src, _ in ERRORS:
        lines += [src, "keep . cr"]
    rc, out = run(input="\n".join(lines) + "\n")
    outl = out.splitlines()
    # after every error the interpreter is back, the stacks are empty and the
    # dictionary still has keep
    assert outl.count("42 ") == len(ERRORS), out
    for src, msg in ERRORS:
        if msg:
            assert msg in outl, "no line %r for %r in:\n%s" % (msg, src, out)
    assert "broken: undefined word" not in out
    rc2, out2 = run(input=": broken 1 2 nosuch ;\nbroken\n")
    assert out2.splitlines() == ["nosuch: undefined word", "broken: undefined word"]
    assert rc == 1  # errors were reported: the exit status says so


def test_allot_releases_down_to_the_fence_only():
    # found by the fuzzer: a negative ALLOT took HERE below the prelude and the
    # image, and the next , wrote over their code. FENCE is HERE after the prelude.
    rc, out = run(input="here 64 allot -64 allot here = . cr\n"
                        "here fence @ - 1+ negate allot\nhere fence @ - . cr\n")
    assert out.splitlines() == ["-1 ", "allot: invalid memory address", "0 "], out


def test_allot_never_releases_the_newest_words_code():
    # found by the long fuzz run: ": C ; -1 ALLOT" took HERE into C's code, so
    # the next definition was laid over it and the word list held a header whose
    # code was gone. A data area after CREATE may still be given back.
    rc, out = run(input=": c ; -1 allot\nc 5 . cr\n"
                        "create x 100 allot -50 allot here x - . cr\n"
                        "here -100 allot here - . cr\n")
    assert out.splitlines() == ["allot: invalid memory address", "5 ", "50 ",
                                "allot: invalid memory address"], out


def test_a_marker_run_inside_a_definition_forgets_it_whole():
    # found by make test's minute of fuzzing (CI, session 3): an IMMEDIATE marker
    # run inside ": f" took HERE and LATEST back past f's header, the next error
    # gave LATEST f's old link (a header since overwritten), and every later word
    # failed with "invalid memory address". Now the marker ends the definition too.
    rc, out = run(input="marker m immediate\n: f m 1 2 + . nosuchword\n"
                        ": g 7 . ; g cr\nf\nm\n"
                        ": h create 3 , does> @ ; h q q . cr\n")
    assert out.splitlines() == ["3 nosuchword: undefined word", "7 ",
                                "f: undefined word", "m: undefined word", "3 "], out


def test_align_between_colon_and_code_pads_with_nops():
    # found by the long fuzz run: a defining word that runs ALIGN after : left
    # the skipped bytes (old contents) between the new word's xt and its code,
    # and the word ran them. ALIGN now pads with NOPs; one of the four names
    # below leaves HERE unaligned whatever the dictionary before them.
    rc, out = run(input=": def : align ; def a 1 . ; def ab 2 . ; def abc 3 . ; "
                        "def abcd 4 . ; a ab abc abcd cr\n"
                        "create x 1 c, align here x - . cr\n")
    assert out.splitlines() == ["1 2 3 4 ", "4 "], out


def test_a_negative_allot_never_reaches_into_a_words_code():
    # found by make test's fuzzing minute (session 4): ": T 0 , 2 ; -1 ALLOT"
    # took HERE one byte into T's code (its xt was still below), and T's own
    # "0 ," then wrote over the RET it was running towards. HERE when a word is
    # finished (;, [, or a defining word back at the interpreter) is the floor now;
    # data laid after it may still be given back.
    rc, out = run(input=": t 0 , 2 ; -1 allot\n"
                        ":noname 5 ; -1 allot\n"
                        ": z [ -1 allot ] 7 ;\n"
                        "5 constant k -1 allot\n"
                        "create x 100 allot -50 allot here x - . cr\n"
                        ": y ; 8 allot -8 allot here ' y - 0> . cr\n")
    assert out.splitlines() == ["allot: invalid memory address"] * 4 + ["50 ", "-1 "], out


def test_hold_without_a_pictured_number_is_refused():
    # found by the fuzzer: in a fresh interpreter HLD is 0, and # or HOLD before
    # any <# wrote at HLD-1 = 0xffffffff
    rc, out = run(input="1 2 # rot\n65 hold\n<# 7 0 #s #> type cr\n")
    assert out.splitlines() == ["#: pictured numeric output overflow",
                                "hold: pictured numeric output overflow", "7"], out


def test_error_in_file_names_file_and_line(tmp_path):
    f = tmp_path / "oops.fs"
    f.write_text(": fine 1 ;\n\n fine nosuchword\n")
    rc, out = run(str(f), "-e", "fine . cr")
    assert out.splitlines() == ["%s:3: nosuchword: undefined word" % f, "1 "]
    assert rc == 1


def test_dash_e_and_files_in_order(tmp_path):
    f = tmp_path / "a.fs"
    f.write_text(": twice 2 * ;\n")
    rc, out = run("-e", ".( one) cr", str(f), "-e", "21 twice . cr")
    assert out == "one\n42 \n" and rc == 0


def test_include_relative_to_the_including_file(tmp_path):
    sub = tmp_path / "lib"
    sub.mkdir()
    (sub / "inner.fs").write_text(": inner 7 ;\n")
    (sub / "outer.fs").write_text("include inner.fs\n: outer inner 6 * ;\n")
    rc, out = run(str(sub / "outer.fs"), "-e", "outer . cr", cwd="/")
    assert out == "42 \n" and rc == 0
    rc, out = run("-e", "s\" /nonexistent/x.fs\" included")
    assert "/nonexistent/x.fs: non-existent file or device" in out


def test_dot_s_shows_three_stacks_and_size():
    rc, out = run("-e", "1 2 3 7 >P 2 SIZE! .S CR")
    assert re.fullmatch(r"<3> 1 2 3 P<1> 7 R<\d+> Size 2 \n", out), out


def test_words_and_dump():
    rc, out = run("-e", ": zzunique ; words")
    names = out.split()
    assert names[0] == "zzunique" and "DUP" in names and "SEE" in names
    rc, out = run("-e", "create b 65 c, 66 c, 67 c, b 3 dump")
    assert re.search(r": 41 42 43 .*  ABC", out), out


def _pyte_bytes(n, size, name="pa"):
    """Lines of H3sm that store n into the pyte at name, 16 bytes a line."""
    stores = ["%d %s %d + c!" % ((n >> (8 * i)) & 255, name, i) for i in range(size)]
    return "\n".join(" ".join(stores[i:i + 16]) for i in range(0, size, 16))


@pytest.mark.parametrize("size", [1, 2, 3, 8, 33, 256])
def test_pytes_against_python_integers(size):
    rnd = random.Random(size)
    mod = 1 << (8 * size)
    pairs = [(rnd.randrange(mod), rnd.randrange(mod)) for _ in range(6)]
    pairs += [(mod - 1, 1), (0, 1), (5, 5)]
    prog = ["create pa 256 allot create pb 256 allot"]
    expect = []
    for a, b in pairs:
        prog.append(_pyte_bytes(a, size))
        prog.append(_pyte_bytes(b, size, "pb"))
        prog.append("%d size! pa >p pb >p pyte-compare . pa >p pyte. "
                    "pa >p pb >p pyte+ pa >p pyte. "
                    "pa >p pb >p pyte- pa >p pb >p pyte- pa >p pyte. 4 size! cr" % size)
        cmp = (a > b) - (a < b)
        expect.append("%d %d %d %d " % (cmp, a, (a + b) % mod, (a - b) % mod))
    rc, out = run(input="\n".join(prog) + "\n")
    assert out.splitlines() == expect
    assert rc == 0


def test_blocks_persist_in_the_block_file(tmp_path):
    blk = str(tmp_path / "b.blk")
    store = ('1 block 1024 blank s" .( from-block) 6 7 *" 1 block swap move '
             'update flush')
    rc, out = run("-b", blk, "-e", store)
    assert rc == 0 and os.path.getsize(blk) == 1024
    rc, out = run("-b", blk, "-e", "1 load . cr 1 list")
    lines = out.splitlines()
    assert lines[0] == "from-block42 "
    assert lines[1].startswith("Block 1 ")
    assert lines[2].startswith(" 0 .( from-block) 6 7 * ") and len(lines) == 18
    rc, out = run("-b", blk, "-e", "0 block")
    assert "invalid block number" in out


def test_overlong_line_is_reported_not_silently_cut():
    rc, out = run(input="1 " * 600 + "\n" + "depth . cr\n")
    assert out.splitlines() == ["input line too long: cut at 1024 characters", "512 "]


def test_repl_line_editing_and_prompt():
    child = pexpect.spawn(H3SM, encoding="latin-1", timeout=10)
    child.send("12\x7f3 4 + . \r")      # DEL rubs out the 2
    child.expect(r"17\s+ok")
    child.send("1 2 xx\x08\x08\x15 5 . \r")  # ^U kills the whole line
    child.expect(r"5\s+ok")
    child.send(": slow begin again ; slow\r")
    child.expect_exact("again ; slow ")  # the whole line is read: slow runs
    time.sleep(0.3)
    child.sendintr()                     # ^C interrupts, the REPL stays
    child.expect("user interrupt")
    child.send("6 7 * . \r")
    child.expect(r"42\s+ok")
    child.send("bye\r")
    child.expect(pexpect.EOF)


# A search of the list from LATEST, newest first, as lookup was before the
# bucket table (asm/h3sm.inc): CHECK prints how many headers FIND-NAME finds
# differently from it, the hidden ones and every name the list holds included.
LINEAR_CHECK = """
: UPC ( c --- c' ) DUP [CHAR] a [CHAR] z 1+ WITHIN IF 32 - THEN ;
: NAME= ( a1 u1 a2 u2 --- flag ) ROT OVER <> IF DROP 2DROP FALSE EXIT THEN
  0 ?DO OVER I + C@ UPC OVER I + C@ UPC <> IF 2DROP UNLOOP FALSE EXIT THEN LOOP 2DROP TRUE ;
: LINEAR ( a u --- header | 0 ) LATEST @ BEGIN ?DUP WHILE
  DUP HIDDEN? 0= IF >R 2DUP R@ >NAME NAME= IF 2DROP R> EXIT THEN R> THEN @ REPEAT 2DROP 0 ;
VARIABLE BAD
: CHECK ( --- ) 0 BAD ! LATEST @ BEGIN ?DUP WHILE
  DUP >NAME 2DUP FIND-NAME >R LINEAR R> <> IF 1 BAD +! THEN @ REPEAT BAD @ . ;
"""


def test_lookup_finds_what_a_search_of_the_list_finds():
    words = [": w%d %d ;" % (i, i) for i in range(1500)]
    words += [": W%d %d ;" % (i, i + 10000) for i in range(0, 1500, 7)]   # case only
    lines = [LINEAR_CHECK, "CHECK", *words, "CHECK w3 . W7 . w8 .",
             ": sq DUP * ; : sq sq 1+ ; 3 sq .",              # the older one, while hidden
             "MARKER mk : x1 1 ; : w5 5000 ; mk",
             ": y1 7 ; y1 . w5 . CHECK",                     # y1 where x1 was
             "S\" x1\" FIND-NAME 0= .",
             ": bad 1 nosuch ;",
             ": z1 8 ; z1 . CHECK",
             "LATEST @ : gone 9 ; LATEST ! : kept 10 ; kept . CHECK",
             "S\" gone\" FIND-NAME 0= .",
             # new headers where forgotten ones were, no lookup between: LATEST
             # ends where it was when the table was last right
             ": forget-to ( latest here --- ) DP ! LATEST ! CREATE CREATE ;",
             "LATEST @ HERE CREATE a1 CREATE a2 forget-to b1 b2",
             "S\" b1\" FIND-NAME 0<> . S\" a1\" FIND-NAME 0= . CHECK"]
    rc, out = run(input="\n".join(lines) + "\n")
    assert out.split() == ["0", "0", "3", "10007", "8", "10", "7", "5", "0", "-1",
                           "nosuch:", "undefined", "word", "8", "0", "10", "0", "-1", "-1", "-1", "0"], out


def test_move_and_clip_move_against_python():
    # MOVE copies four bytes a step when it copies ascending: every small
    # overlap either way, every remainder; CLIP-MOVE (please's +A) stops at end
    moves = [(s, d, n) for s in range(7) for d in range(7) for n in range(10)]
    clips = [(u, to, end) for u in range(10) for to in range(0, 13, 3) for end in range(13)]
    lines = [": FILL-B ( --- ) 64 0 DO I B I + C! LOOP ;",
             ": .B ( a --- ) 24 0 DO DUP I + C@ . LOOP DROP CR ;"]
    lines = ["CREATE B 64 ALLOT  CREATE D 32 ALLOT"] + lines
    lines += ["FILL-B B %d + B %d + %d MOVE B .B" % m for m in moves]
    lines += ["D 32 ERASE B 1+ %d D %d + D %d + CLIP-MOVE D - . D .B" % c for c in clips]
    rc, out = run(input="\n".join(lines) + "\n")
    got = out.splitlines()
    want = []
    for s, d, n in moves:
        b = list(range(64))
        b[d:d + n] = b[s:s + n]
        want.append(" ".join(map(str, b[:24])) + " ")
    for u, to, end in clips:
        dst = [0] * 32
        k = max(0, min(u, end - to))
        dst[to:to + k] = range(1, 1 + k)
        want.append("%d %s " % (to + k, " ".join(map(str, dst[:24]))))
    assert got == want
