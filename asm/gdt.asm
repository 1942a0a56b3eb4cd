; gdt.asm - the global descriptor table and gdt_set(), its one writer.
;
; Slots are named in include/gdt.h (and asmdefs.inc): 0 null, 1 ring-0
; flat code (selector 0x08), 2 ring-0 flat data (0x10), 3 the TSS, the
; rest free. gdt_init loads the table and reloads every segment register;
; the first two descriptors are built here because we need them before C.
;
; A descriptor (8 bytes):   0-1 limit 15:0    2-3 base 15:0   4 base 23:16
;                           5 access          6 flags<<4 | limit 19:16
;                           7 base 31:24

%include "asmdefs.inc"

section .data
align 8
global gdt
gdt:
	dq 0					; null
	dq 0x00CF9A000000FFFF			; code: base 0, 4 GiB, ring 0, 32-bit
	dq 0x00CF92000000FFFF			; data: base 0, 4 GiB, ring 0, 32-bit
	times GDT_NSLOTS - 3 dq 0		; TSS and free slots: not present
gdtr:
	dw GDT_NSLOTS * 8 - 1
	dd gdt

%if GDT_KCODE != 1 || GDT_KDATA != 2
%error "include/gdt.h moved the kernel code/data slots; fix the table above"
%endif

section .text

; void gdt_init(void): load the table, reload cs and the data segments.
global gdt_init
gdt_init:
	lgdt [gdtr]
	jmp SEL_KCODE:.cs
.cs:	mov ax, SEL_KDATA
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	ret

; uint gdt_set(uint index, uint base, uint limit, uint access, uint flags)
; Returns the selector index*8, or 0 for the null slot or out of range.
global gdt_set
gdt_set:
	push ebx
	mov ecx, [esp + 8]			; index
	xor eax, eax
	test ecx, ecx
	jz .out
	cmp ecx, GDT_NSLOTS
	jae .out
	lea ebx, [gdt + ecx * 8]
	mov edx, [esp + 12]			; base
	mov eax, [esp + 16]			; limit
	mov [ebx], ax				; limit 15:0
	mov [ebx + 2], dx			; base 15:0
	shr edx, 16
	mov [ebx + 4], dl			; base 23:16
	mov [ebx + 7], dh			; base 31:24
	shr eax, 16
	and al, 0x0F				; limit 19:16
	mov dl, [esp + 24]			; flags
	shl dl, 4
	or al, dl
	mov [ebx + 6], al
	mov al, [esp + 20]			; access
	mov [ebx + 5], al
	lea eax, [ecx * 8]
.out:	pop ebx
	ret
