; enter.asm - enter_ring3(eip, cs, eflags, esp, ss): leave the kernel for a
; process, with ds, es, fs and gs set to its data selector (ss). Used to start
; an H3sm instance (kernel/proc.c). Never returns.
section .text
global enter_ring3
enter_ring3:
	mov	eax, [esp+4]		; eip
	mov	ecx, [esp+8]		; cs
	mov	edx, [esp+12]		; eflags
	push	dword [esp+20]		; ss  (the pushes move esp: offsets grow)
	push	dword [esp+20]		; esp
	push	edx
	push	ecx
	push	eax
	mov	eax, [esp+16]		; ss again, for the data segment registers
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	xor	eax, eax
	xor	ecx, ecx
	xor	edx, edx
	iretd
