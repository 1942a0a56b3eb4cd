; reflex.asm - the reflex's entry (the NMI, vector 2) and its built-in routines.
; docs/reflex.md is the plan; kernel/reflex.c sets everything here up.
;
; PIT channel 0 expires, the I/O APIC turns its input 2 into an NMI, and the CPU
; comes here from whatever it was doing: ring 3, a call, an IRQ handler, a cli
; section. Nothing can delay an NMI but an NMI: the CPU blocks further NMIs
; until the next iret. The entry saves only what it uses (callee-saves: eax,
; edx, ecx, ds, es) and returns with iretd to what it interrupted.
;
; One run:
;   1. rdtsc as the third instruction: the run's start (its latency is this
;      minus the expiry, less the two pushes before it).
;   2. An iret to the next instruction unblocks NMIs, so that the NEXT expiry
;      can interrupt a routine that is still running: that is an overrun. IF
;      stays 0: no maskable interrupt can come in.
;   3. The routine is called with DS = ES = SS = the flat kernel data segment,
;      EAX = the run number (0, 1, 2, ...), EDX = its 256 scratch bytes. It may
;      change EAX, ECX, EDX and the flags; it returns AL, the byte appended to
;      the .reflex ring (so that device's count is the number of runs).
;   4. The bookkeeping the bench reads (latency, jitter, the run's length) and
;      the run limit, then back.
; A nested NMI while the routine runs (the next expiry: an overrun) and a CPU
; fault in the routine (kernel/reflex.c's exception handler) both mark the
; reflex stopping and resume at rx_abort, which drops the routine's stack and
; leaves through the same exit. The tick (drivers/pit8254.c) then masks the
; NMI and reports (kernel/reflex.c, reflex_deferred).
;
; Everything here is addressed through SS until DS is loaded: SS is the kernel's
; flat data segment whenever the CPU is in ring 0 (the TSS's SS0, or the
; kernel's own), while DS may still hold whatever the interrupted code had.

%include "asmdefs.inc"

RX_OFF		equ 0
RX_RUN		equ 1
RX_STOPPING	equ 2		; a run stopped it: the tick finishes the stop
WHY_LIMIT	equ 2		; kernel/reflex.c's reasons (WHY_*)
WHY_OVERRUN	equ 3
RXRING		equ 4096	; include/reflex.h
RXCODE		equ 1024

section .data
align 4
global rx_state, rx_busy, rx_why, rx_pending, rx_routine, rx_scratchp, rx_incp
global rx_runs, rx_limit, rx_exp, rx_expf, rx_per, rx_perf, rx_t, rx_tfirst
global rx_latsum, rx_latmax, rx_latmin, rx_latprev, rx_jitmax, rx_runmax
global rx_sp, rx_where, rx_late, rx_dummycount, rx_worstip, rx_hist
global rx_haltn, rx_haltmax, rx_busymax, rx_haltip, rx_odd, rx_oddn
rx_state	db RX_OFF
rx_busy		db 0		; 1 while a run is between its unblocking and its exit
rx_why		db 0
rx_pending	db 0		; the tick has work: a stopping reflex
align 4
rx_routine	dd rx_count	; the routine a run calls
rx_scratchp	dd 0		; its scratch bytes (EDX)
rx_incp		dd rx_dummycount ; &.reflex's incount (kernel/reflex.c)
rx_dummycount	dd 0
rx_runs		dq 0		; runs completed since the start
rx_limit	dq -1		; stop when rx_runs reaches it
rx_exp		dq 0		; the expiry of the next run, in TSC ticks (integer part)
rx_expf		dd 0		; and its fraction, 1/2^32 ticks
rx_per		dd 0		; the period in TSC ticks, integer part
rx_perf		dd 0		; and fraction
rx_t		dq 0		; the start (TSC) of the latest run
rx_tfirst	dq 0		; the start of the first run
rx_latsum	dq 0		; sum of the latencies (signed, TSC ticks)
rx_latmax	dd 0x80000000	; the largest latency (signed)
rx_latmin	dd 0x7fffffff	; the smallest
rx_latprev	dd 0		; the previous run's latency
rx_jitmax	dd 0		; the largest change of latency from one run to the next
rx_runmax	dd 0		; the longest run, first rdtsc to the last (TSC ticks)
rx_sp		dd 0		; ESP before the routine: rx_abort goes back to it
rx_where	dd 0		; where an overrun found the routine
rx_late		dd 0		; NMIs that came while the reflex was not running
rx_worstip	dd 0		; the instruction the latest worst latency interrupted
rx_hist		times 6 dd 0	; runs by latency: 0, 1, 2-9, 10-99, 100-299, 300+
rx_haltn	dd 0		; runs whose NMI woke the CPU from the idle HLT
rx_haltmax	dd 0x80000000	; their worst latency
rx_busymax	dd 0x80000000	; the worst latency of the other runs
rx_haltip	dd 0		; the instruction after the idle loop's HLT (kernel/reflex.c)
rx_oddn		dd 0		; runs 10 or more late so far
rx_odd		times 32 dd 0	; the last 8 of them: latency, eip, cs, run

section .bss
align 16
global rx_ring, rx_code
rx_ring		resb RXRING	; the .reflex device's ring
rx_code		resb RXCODE	; an installed routine (kernel/reflex.c copies it here)

section .text

global reflex_nmi
reflex_nmi:
	push	eax
	push	edx
	rdtsc				; the run's start: latency = this - 2 - expiry
	cmp	byte [ss:rx_busy], 0
	jne	.overrun		; a run is still going: it met this expiry
	cmp	byte [ss:rx_state], RX_RUN
	jne	.late
	mov	[ss:rx_t], eax
	mov	[ss:rx_t+4], edx
	mov	byte [ss:rx_busy], 1
	push	ecx
	push	ds
	push	es
	mov	eax, SEL_KDATA
	mov	ds, eax
	mov	es, eax
	cld
	pushfd				; iret to .run: NMIs unblocked, IF still 0
	push	cs
	push	.run
	iretd

.late:					; stopped, or stopping: not a run
	inc	dword [ss:rx_late]
	pop	edx
	pop	eax
	iretd

.overrun:				; NMIs are blocked again until our iretd
	cmp	byte [ss:rx_state], RX_RUN
	jne	.abandon		; a fault already stopped it
	mov	eax, [esp+8]		; the instruction the routine had got to
	mov	[ss:rx_where], eax
	mov	byte [ss:rx_why], WHY_OVERRUN
	mov	byte [ss:rx_state], RX_STOPPING
	mov	byte [ss:rx_pending], 1
.abandon:
	mov	dword [esp+8], rx_abort	; return into the abort, not the routine
	pop	edx
	pop	eax
	iretd

.run:
	mov	[rx_sp], esp
	mov	eax, [rx_runs]
	mov	edx, [rx_scratchp]
	call	[rx_routine]
	mov	ecx, [rx_incp]		; AL onto the .reflex ring: its count is the runs
	mov	edx, [ecx]
	and	edx, RXRING - 1
	mov	[rx_ring + edx], al
	inc	dword [ecx]
	rdtsc
	sub	eax, [rx_t]		; the run's length
	cmp	eax, [rx_runmax]
	jbe	.lat
	mov	[rx_runmax], eax
.lat:	mov	eax, [rx_t]		; latency: start - expiry (a difference: 32 bits)
	sub	eax, [rx_exp]
	sub	eax, 2			; the two pushes before the rdtsc
	mov	edx, [rx_perf]		; the next expiry
	add	[rx_expf], edx
	mov	edx, [rx_per]
	adc	[rx_exp], edx
	adc	dword [rx_exp+4], 0
	test	byte [esp+24], 3	; was the CPU halted in the idle loop? (the NMI
	jnz	.busy			; interrupted the kernel just after its HLT)
	mov	edx, [esp+20]
	cmp	edx, [rx_haltip]
	jne	.busy
	inc	dword [rx_haltn]	; a halted CPU executes nothing: any latency
	cmp	eax, [rx_haltmax]	; here is QEMU's clock, not instructions
	jle	.all
	mov	[rx_haltmax], eax
	jmp	.all
.busy:	cmp	eax, [rx_busymax]	; the CPU was executing instructions
	jle	.odd
	mov	[rx_busymax], eax
.odd:	cmp	eax, 10			; a late run: keep it in the last 8 (latency,
	jl	.all			; where, cs, the runs before it)
	mov	edx, [rx_oddn]
	and	edx, 7
	shl	edx, 4
	mov	[rx_odd + edx], eax
	mov	ecx, [esp+20]
	mov	[rx_odd + edx + 4], ecx
	mov	ecx, [esp+24]
	mov	[rx_odd + edx + 8], ecx
	mov	ecx, [rx_runs]
	mov	[rx_odd + edx + 12], ecx
	inc	dword [rx_oddn]
.all:	cdq
	add	[rx_latsum], eax
	adc	[rx_latsum+4], edx
	cmp	eax, [rx_latmax]
	jle	.min
	mov	[rx_latmax], eax
	mov	edx, [esp+20]		; where the worst one found the CPU
	mov	[rx_worstip], edx
.min:	cmp	eax, [rx_latmin]
	jge	.hist
	mov	[rx_latmin], eax
.hist:	mov	edx, 5			; the histogram: 0, 1, 2-9, 10-99, 100-299, 300 and more
	cmp	eax, 300		; (negative latencies count as 300 and more:
	jae	.h			; the model would be wrong)
	dec	edx
	cmp	eax, 100
	jae	.h
	dec	edx
	cmp	eax, 10
	jae	.h
	dec	edx
	cmp	eax, 2
	jae	.h
	mov	edx, eax
.h:	inc	dword [rx_hist + edx*4]
.jit:	mov	edx, [rx_latprev]	; jitter: |latency - the previous run's|
	mov	[rx_latprev], eax
	mov	ecx, [rx_runs]
	or	ecx, [rx_runs+4]
	jz	.first			; the first run has no previous one
	sub	edx, eax
	jns	.abs
	neg	edx
.abs:	cmp	edx, [rx_jitmax]
	jbe	.count
	mov	[rx_jitmax], edx
	jmp	.count
.first:	mov	eax, [rx_t]
	mov	edx, [rx_t+4]
	mov	[rx_tfirst], eax
	mov	[rx_tfirst+4], edx
.count:	add	dword [rx_runs], 1
	adc	dword [rx_runs+4], 0
	mov	eax, [rx_runs]
	cmp	eax, [rx_limit]
	jne	rx_exit
	mov	eax, [rx_runs+4]
	cmp	eax, [rx_limit+4]
	jne	rx_exit
	mov	byte [rx_why], WHY_LIMIT
	mov	byte [rx_state], RX_STOPPING
	mov	byte [rx_pending], 1
global rx_exit
rx_exit:
	mov	byte [rx_busy], 0
	pop	es
	pop	ds
	pop	ecx
	pop	edx
	pop	eax
	iretd

; A run abandoned (overrun, or a fault: kernel/reflex.c points the fault's
; frame here). Ring 0, IF = 0, NMIs unblocked; the routine's registers and
; stack are whatever it left: go back to the stack of the run's entry.
global rx_abort
rx_abort:
	mov	esp, [ss:rx_sp]
	mov	eax, SEL_KDATA
	mov	ds, eax
	mov	es, eax
	jmp	rx_exit

; ---- built-in routines (the contract above: EAX run, EDX scratch, AL back) ----

; count: nothing but the run itself; the ring gets the run number's low byte
global rx_count
rx_count:
	ret

; tone: a square wave on the PC speaker. scratch +0 a phase, +4 a step: each
; carry out of the phase toggles the speaker's data bit (port 0x61 bit 1) with
; timer 2's gate (bit 0) off, so the cone follows that bit alone. A step of
; 2 * hz * 2^32 / rate makes hz. The ring gets the bit (0 or 2).
global rx_tone
rx_tone:
	mov	ecx, [edx+4]
	add	[edx], ecx
	in	al, 0x61		; IN keeps the carry
	jnc	.same
	xor	al, 2
	and	al, 0xfe
	out	0x61, al
.same:	and	al, 2
	ret

; sample: one byte from an I/O port (scratch +0) into the ring
global rx_sample
rx_sample:
	mov	edx, [edx]
	in	al, dx
	ret

; measure (calibrate): scratch +0 keeps the most TSC ticks from the run's first
; rdtsc to the routine's first instruction: the entry's cost
global rx_measure
rx_measure:
	mov	ecx, edx
	rdtsc
	sub	eax, [rx_t]
	cmp	eax, [ecx]
	jbe	.keep
	mov	[ecx], eax
.keep:	ret
