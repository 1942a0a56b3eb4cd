; calls.asm - the entries of the five calls, vectors 0x30-0x34 (DPL 3 interrupt
; gates: interrupts are off inside). docs/calls.md is the ABI.
;
; A call is light: the CPU saves eip, cs, eflags, esp and ss; the entry saves
; only what C would not keep (ds, es) and hands C the caller's H3sm registers
; (TOS = ebx, the data stack pointer ebp, the pointer stack pointer esi) as a
; struct callregs on this stack. C (devices/calls.c) reads and writes the
; caller's stacks through them; the entry puts them back. edi (Size) is kept by
; C. eax, ecx and edx come back changed: calls are caller-saves.

%include "asmdefs.inc"

extern call_read, call_write, call_send, call_receive, call_please
extern curproc, proc_killed

%macro CALLENTRY 1
global enter_%1
enter_%1:
	push	ds
	push	es
	push	esi			; struct callregs { tos, dsp, psp }
	push	ebp
	push	ebx
	mov	eax, SEL_KDATA
	mov	ds, eax
	mov	es, eax
	cld
	push	esp
	call	%1
	add	esp, 4
	mov	eax, [curproc]		; please kill marked it: it ends here
	cmp	dword [eax+PROC_KILLER], 0
	jne	killed
	pop	ebx
	pop	ebp
	pop	esi
	pop	es
	pop	ds
	iretd
%endmacro

section .text
killed:	call	proc_killed		; never returns

CALLENTRY call_read
CALLENTRY call_write
CALLENTRY call_send
CALLENTRY call_please

; receive has a fast path for the common case of nothing new: the caller has
; received from this device through the full path before (its bit in the
; process's rxok: permission checked, no poll needed), and its ring is up to date.
; Then the result is TRUE and nothing else changes. Every address is checked
; against the caller's segment here too; SS is the kernel's data segment (the
; TSS's SS0), DS still the caller's. Anything else goes the full way.
extern devtab
global enter_receive
enter_receive:
	mov	eax, [ss:curproc]
	mov	edx, [ss:eax+PROC_SIZE]
	lea	ecx, [esi+8]		; the two pointer-stack cells inside the segment
	cmp	ecx, esi
	jb	.slow
	cmp	ecx, edx
	ja	.slow
	mov	ecx, [ds:esi+4]		; device ID
	dec	ecx
	cmp	ecx, NDEV
	jae	.slow
	bt	dword [ss:eax+PROC_RXOK], ecx
	jnc	.slow
	imul	ecx, ecx, DEV_SIZE
	test	byte [ss:devtab+ecx+DEV_CHANNELS], CH_RECEIVE	; a service gone: full path
	jz	.slow
	sub	edx, RING_DATA
	mov	eax, [ds:esi]		; the ring: its header inside the segment
	cmp	eax, edx
	ja	.slow
	mov	eax, [ds:eax+RING_COUNT]
	cmp	eax, [ss:devtab+ecx+DEV_INCOUNT]
	jne	.slow			; something new (or a ring ahead): the full path
	lea	ecx, [ebp-4]		; push TRUE on the caller's data stack
	add	edx, RING_DATA - 4
	cmp	ecx, edx
	ja	.slow
	mov	[ds:ecx], ebx
	mov	ebp, ecx
	mov	ebx, -1
	iretd
.slow:
	jmp	enter_call_receive

CALLENTRY call_receive

section .rodata
align 4
global call_table
call_table:
	dd enter_call_read		; 0x30 read
	dd enter_call_write		; 0x31 write
	dd enter_call_send		; 0x32 send
	dd enter_receive		; 0x33 receive (fast path, then enter_call_receive)
	dd enter_call_please		; 0x34 please
call_table_end:

%if (call_table_end - call_table) / 4 != NCALLS
%error "call_table needs one entry per call"
%endif
