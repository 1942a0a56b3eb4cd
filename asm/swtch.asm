; swtch.asm - swtch(uint *save, uint next): the kernel's context switch. Saves the
; callee-saved registers (ebp ebx esi edi) on the current kernel stack, stores
; the stack pointer in *save, loads `next` and pops the same four from there.
; Everything else a process had is already saved: by the call entry (a process in
; a call), or in the trapframe (a process preempted by the timer), so the full
; save happens only on preemption. A new process's stack holds a frame that
; "returns" into trapret (kernel/proc.c). Interrupts are off around it.
section .text
global swtch
swtch:
	mov	eax, [esp+4]
	mov	edx, [esp+8]
	push	ebp
	push	ebx
	push	esi
	push	edi
	mov	[eax], esp
	mov	esp, edx
	pop	edi
	pop	esi
	pop	ebx
	pop	ebp
	ret
