/*
 * tetris.c - please tetris (docs/please.md): a game on the glyph display,
 * played with the keyboard, by a process of its own. The game is H3sm
 * (h3sm/tetris.fs): an instance born with BIRTH_GAME compiles it after its
 * prelude, runs TETRIS (drawing on .display, reading .keyboard) and ends. The
 * caller waits in its please call meanwhile; the console's line editor gets no
 * keys while the game runs (keyboard_hold), and the screen and the terminal's
 * state are saved before and put back after, so the console is as it was.
 */
#include "types.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "please.h"
#include "mem.h"
#include "vt.h"
#include "h3sm_layout.h"

#define GAME_MEM	(512u << 10)
#define SAVE_BYTES	(8u << 10)

void	keyboard_hold(int on);		/* devices/keyboard.c */

uint
tetris(struct reply *r)
{
	struct device *con = dev_byname(".console"), *disp = dev_byname(".display");
	struct proc *g;
	uint save;
	int pid;

	if(curproc->term == 0 || curproc->term != con || disp == 0 || dev_byname(".keyboard") == 0){
		reply_say(r, "error: tetris plays on the console's screen and keyboard: ask from the console");
		return 0;
	}
	if((save = mem_alloc(SAVE_BYTES, curproc->pid)) == 0){
		reply_say(r, "error: no memory for the game");
		return 0;
	}
	g = proc_create(curproc->user, BIRTH_GAME | (curproc->flags & PROC_OWNER), GAME_MEM, 0);
	if(g == 0){
		mem_free(save);
		reply_say(r, "error: no memory for the game");
		return 0;
	}
	pid = g->pid;
	vt_save((void*)save, SAVE_BYTES);
	keyboard_hold(1);
	while(g->state == P_RUN && g->pid == pid)
		cycle_wait();
	keyboard_hold(0);
	vt_restore((void*)save);
	mem_free(save);
	reply_say(r, "ok: game over");
	return 0xffffffffu;	/* TRUE */
}
