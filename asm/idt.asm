; idt.asm - the interrupt descriptor table: 256 gates.
;
; idt_init: vectors below T_IRQ0 + NIRQ get the stubs of trap.asm (DPL 0),
; T_CALL0 .. T_CALL0 + NCALLS - 1 get call_table (DPL 3, the only gates a
; ring-3 program may use), every other gate is all zeros, not present
; (an int to one raises #GP). All gates are 32-bit interrupt gates: IF is
; clear on entry. Later code installs its own gates with idt_set.
;
; void idt_set(int vector, void (*entry)(void), int dpl)
; void idt_clear(int vector)
;
; A gate: dw offset 15:0, dw selector, db 0, db P|DPL<<5|0x0E, dw offset 31:16

%include "asmdefs.inc"

GATE_INTR32	equ 0x8E			; present, 32-bit interrupt gate

section .bss
align 8
global idt
idt:	resq NIDT

section .data
idtr:	dw NIDT * 8 - 1
	dd idt

section .text
extern isr_table, call_table

; setgate: eax = vector, edx = entry, ecx = dpl; clobbers ecx, edx
setgate:
	push ebx
	lea ebx, [idt + eax * 8]
	mov [ebx], dx				; offset 15:0
	mov word [ebx + 2], SEL_KCODE
	mov byte [ebx + 4], 0
	shl cl, 5
	or cl, GATE_INTR32
	mov [ebx + 5], cl
	shr edx, 16
	mov [ebx + 6], dx			; offset 31:16
	pop ebx
	ret

global idt_init
idt_init:
	xor eax, eax
.stub:	mov edx, [isr_table + eax * 4]
	xor ecx, ecx
	call setgate
	inc eax
	cmp eax, T_IRQ0 + NIRQ
	jb .stub
	xor eax, eax
.call:	mov edx, [call_table + eax * 4]
	mov ecx, 3
	add eax, T_CALL0
	call setgate
	sub eax, T_CALL0 - 1
	cmp eax, NCALLS
	jb .call
	lidt [idtr]
	ret

global idt_set
idt_set:
	mov eax, [esp + 4]
	cmp eax, NIDT
	jae .out
	mov edx, [esp + 8]
	mov ecx, [esp + 12]
	and ecx, 3
	call setgate
.out:	ret

global idt_clear
idt_clear:
	mov eax, [esp + 4]
	cmp eax, NIDT
	jae .out
	mov dword [idt + eax * 8], 0
	mov dword [idt + eax * 8 + 4], 0
.out:	ret
