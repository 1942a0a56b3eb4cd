; boot.asm - the multiboot header and the kernel's first instructions.
;
; GRUB legacy (and qemu -kernel) loads kernel.elf at 1 MiB and jumps to
; _start in 32-bit protected mode, interrupts off, with eax = 0x2BADB002
; and ebx = the physical address of the multiboot information.
; .bss is cleared here rather than trusted to the loader. The loader's
; GDT may be anywhere, so ours is loaded before anything else touches a
; segment register. Then kmain(magic, info), which never
; returns. The kernel stack is kstack..kstack_top (KSTACK bytes, .bss);
; ebp = 0 ends the chain of frames that a panic walks.

%include "asmdefs.inc"

MB_MAGIC	equ 0x1BADB002
MB_PAGEALIGN	equ 1 << 0		; modules on page boundaries
MB_MEMINFO	equ 1 << 1		; we want mem_lower/mem_upper and the map
MB_FLAGS	equ MB_PAGEALIGN | MB_MEMINFO
KSTACK		equ 4096

section .multiboot			; kernel.ld puts this first: within 8 KiB
align 4
multiboot_header:
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .text
global _start
extern gdt_init, idt_init, kmain
extern _edata, _end			; kernel.ld: .bss lies between them
_start:
	cli
	cld
	mov esi, eax			; survive (callee-saved registers)
	mov edx, ebx
	mov edi, _edata
	mov ecx, _end
	sub ecx, edi
	xor eax, eax
	rep stosb
	mov edi, edx
	mov esp, kstack_top
	xor ebp, ebp
	push dword 0			; clear DF, NT, IOPL and the rest
	popfd
	call gdt_init
	call idt_init
	push edi			; kmain(magic, info)
	push esi
	call kmain
.halt:	cli				; kmain returned: it should not
	hlt
	jmp .halt

section .bss
align 16
global kstack, kstack_top
kstack:	resb KSTACK
kstack_top:
