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
	pop	ebx
	pop	ebp
	pop	esi
	pop	es
	pop	ds
	iretd
%endmacro

section .text
CALLENTRY call_read
CALLENTRY call_write
CALLENTRY call_send
CALLENTRY call_receive
CALLENTRY call_please

section .rodata
align 4
global call_table
call_table:
	dd enter_call_read		; 0x30 read
	dd enter_call_write		; 0x31 write
	dd enter_call_send		; 0x32 send
	dd enter_call_receive		; 0x33 receive
	dd enter_call_please		; 0x34 please
call_table_end:

%if (call_table_end - call_table) / 4 != NCALLS
%error "call_table needs one entry per call"
%endif
