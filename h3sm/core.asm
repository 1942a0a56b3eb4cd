; h3sm/core.asm -- the H3sm image: every word of the language in one binary.
;
; The same sources build two programs:
;   -DHOSTED  a static i386 Linux ELF (./h3sm), platform layer h3sm/hosted.inc
;   -DKERNEL  a flat binary placed at offset IMAGE_ORG of each H3sm instance's
;             segment inside Ha3sm, platform layer h3sm/kernel.inc
; Both are linked at IMAGE_ORG = 0x10000, so addresses inside the image are the
; same in both and no relocation is needed: in Ha3sm the first 64 KiB of every
; instance's segment hold its stacks and buffers (see h3sm/layout.inc).
;
; Reading order: asm/h3sm.inc (the machine), asm/prim-*.inc (primitives),
; h3sm/interp.inc (outer interpreter), h3sm/compile.inc (compiler),
; h3sm/control.inc (control structures),
; h3sm/words.inc, h3sm/output.inc, h3sm/tools.inc, h3sm/pyte.inc, h3sm/blocks.inc,
; then the platform layer.

%include "h3sm.inc"
%include "layout.inc"

%ifdef HOSTED
        bits    32
%ifdef FUZZ
        section .h3sm progbits alloc exec write align=16 ; placed at 0x10000 by the link
%else
        section .text progbits alloc exec write align=16
%endif
%else
        bits    32
        org     IMAGE_ORG
%endif

image_start:
%ifdef HOSTED
%include "hosted.inc"
%else
%include "kernel.inc"
%endif

%include "prim-stack.inc"
%include "prim-arith.inc"
%include "prim-mem.inc"
%include "vars.inc"
%include "interp.inc"
%include "compile.inc"
%include "control.inc"
%include "words.inc"
%include "lineedit.inc"
%include "introspect.inc"
%include "output.inc"
%include "pyte.inc"
%include "blocks.inc"
%include "calls.inc"

        LASTHEADER
        align   4
image_end:                             ; the dictionary grows from here
