; h3sm_texts.asm - H3sm sources that only one kind of instance compiles, carried
; by the kernel rather than by the image every instance gets: kernel/proc.c
; copies one into the top of a new instance's segment and names it in the birth
; record (BIRTH_SRC, BIRTH_SRCLEN in h3sm/layout.inc).
;   please_src   the please interpreter (BIRTH_PLEASE): build/gen/layout.fs, h3sm/please.fs
;   game_src     please tetris's game (BIRTH_GAME): h3sm/tetris.fs
section .rodata
global please_src, please_src_end, game_src, game_src_end
please_src:
	incbin "build/gen/layout.fs"
	incbin "h3sm/please.fs"
please_src_end:
game_src:
	incbin "h3sm/tetris.fs"
game_src_end:
