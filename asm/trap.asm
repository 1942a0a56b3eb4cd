; trap.asm - the entry stubs of vectors 0x00-0x2f and the common path to C.
;
; Each stub makes the stack look the same whatever the vector: the CPU
; pushed eflags, cs, eip (and esp, ss from ring 3) and, for some
; exceptions, an error code; the stub pushes 0 where the CPU pushed no
; error code, then the vector number, and jumps to trapcommon, which
; saves the rest, loads the kernel data segments and calls trap(tf).
; The result is struct trapframe of include/trap.h, lowest address first:
;
;	gs fs es ds | edi esi ebp oesp ebx edx ecx eax | vector err | eip cs eflags [esp ss]
;	trapcommon    pushad                             stub         CPU
;
; trapret undoes it all and irets; a new process can be started by
; pointing esp at a hand-made frame and jumping to trapret.
; isr_table[v] is the stub of vector v (v < T_IRQ0 + NIRQ), for idt_init.

%include "asmdefs.inc"

%if TF_GS != 0 || TF_FS != 4 || TF_ES != 8 || TF_DS != 12 || TF_EDI != 16
%error "struct trapframe (include/trap.h) and the pushes in trapcommon disagree"
%endif
%if TF_EAX != 44 || TF_VECTOR != 48 || TF_ERR != 52 || TF_EIP != 56 || TF_EFLAGS != 64
%error "struct trapframe (include/trap.h) and the stubs disagree"
%endif

NSTUBS	equ T_IRQ0 + NIRQ

section .text

; vectors where the CPU pushes an error code itself
%macro stub 1
isr%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
	push dword 0
%endif
	push dword %1
	jmp trapcommon
%endmacro

%assign v 0
%rep NSTUBS
	stub v
%assign v v + 1
%endrep

extern trap
global trapcommon, trapret
trapcommon:
	pushad
	push ds
	push es
	push fs
	push gs
	mov ax, SEL_KDATA
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld				; the C ABI wants DF clear
	push esp			; trap(tf)
	call trap
	add esp, 4
trapret:
	pop gs
	pop fs
	pop es
	pop ds
	popad
	add esp, 8			; vector and error code
	iretd

section .rodata
align 4
global isr_table
isr_table:
%assign v 0
%rep NSTUBS
	dd isr %+ v
%assign v v + 1
%endrep
